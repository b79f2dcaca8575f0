"""A value worked out from the answers (``calculate``): never asked, read by ``relevant``
and ``constraint`` rules like an answer, stored only when the form marks it
(``feedback_keep``): the form's expression is in ``Question.calculation``."""

from __future__ import annotations

from bot.questionnaire.kinds.base import Answering, QuestionKind


class Calculate(QuestionKind):
    name = "calculate"
    types = frozenset({"calculate"})
    answering = Answering.COMPUTED

    def options_problem(self, options: tuple[str, ...]) -> str | None:
        return None
