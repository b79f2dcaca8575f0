"""A time of day (``time``), typed as ``14:30``. No "now" button: pressed, it would store
the moment the form was filled in, finer than the day (docs/anonymity.md)."""

from __future__ import annotations

from bot.questionnaire.kinds.base import Hint, QuestionKind
from bot.questionnaire.kinds.days import Unclear, read_time
from bot.questionnaire.typed_answers import Problem, Question


class Hour(QuestionKind):
    name = "time"
    types = frozenset({"time"})

    def options_problem(self, options: tuple[str, ...]) -> str | None:
        return None

    def typed(self, question: Question, text: str) -> str | Problem:
        try:
            return read_time(text)
        except Unclear as unclear:
            return Problem(unclear.code)

    def hints(self, question: Question) -> tuple[Hint, ...]:
        return (("prompt.time_hint", {}),)
