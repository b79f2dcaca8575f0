"""Texts by dotted key from a locale file, with named placeholders."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


class Locale:
    def __init__(self, texts: Mapping[str, Any], source: str, channel: str | None = None) -> None:
        self._texts = dict(_flatten(texts))
        self.source = source
        self._override = f"channels.{channel}." if channel else None

    def for_channel(self, channel: str) -> Locale:
        """The same texts, where ``channels.<channel>.<key>`` replaces ``<key>``: Messenger
        has no /commands, so texts that name them need other words there."""
        channel_locale = Locale({}, self.source, channel)
        channel_locale._texts = self._texts
        return channel_locale

    def with_texts(self, texts: Mapping[str, str]) -> Locale:
        """The same texts with a form's own (its questions and options) standing over them."""
        if not texts:
            return self
        combined = Locale({}, self.source, None)
        combined._texts = {**self._texts, **texts}
        combined._override = self._override
        return combined

    def t(self, key: str, **values: object) -> str:
        """The text for ``key``; a missing key is a bug caught at start by ``check_locale``."""
        overriding = self._override and self._texts.get(self._override + key)
        text = overriding or self._texts.get(key)
        if text is None:
            standing_in = _standing_in(key)
            text = self._texts[standing_in]
            if standing_in == OTHER_TITLE:  # "<the question's title> — other"
                parent = key.removeprefix("questions.").removesuffix("_other.title")
                values = {"question": self.t(f"questions.{parent}.title"), **values}
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self._texts or _standing_in(key) in self._texts

    def keys(self) -> Iterator[str]:
        return iter(self._texts)


OTHER_TITLE = "or_other.title"


def _standing_in(key: str) -> str:
    """The locale's own words for what an XLSForm's ``or_other`` adds without a label of
    the form's: the "other" choice and the question that asks what it is."""
    if key.startswith("options.") and key.endswith(".other"):
        return "or_other.option"
    if key.startswith("questions.") and key.endswith(("_other.text", "_other.title")):
        return "or_other." + key.rsplit(".", 1)[1]
    return key


def _flatten(texts: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in texts.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{full}.")
        else:
            yield full, str(value)
