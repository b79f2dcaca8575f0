"""Replies as Messenger messages, within Messenger's limits.

A message carries at most 13 quick replies of at most 20 characters each, and at most 2,000
characters of text. When the options do not fit, the text lists them in full with numbers
(a typed number answers too) and the quick replies show the numbers, a page at a time.
"""

from __future__ import annotations

from typing import Any

from bot.dialogue.events import Button, Reply
from bot.questionnaire.i18n import Locale

TEXT_LIMIT = 2000
QUICK_REPLY_LIMIT = 13
TITLE_LIMIT = 20
MORE = "more|"
"""Quick-reply payload prefix for "show the next page of options"."""

Message = dict[str, Any]


def shorten(text: str, limit: int = TITLE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most ``limit`` characters, cut between lines where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            candidate = line
        current = candidate
    if current.strip() or not pieces:
        pieces.append(current)
    return pieces


def _numbered(button: Button) -> str:
    """ "3. Label", or the label alone where it already starts with its key (scales)."""
    if button.key is None or button.label.startswith(f"{button.key} "):
        return button.label
    return f"{button.key}. {button.label}"


class Renderer:
    def __init__(self, locale: Locale) -> None:
        self.t = locale.t

    def render(self, reply: Reply, page: int = 0) -> list[Message]:
        buttons = [button for row in reply.buttons for button in row]
        fits = len(buttons) <= QUICK_REPLY_LIMIT and all(
            len(button.label) <= TITLE_LIMIT for button in buttons
        )
        if fits:
            return self._messages(reply.text, [(b.label, b.data) for b in buttons])
        keyed = [button for button in buttons if button.key]
        others = [button for button in buttons if not button.key]
        lines = [_numbered(button) for button in keyed]
        if any(line != button.label for line, button in zip(lines, keyed, strict=True)):
            lines.insert(0, self.t("list_hint"))  # a scale already says how to answer
        listing = "\n".join(lines)
        choices = [(shorten(_numbered(b)), b.data) for b in self._page(keyed, others, page)]
        choices += [(shorten(b.label), b.data) for b in others]
        choices += self._more(keyed, others, page)
        return self._messages(f"{reply.text}\n\n{listing}", choices)

    @staticmethod
    def _page_size(others: list[Button]) -> int:
        return max(1, QUICK_REPLY_LIMIT - len(others) - 1)

    def _page(self, keyed: list[Button], others: list[Button], page: int) -> list[Button]:
        if not keyed or len(keyed) + len(others) <= QUICK_REPLY_LIMIT:
            return keyed
        size = self._page_size(others)
        pages = -(-len(keyed) // size)
        start = (page % pages) * size
        return keyed[start : start + size]

    def _more(self, keyed: list[Button], others: list[Button], page: int) -> list[tuple[str, str]]:
        if not keyed or len(keyed) + len(others) <= QUICK_REPLY_LIMIT:
            return []
        pages = -(-len(keyed) // self._page_size(others))
        following = (page + 1) % pages
        label = self.t("more") if following else self.t("first_page")
        return [(shorten(label), f"{MORE}{following}")]

    @staticmethod
    def _messages(text: str, choices: list[tuple[str, str]]) -> list[Message]:
        messages: list[Message] = [{"text": piece} for piece in split_text(text)]
        if choices:
            messages[-1]["quick_replies"] = [
                {"content_type": "text", "title": title, "payload": payload}
                for title, payload in choices
            ]
        return messages
