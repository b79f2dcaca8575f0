"""Free text (``text``): cleaned, checked for length, stripped of personal details before it
is stored (``bot.dialogue.typed``), and sorted into categories in the report."""

from __future__ import annotations

from bot.questionnaire.cleaning import clean
from bot.questionnaire.kinds.base import Hint, QuestionKind, ReportTable
from bot.questionnaire.typed_answers import Problem, Question


class Text(QuestionKind):
    name = "text"
    types = frozenset({"text"})
    report = ReportTable.TEXTS

    def options_problem(self, options: tuple[str, ...]) -> str | None:
        return None

    def typed(self, question: Question, text: str) -> str | Problem:
        cleaned = clean(text)
        if not cleaned:  # nothing at all, or nothing a reader could see (zero-width, NUL)
            return Problem("no_text" if text.strip() else "empty_text")
        if len(cleaned) > question.max_length:
            return Problem("too_long", {"length": len(cleaned), "limit": question.max_length})
        return cleaned

    def hints(self, question: Question) -> tuple[Hint, ...]:
        key = "prompt.type_text" if question.required else "prompt.type_text_optional"
        return ((key, {}), ("prompt.privacy_hint", {}))
