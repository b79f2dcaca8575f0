"""A problem a person can put right, said as one line of the locale.

Raised where it is found (a municipality's configuration, a form's id) without knowing who
will read it: the command line prints the line (``cli_errors.one_line``), and so does the
start of the bot. Keeps configuration and form choice free of the command line's code.
"""

from __future__ import annotations

from bot.questionnaire.i18n import Locale


class Refusal(Exception):
    """``key`` names a text under ``cli.`` (or a full key); ``values`` fill it."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values

    def text(self, locale: Locale) -> str:
        key = self.key if "." in self.key else f"cli.{self.key}"
        return locale.t(key, **self.values)
