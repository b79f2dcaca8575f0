"""The questionnaire engine: state + input -> new state + what to ask next.

Inputs carry the question they were meant for, so a button pressed on an old message
is recognised as stale instead of answering the wrong question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.questionnaire.model import PICK, SUMMARY, Answer, Draft, Kind, Questionnaire


@dataclass(frozen=True)
class Choose:
    question: str
    code: str


@dataclass(frozen=True)
class Typed:
    text: str


@dataclass(frozen=True)
class Back:
    position: str


@dataclass(frozen=True)
class Skip:
    question: str


@dataclass(frozen=True)
class Blank:
    """A question left empty on a paper form: recorded as unanswered, even if required."""

    question: str


@dataclass(frozen=True)
class Submit:
    pass


@dataclass(frozen=True)
class ChangeAnswer:
    pass


@dataclass(frozen=True)
class Pick:
    question: str


Input = Choose | Typed | Back | Skip | Blank | Submit | ChangeAnswer | Pick


@dataclass(frozen=True)
class Problem:
    """Why an input was refused; ``code`` names a locale text under ``problem.``."""

    code: str
    values: Mapping[str, int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """The outcome of one input: the new draft, or the same draft and a problem."""

    draft: Draft
    problem: Problem | None = None
    answered: str | None = None
    completed: Mapping[str, Answer] | None = None


def start(questionnaire: Questionnaire, prefill: Mapping[str, Answer] | None = None) -> Draft:
    answers = dict(prefill or {})
    return Draft(position=next_position(questionnaire, answers), answers=answers)


def next_position(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> str:
    """The first applicable question not yet answered, else the summary."""
    for question in questionnaire.applicable(answers):
        if question.id not in answers:
            return question.id
    return SUMMARY


def final_answers(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """Only the answers to questions that apply, so a withdrawn 'yes' leaves no orphan text."""
    return {q.id: answers[q.id] for q in questionnaire.applicable(answers) if q.id in answers}


def advance(questionnaire: Questionnaire, draft: Draft, given: Input) -> Step:
    match given:
        case Choose(question, code):
            return _choose(questionnaire, draft, question, code)
        case Typed(text):
            return _typed(questionnaire, draft, text)
        case Back(position):
            return _back(questionnaire, draft, position)
        case Skip(question):
            return _skip(questionnaire, draft, question)
        case Blank(question):
            if questionnaire.get(question) is None:
                return _refuse(draft, "unknown_button")
            return _at(draft, question) or _record(questionnaire, draft, question, None)
        case Submit():
            return _submit(questionnaire, draft)
        case ChangeAnswer():
            return _at(draft, SUMMARY) or Step(_moved(draft, PICK))
        case Pick(question):
            return _pick(questionnaire, draft, question)
    raise TypeError(f"not an engine input: {type(given).__name__}")


def _refuse(draft: Draft, code: str, **values: int | str) -> Step:
    return Step(draft, Problem(code, values))


def _at(draft: Draft, position: str) -> Step | None:
    """A refusal when the input was meant for another place than where the citizen is."""
    return None if draft.position == position else _refuse(draft, "stale_button")


def _moved(draft: Draft, position: str) -> Draft:
    return Draft(position=position, answers=draft.answers)


def _record(questionnaire: Questionnaire, draft: Draft, question: str, value: Answer) -> Step:
    answers = {**draft.answers, question: value}
    return Step(Draft(next_position(questionnaire, answers), answers), answered=question)


def _choose(questionnaire: Questionnaire, draft: Draft, question_id: str, code: str) -> Step:
    question = questionnaire.get(question_id)
    if question is None or not question.is_button_question():
        return _refuse(draft, "unknown_button")
    if refused := _at(draft, question_id):
        return refused
    if code not in question.options:
        return _refuse(draft, "unknown_button")
    return _record(questionnaire, draft, question_id, code)


def _number(text: str, count: int) -> int | None:
    """A typed "3", "3." or "3)" as a 0-based index into a list of ``count``; else ``None``."""
    digits = text.strip().rstrip(".)")
    if digits.isascii() and digits.isdigit() and 1 <= int(digits) <= count:
        return int(digits) - 1
    return None


def _typed(questionnaire: Questionnaire, draft: Draft, text: str) -> Step:
    if draft.position == PICK:
        applicable = questionnaire.applicable(draft.answers)
        index = _number(text, len(applicable))
        if index is None:
            return _refuse(draft, "not_a_button")
        return Step(_moved(draft, applicable[index].id))
    question = questionnaire.get(draft.position)
    if question is None:
        return _refuse(draft, "not_a_button")
    if question.kind is Kind.SCALE:
        digit = text.strip()
        if digit in question.options:
            return _record(questionnaire, draft, question.id, digit)
        low, high = question.scale_bounds()
        return _refuse(draft, "scale_digit", low=low, high=high)
    if question.kind is Kind.CHOICE:
        index = _number(text, len(question.options))
        if index is None:
            return _refuse(draft, "not_a_button")
        return _record(questionnaire, draft, question.id, question.options[index])
    cleaned = text.strip()
    if not cleaned:
        return _refuse(draft, "empty_text")
    if len(cleaned) > question.max_length:
        return _refuse(draft, "too_long", length=len(cleaned), limit=question.max_length)
    return _record(questionnaire, draft, question.id, cleaned)


def _back(questionnaire: Questionnaire, draft: Draft, position: str) -> Step:
    if refused := _at(draft, position):
        return refused
    if position == PICK:
        return Step(_moved(draft, SUMMARY))
    ids = [q.id for q in questionnaire.applicable(draft.answers)]
    if position != SUMMARY and position not in ids:
        return _refuse(draft, "unknown_button")
    here = len(ids) if position == SUMMARY else ids.index(position)
    if here == 0:
        return _refuse(draft, "first_question")
    return Step(_moved(draft, ids[here - 1]))


def _skip(questionnaire: Questionnaire, draft: Draft, question_id: str) -> Step:
    question = questionnaire.get(question_id)
    if question is None:
        return _refuse(draft, "unknown_button")
    if refused := _at(draft, question_id):
        return refused
    if question.required:
        return _refuse(draft, "required")
    return _record(questionnaire, draft, question_id, None)


def _submit(questionnaire: Questionnaire, draft: Draft) -> Step:
    if refused := _at(draft, SUMMARY):
        return refused
    return Step(draft, completed=final_answers(questionnaire, draft.answers))


def _pick(questionnaire: Questionnaire, draft: Draft, question_id: str) -> Step:
    if refused := _at(draft, PICK):
        return refused
    if question_id not in {q.id for q in questionnaire.applicable(draft.answers)}:
        return _refuse(draft, "unknown_button")
    return Step(_moved(draft, question_id))
