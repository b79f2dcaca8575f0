"""The ``appearance`` cell: what only changes how a question looks is accepted and ignored.

A form made for ODK Collect or Enketo says how its questions are drawn (``minimal``,
``compact-2``, ``no-calendar``, ``w3``, several at once: ``minimal w2``). A chat asks in its
own way, so a look costs nothing to ignore, and refusing it made clerks strip their
templates. What changes the answer that is recorded (``month-year`` keeps no day, ``ex:``
lets another app fill the answer, ``search(…)`` reads choices from a file) stays refused,
one line per cell: ignoring it would store something other than what the form asks for.
The names are ODK's and Enketo's (Enketo's ``appearances.json`` and ODK's widget list).

An appearance a question kind reads (``likert``: a ``select_one`` as a scale; a registered
kind's own) is passed on to the kinds; on a group, ``field-list`` and ``table-list`` make the
group one page on the web (pyxform itself turns ``table-list`` into ``field-list``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.questionnaire.kinds import registry
from bot.questionnaire.kinds.base import ProblemSink
from bot.questionnaire.xlsform_sheets import SURVEY

LOOKS = frozenset(
    {
        *("minimal", "quick", "quickcompact", "compact", "horizontal", "horizontal-compact"),
        *("vertical", "columns", "columns-pack", "no-buttons", "label", "list-nolabel"),
        *("list", "autocomplete", "likert", "image-map", "multiline", "numbers", "masked"),
        *("thousands-sep", "counter", "no-calendar", "ethiopian", "coptic", "islamic"),
        *("bikram-sambat", "myanmar", "persian", "picker", "rating", "no-ticks"),
        *("analog-scale", "distress", "no-collapse", "field-list", "table-list"),
    }
)
"""Appearances that change only how ODK or Enketo draw a question or a group."""
_NUMBERED_LOOKS = re.compile(r"^(?:w\d{1,2}|compact-\d{1,2}|quickcompact-\d{1,2}|columns-\d{1,2})$")
"""Widths and column counts: ``w3``, ``compact-2``, ``columns-4``."""
COLLECTS = frozenset({"month-year", "year", "bearing", "search", "hidden-answer"})
"""Appearances that change the recorded answer: a date without its day or month, a compass
bearing, choices from a file, an answer that is never shown."""
_COLLECTS_PREFIXES = ("ex:", "search(", "printer:")
"""Another app fills the answer (``ex:org.app.Action``), choices read from a CSV file,
a label printer."""
PAGES = frozenset({"field-list", "table-list"})
"""A group with one of these is one page on the web."""


@dataclass(frozen=True)
class Appearance:
    """One ``appearance`` cell as the reader uses it."""

    read: str
    """What the question kinds read (``likert``), the looks dropped; ``""`` when none."""
    page: bool
    """A group drawn as one screen (``field-list``, ``table-list``)."""
    collects: tuple[str, ...]
    """Words that would change the recorded answer: each refused."""
    unknown: tuple[str, ...]
    """Words neither ODK nor a kind of ours knows: each refused."""


def checked_appearance(problem: ProblemSink, number: int, written: object) -> Appearance:
    """The row's appearance, each word that cannot be honoured one problem at its cell."""
    look = read_appearance(written)
    for word in look.collects:
        problem(SURVEY, number, "appearance", "appearance_collects", value=word)
    for word in look.unknown:
        problem(SURVEY, number, "appearance", "appearance", value=word)
    return look


def read_appearance(written: object) -> Appearance:
    """``"minimal w2"`` is nothing to read; ``"likert"`` is a scale; ``"month-year"`` is
    refused. Appearances are words separated by spaces, read in lower case."""
    words = str(written or "").split()  # as written, for a refusal to quote
    kinds = registry.appearances()
    ours = [w for w in words if w.lower() not in kinds]
    return Appearance(
        read=" ".join(w.lower() for w in words if w.lower() in kinds),
        page=any(w.lower() in PAGES for w in words),
        collects=tuple(w for w in ours if collects(w.lower())),
        unknown=tuple(w for w in ours if not known(w.lower())),
    )


def collects(word: str) -> bool:
    return word in COLLECTS or word.startswith(_COLLECTS_PREFIXES)


def known(word: str) -> bool:
    return word in LOOKS or bool(_NUMBERED_LOOKS.match(word)) or collects(word)


def accepted(extra: Iterable[str] = ()) -> list[str]:
    """What a refusal lists as usable: the kinds' own first, then the looks (numbered ones
    once, by their pattern)."""
    kinds = sorted(registry.appearances() | set(extra))
    looks = sorted(LOOKS - set(kinds))
    return [*kinds, *looks, "w1…w10", "compact-N", "columns-N"]
