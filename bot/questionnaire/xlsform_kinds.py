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
from bot.questionnaire.xlsform_sheets import LIST_TYPES, ChoiceLists


def question_type(row: Mapping[str, str]) -> tuple[str, str, str]:
    """The type as written (spaces tidied), its base and its list: ``select one yn`` and
    ``select_one yn`` are the same question on the list ``yn``; ``select_one yn or_other``
    too (its "other" is the kind's to add, as ``select_multiple``'s); ``begin group`` is
    ``begin_group``."""
    written = " ".join(str(row.get("type", "")).split())
    spelt = written.lower() if written.lower() in GROUP_SPELLINGS else written
    base, _, list_name = (
        GROUP_SPELLINGS.get(spelt, spelt)
        .replace("select one ", "select_one ")
        .replace("select all that apply ", "select_multiple ")
        .partition(" ")
    )
    if base in LIST_TYPES and list_name.endswith(" or_other"):
        list_name = list_name.removesuffix(" or_other")
    return written, base, list_name


GROUP_SPELLINGS = {
    "begin group": "begin_group",
    "end group": "end_group",
    "begin_group": "begin_group",
    "end_group": "end_group",
}
"""How staff write the rows that open and close a group (``xlsform_groups``)."""


def known_type(base: str, list_name: str) -> bool:
    """A type some kind takes, with a choice list exactly when it is a select."""
    return base in registry.xlsform_types() and (base in LIST_TYPES) == bool(list_name)


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
