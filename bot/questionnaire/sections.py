"""A question named with its section (its XLSForm group), where a report or an export lists
questions out of the order a citizen met them: "ვიზიტი › რომელ დღეს…"."""

from __future__ import annotations

from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Question

SEPARATOR = " › "


def section_name(question: Question, locale: Locale) -> str:
    """The section's own label, or ``""`` for a question in no labelled group."""
    key = f"groups.{question.section}"
    return locale.t(key) if question.section and locale.has(key) else ""


def titled(question: Question, locale: Locale) -> str:
    """The question's short title, after its section's label where it has one."""
    title = locale.t(f"questions.{question.id}.title")
    section = section_name(question, locale)
    return f"{section}{SEPARATOR}{title}" if section else title
