"""Texts by dotted key from a locale file, with named placeholders."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


class Locale:
    def __init__(self, texts: Mapping[str, Any], source: str) -> None:
        self._texts = dict(_flatten(texts))
        self.source = source

    def t(self, key: str, **values: object) -> str:
        """The text for ``key``; a missing key is a bug caught at start by ``check_locale``."""
        return self._texts[key].format(**values) if values else self._texts[key]

    def has(self, key: str) -> bool:
        return key in self._texts

    def keys(self) -> Iterator[str]:
        return iter(self._texts)


def _flatten(texts: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in texts.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{full}.")
        else:
            yield full, str(value)
