"""Something to read (``note``), with a button to go on; no answer is stored."""

from __future__ import annotations

from typing import ClassVar

from bot.questionnaire.inputs import Done
from bot.questionnaire.kinds.base import Answering, QuestionKind
from bot.questionnaire.typed_answers import Problem, Question


class Note(QuestionKind):
    name = "note"
    types = frozenset({"note"})
    answering = Answering.READING
    inputs: ClassVar[frozenset[type]] = frozenset({Done})

    def done(self, question: Question, current: str | None) -> str | Problem | None:
        return None
