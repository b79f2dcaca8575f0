"""Questions numbered as on the paper form: a follow-up shares its parent's number (``9ა``).

A follow-up is a question asked only after a rule on the question just before it. The
introduction promises as many questions as are numbered, the progress line counts the
same way, and the report numbers its sections so: a citizen who answers "yes" to question 9
sees "9ა / 10" for the follow-up, never a total that grows under their eyes. A note (text
to read) has no number.
"""

from __future__ import annotations

from bot.questionnaire.model import Questionnaire

FOLLOW_UP = "ა"


def question_numbers(questionnaire: Questionnaire, follow_up: str = FOLLOW_UP) -> dict[str, str]:
    numbers: dict[str, str] = {}
    n, previous = 0, ""
    for question in questionnaire.questions:
        if not question.kind.stores:
            continue
        rule = question.relevant
        if rule is None or previous not in rule.references:
            n += 1
            numbers[question.id] = str(n)
        else:
            numbers[question.id] = f"{n}{follow_up}"
        previous = question.id
    return numbers


def numbered_count(questionnaire: Questionnaire) -> int:
    """How many numbered questions there are: what the introduction promises."""
    return len(set(question_numbers(questionnaire, "").values()))
