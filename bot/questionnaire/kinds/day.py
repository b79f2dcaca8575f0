"""A date (``date``): typed as people write one, or "today" pressed; stored as ISO."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from bot.questionnaire.inputs import Choose
from bot.questionnaire.kinds.base import Hint, QuestionKind, ReportTable
from bot.questionnaire.kinds.days import Unclear, read_date, shown_date
from bot.questionnaire.typed_answers import Problem, Question

TODAY = "today"


class Day(QuestionKind):
    name = "date"
    types = frozenset({"date"})
    inputs: ClassVar[frozenset[type]] = frozenset({Choose})
    report = ReportTable.MONTHS

    def options_problem(self, options: tuple[str, ...]) -> str | None:
        return None

    def choose_on(self, question: Question, code: str, today: date | None) -> str | Problem:
        """The "today" button: the day the adapter says it is (the engine reads no clock)."""
        if code != TODAY or today is None:
            return Problem("unknown_button")
        return today.isoformat()

    def typed(self, question: Question, text: str) -> str | Problem:
        return self.typed_on(question, text, None)

    def typed_on(self, question: Question, text: str, today: date | None) -> str | Problem:
        try:
            return read_date(text, today).isoformat()
        except Unclear as unclear:
            return Problem(unclear.code)

    def extras(self, question: Question) -> tuple[tuple[str, str], ...]:
        return ((TODAY, "prompt.today"),)

    def shown(self, answer: str) -> str:
        return shown_date(answer)

    def hints(self, question: Question) -> tuple[Hint, ...]:
        return (("prompt.date_hint", {}),)
