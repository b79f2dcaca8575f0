"""Every kind of question by name, in the order an XLSForm row is offered to them.

Adding a kind: one module beside this one, and one line in ``_BUILT_IN`` (or a call to
``register``, which tries the new kind before the others, so it may claim rows by their
appearance). Saved questionnaire definitions name their kinds, so a name never changes.
"""

from __future__ import annotations

import copyreg
from collections.abc import Callable, Iterator

from bot.questionnaire.kinds.base import QuestionKind, Row
from bot.questionnaire.kinds.calculate import Calculate
from bot.questionnaire.kinds.choice import Choice
from bot.questionnaire.kinds.day import Day
from bot.questionnaire.kinds.hour import Hour
from bot.questionnaire.kinds.multi import Multi
from bot.questionnaire.kinds.note import Note
from bot.questionnaire.kinds.number import Number
from bot.questionnaire.kinds.scale import Scale
from bot.questionnaire.kinds.text import Text


class Kind:
    """The built-in kinds, by the names code and tests know them (``Kind.CHOICE``)."""

    SCALE = Scale()
    CHOICE = Choice()
    MULTI = Multi()
    NUMBER = Number()
    NOTE = Note()
    TEXT = Text()
    DATE = Day()
    TIME = Hour()
    CALCULATE = Calculate()


_BUILT_IN: tuple[QuestionKind, ...] = (
    Kind.SCALE,  # before a choice: a select_one with "likert"; before a number: a short range
    Kind.CHOICE,
    Kind.MULTI,
    Kind.NUMBER,
    Kind.NOTE,
    Kind.TEXT,
    Kind.DATE,
    Kind.TIME,
    Kind.CALCULATE,
)
_kinds: list[QuestionKind] = list(_BUILT_IN)


def _pickled(kind: QuestionKind) -> tuple[Callable[[str], QuestionKind], tuple[str]]:
    """A kind is unpickled as the registry's own object (``kind is Kind.CHOICE`` holds)."""
    return named, (kind.name,)


for _kind in _BUILT_IN:
    copyreg.pickle(type(_kind), _pickled)


def register(kind: QuestionKind) -> QuestionKind:
    """Adds ``kind``, tried before every other kind on an XLSForm row."""
    if any(known.name == kind.name for known in _kinds):
        raise ValueError(f"a question kind is already named {kind.name!r}")
    _kinds.insert(0, kind)
    copyreg.pickle(type(kind), _pickled)
    return kind


def unregister(kind: QuestionKind) -> None:
    """Takes a registered kind away again (a test's own kind, once the test is over)."""
    if kind in _BUILT_IN:
        raise ValueError(f"{kind.name!r} is built in")
    _kinds.remove(kind)


def kinds() -> Iterator[QuestionKind]:
    return iter(tuple(_kinds))


def named(name: str) -> QuestionKind:
    """The kind a saved definition names; ``ValueError`` for a name no kind has."""
    for kind in _kinds:
        if kind.name == name:
            return kind
    raise ValueError(f"unknown question kind {name!r}")


def for_row(row: Row) -> QuestionKind | None:
    """The first kind that takes the row, in registry order."""
    return next((kind for kind in _kinds if kind.takes(row)), None)


def xlsform_types() -> frozenset[str]:
    """Every XLSForm type some kind takes."""
    return frozenset(t for kind in _kinds for t in kind.types)


def appearances() -> frozenset[str]:
    """The appearances kinds read besides the ones every form may use."""
    return frozenset(a for kind in _kinds for a in kind.appearances)
