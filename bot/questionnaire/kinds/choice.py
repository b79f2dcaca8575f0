"""One answer from a list (``select_one``): pressed, or typed as its number."""

from __future__ import annotations

from typing import ClassVar

from bot.questionnaire.inputs import Choose
from bot.questionnaire.kinds.base import Answering, QuestionKind, Reading, ReportTable, Row
from bot.questionnaire.typed_answers import Problem, Question, position


class Choice(QuestionKind):
    name = "choice"
    types = frozenset({"select_one"})
    answering = Answering.BUTTONS
    inputs: ClassVar[frozenset[type]] = frozenset({Choose})
    linkable = True
    report = ReportTable.COUNTS

    def read(self, row: Row) -> Reading:
        return Reading(row.listed())

    def typed(self, question: Question, text: str) -> str | Problem:
        index = position(text, len(question.options))
        return Problem("not_a_button") if index is None else question.options[index]

    def codes(self, answer: str) -> tuple[str, ...] | None:
        return (answer,)
