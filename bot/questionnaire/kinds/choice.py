"""One answer from a list (``select_one``): pressed, or typed as its number. With
``or_other`` the list ends with "other", and a typed follow-up (``<name>_other``, a free
text, cleaned and masked like any) asks what it is (``xlsform_groups``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from bot.questionnaire.inputs import Choose
from bot.questionnaire.kinds.base import Answering, QuestionKind, Reading, ReportTable, Row
from bot.questionnaire.typed_answers import Problem, Question, position

OTHER = "other"
"""The code of the choice ``or_other`` adds (as ODK names it)."""


def or_other(cells: Mapping[str, str]) -> bool:
    """The row's type ends with ``or_other`` (``select_one yn or_other``)."""
    return str(cells.get("type", "")).split()[-1:] == ["or_other"]


class Choice(QuestionKind):
    name = "choice"
    types = frozenset({"select_one"})
    answering = Answering.BUTTONS
    inputs: ClassVar[frozenset[type]] = frozenset({Choose})
    linkable = True
    report = ReportTable.COUNTS

    def read(self, row: Row) -> Reading:
        listed = row.listed()
        if or_other(row.cells) and OTHER not in listed:
            return Reading((*listed, OTHER))
        return Reading(listed)

    def typed(self, question: Question, text: str) -> str | Problem:
        index = position(text, len(question.options))
        return Problem("not_a_button") if index is None else question.options[index]

    def codes(self, answer: str) -> tuple[str, ...] | None:
        return (answer,)
