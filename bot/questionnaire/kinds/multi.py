"""Several answers from a list (``select_multiple``): ticked one by one and then "done", or
typed as their numbers ("1,3"); stored as the codes in the list's order."""

from __future__ import annotations

from typing import ClassVar

from bot.questionnaire.inputs import Done, Input, Toggle
from bot.questionnaire.kinds.base import Answering, Hint, QuestionKind, Reading, ReportTable, Row
from bot.questionnaire.kinds.choice import OTHER, or_other
from bot.questionnaire.typed_answers import Problem, Question, options


class Multi(QuestionKind):
    name = "multi"
    types = frozenset({"select_multiple"})
    answering = Answering.BUTTONS
    inputs: ClassVar[frozenset[type]] = frozenset({Toggle, Done})
    several = True
    report = ReportTable.COUNTS

    def read(self, row: Row) -> Reading:
        listed = row.listed()
        if or_other(row.cells) and OTHER not in listed:
            return Reading((*listed, OTHER))
        return Reading(listed)

    def toggle(self, question: Question, current: str | None, code: str) -> str | None:
        chosen = set((current or "").split()) ^ {code}
        return " ".join(c for c in question.options if c in chosen) or None

    def done(self, question: Question, current: str | None) -> str | Problem | None:
        if not current and question.required:
            return Problem("required_multi")
        return current or None

    def typed(self, question: Question, text: str) -> str | Problem:
        value = options(text, question)
        if value is None:
            return Problem("multi_numbers", {"count": len(question.options)})
        return value

    def press(self, question_id: str, code: str) -> Input:
        return Toggle(question_id, code)

    def codes(self, answer: str) -> tuple[str, ...] | None:
        return tuple(answer.split())

    def hints(self, question: Question) -> tuple[Hint, ...]:
        return (("prompt.multi_hint", {}),)
