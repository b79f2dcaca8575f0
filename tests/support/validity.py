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
        elif question.kind is Kind.MULTI:
            codes = value.split()
            if not codes or any(code not in question.options for code in codes):
                found.append(f"{key}: {value!r} is not a set of options")
        elif question.kind is Kind.NUMBER:
            if question.constraint is not None and not question.constraint.holds(answers, value):
                found.append(f"{key}: {value!r} breaks its constraint")
        elif question.kind is Kind.NOTE:
            found.append(f"{key}: a note stores no answer")
        elif value not in question.options:
            found.append(f"{key}: {value!r} is not an option")
    for question in questionnaire.applicable(answers):
        if question.required and question.id not in answers:
            found.append(f"{question.id}: required but missing")
    return found
