"""The hint under a question: how it is answered, in the citizen's language."""

from __future__ import annotations

from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Kind, Question


def hint(question: Question, locale: Locale) -> str:
    """The question's own hint, then what its kind asks for (the scale's ends, the
    number's range, that a free text loses its personal details)."""
    t = locale.t
    own = f"questions.{question.id}.hint"
    lines = [t(own)] if locale.has(own) else []
    if question.kind is Kind.TEXT:
        key = "prompt.type_text" if question.required else "prompt.type_text_optional"
        lines += [t(key), t("prompt.privacy_hint")]
    elif question.kind is Kind.SCALE:
        low, high = question.scale_bounds()
        lines.append(t("prompt.scale_hint", low=low, high=high))
    elif question.kind is Kind.MULTI:
        lines.append(t("prompt.multi_hint"))
    elif question.kind is Kind.NUMBER and question.bounds is not None:
        low, high, _ = question.bounds
        lines.append(t("prompt.range_hint", low=f"{low:g}", high=f"{high:g}"))
    elif question.kind is Kind.NUMBER:
        lines.append(t("prompt.decimal_hint" if question.decimal else "prompt.integer_hint"))
    return "\n".join(lines)
