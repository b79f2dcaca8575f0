"""Where a page stands in the questionnaire, as its address says it: ``/n/3`` for question 3,
``/n/summary``, ``/n/change`` (the list of answers to change).

Each answer is posted and answered with a redirect to the address of the page that follows
(post/redirect/get), so the browser's Back and Forward move between these addresses and a
reload never sends anything again. The address carries the question's position only — the
number the page itself shows — never anything about who answers. The position is read from
the prompt's own fields (its progress, its state), never from its text.
"""

from __future__ import annotations

import re

from bot.dialogue.prompt import Prompt, State

SUMMARY = "summary"
CHANGE = "change"
PATH = "/n/"
KEY = re.compile(r"(\d{1,4})(\D{0,4})")
"""A question's number, and a follow-up's letter (``9ა``)."""
LAST = 10**6
"""Where the summary and the list of answers stand: after every question."""


def key_of(prompt: Prompt | None) -> str | None:
    """The position of the page this prompt is, or ``None`` for one without a place of its
    own (a note to read, the language choice, a message): such a page is served at ``/``."""
    if prompt is None:
        return None
    if prompt.state is State.SUMMARY:
        return SUMMARY
    if prompt.state is State.PICK:
        return CHANGE
    if prompt.state is State.QUESTION and prompt.progress is not None:
        return prompt.progress.number
    return None


def order(key: str) -> tuple[int, str] | None:
    """How far into the questionnaire a position is (``None`` for no position of ours)."""
    if key == SUMMARY:
        return (LAST, "")
    if key == CHANGE:
        return (LAST + 1, "")
    found = KEY.fullmatch(key)
    return (int(found[1]), found[2]) if found else None


def path(prefix: str, key: str | None) -> str:
    """The page's address under the municipality's ``prefix``."""
    return f"{prefix}{PATH}{key}" if key else f"{prefix}/"
