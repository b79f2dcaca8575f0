"""What kind of question a survey row asks: the first kind in the registry that takes it.

Each kind says which rows it takes and what it reads from them (``bot.questionnaire.kinds``):
a select becomes a choice, a multiple choice or a scale of buttons; a ``range`` a scale when
it is short and whole, else a typed number within bounds. Problems found on the way go to the
reader's list, so that all of a form's problems are reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.questionnaire.kinds import registry
from bot.questionnaire.kinds.base import ProblemSink, QuestionKind, Reading, Row
from bot.questionnaire.xlsform_sheets import APPEARANCES, LIST_TYPES, ChoiceLists


def question_type(row: Mapping[str, str]) -> tuple[str, str, str]:
    """The type as written (spaces tidied), its base and its list: ``select one yn`` and
    ``select_one yn`` are the same question on the list ``yn``."""
    written = " ".join(str(row.get("type", "")).split())
    base, _, list_name = (
        written.replace("select one ", "select_one ")
        .replace("select all that apply ", "select_multiple ")
        .partition(" ")
    )
    return written, base, list_name


def known_type(base: str, list_name: str) -> bool:
    """A type some kind takes, with a choice list exactly when it is a select."""
    return base in registry.xlsform_types() and (base in LIST_TYPES) == bool(list_name)


def allowed_appearances() -> frozenset[str]:
    return APPEARANCES | registry.appearances()


def resolve_kind(
    problem: ProblemSink,
    number: int,
    base: str,
    list_name: str,
    appearance: str,
    row: Mapping[str, str],
    choices: ChoiceLists,
) -> tuple[QuestionKind, Reading]:
    """The row's kind and what it read (options, a typed range's bounds, decimals)."""
    read = Row(number, base, list_name, appearance, row, choices, problem)
    kind = registry.for_row(read)
    if kind is None:  # only a known type reaches here, so some kind takes it
        raise LookupError(f"no question kind takes the type {base!r}")
    return kind, kind.read(read)
