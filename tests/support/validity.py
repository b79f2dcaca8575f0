"""What stored answers must look like, whatever a citizen (or a fuzzer) did."""

from __future__ import annotations

from collections.abc import Mapping

from bot.questionnaire.model import Answer, Kind, Questionnaire


def problems(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> list[str]:
    """Every way ``answers`` break the questionnaire; empty when they are a valid response."""
    found = []
    applicable = {q.id for q in questionnaire.applicable(answers)}
    for key, value in answers.items():
        question = questionnaire.get(key)
        if question is None or key not in applicable:
            found.append(f"{key}: not a question that applies")
        elif value is None:
            if question.required:
                found.append(f"{key}: required but empty")
        elif question.kind is Kind.TEXT:
            if not value.strip() or len(value) > question.max_length:
                found.append(f"{key}: text empty or too long")
        elif value not in question.options:
            found.append(f"{key}: {value!r} is not an option")
    for question in questionnaire.applicable(answers):
        if question.required and question.id not in answers:
            found.append(f"{question.id}: required but missing")
    return found
