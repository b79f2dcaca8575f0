"""The hint under a question: how it is answered, in the citizen's language."""

from __future__ import annotations

from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Question


def hint(question: Question, locale: Locale) -> str:
    """The question's own hint, then what its kind asks for (the scale's ends, the
    number's range, that a free text loses its personal details)."""
    t = locale.t
    own = f"questions.{question.id}.hint"
    lines = [t(own)] if locale.has(own) else []
    lines += [t(key, **values) for key, values in question.kind.hints(question)]
    return "\n".join(lines)
