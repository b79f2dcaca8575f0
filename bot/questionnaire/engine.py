"""The questionnaire engine: state + input -> new state + what to ask next.

Inputs carry the question they were meant for, so a button pressed on an old message
is recognised as stale instead of answering the wrong question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.questionnaire import typed_answers
from bot.questionnaire.inputs import (
    Back,
    Blank,
    ChangeAnswer,
    Choose,
    Done,
    Input,
    Keep,
    Pick,
    Skip,
    Submit,
    Toggle,
    Typed,
)
from bot.questionnaire.model import PICK, SUMMARY, Answer, Draft, Effective, Question, Questionnaire
from bot.questionnaire.typed_answers import Problem

__all__ = [  # the inputs, where callers always found them
    "Back",
    "Blank",
    "ChangeAnswer",
    "Choose",
    "Done",
    "Input",
    "Keep",
    "Pick",
    "Problem",
    "Skip",
    "Step",
    "Submit",
    "Toggle",
    "Typed",
    "advance",
    "final_answers",
    "next_position",
    "previous_question",
    "start",
]


@dataclass(frozen=True)
class Step:
    """The outcome of one input: the new draft, or the same draft and a problem."""

    draft: Draft
    problem: Problem | None = None
    answered: str | None = None
    completed: Mapping[str, Answer] | None = None
    broken: tuple[tuple[str, str], ...] = ()
    """Rules met in this step that could not be worked out, as (question, column):
    ``relevant`` or ``constraint``. Each was taken as holding, so the citizen went on; the
    engine stays pure and the dialogue layer logs each once (docs/questionnaire.md)."""


def start(questionnaire: Questionnaire, prefill: Mapping[str, Answer] | None = None) -> Draft:
    answers = dict(prefill or {})
    return Draft(position=next_position(questionnaire, answers), answers=answers)


def next_position(
    questionnaire: Questionnaire, answers: Mapping[str, Answer], after: int = -1
) -> str:
    """The first applicable question after index ``after`` not yet answered, else the summary.

    A rule names only earlier questions, so an answer cannot change what applies before it:
    the search starts after the question just answered, and an answer costs the same in a
    form of 10 questions or of 200."""
    return _following(questionnaire, answers, after)[0]


def _following(
    questionnaire: Questionnaire, answers: Mapping[str, Answer], after: int
) -> tuple[str, tuple[str, ...]]:
    """``next_position``, and the questions whose ``relevant`` failed on the way."""
    effective = Effective(questionnaire, answers)
    for question in questionnaire.questions[after + 1 :]:
        if question.asked and question.id not in answers and effective.asked(question):
            return question.id, tuple(effective.failed)
    return SUMMARY, tuple(effective.failed)


def final_answers(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """Only the answers to questions that apply, so a withdrawn 'yes' leaves no orphan text;
    notes store nothing; a calculation marked to keep is worked out once, here."""
    effective = Effective(questionnaire, answers)
    kept = {q.id: effective.calculated(q) for q in questionnaire.applicable(answers) if q.keep}
    return {
        **{
            q.id: answers[q.id]
            for q in questionnaire.applicable(answers)
            if q.id in answers and q.kind.stores
        },
        **{name: value for name, value in kept.items() if value is not None},
    }


def advance(
    questionnaire: Questionnaire, draft: Draft, given: Input, today: date | None = None
) -> Step:
    """``today``: the municipality's date, as the channel's adapter knows it (a date question
    takes "today" and a day typed without its year); the engine reads no clock."""
    match given:
        case Choose(question, code):
            return _choose(questionnaire, draft, question, code, today)
        case Typed(text):
            return _typed(questionnaire, draft, text, today)
        case Back(position):
            return _back(questionnaire, draft, position)
        case Skip(question):
            return _skip(questionnaire, draft, question)
        case Blank(question):
            if questionnaire.get(question) is None:
                return _refuse(draft, "unknown_button")
            return _at(draft, question) or _record(questionnaire, draft, question, None)
        case Keep(question):
            return _keep(questionnaire, draft, question)
        case Submit():
            return _submit(questionnaire, draft)
        case ChangeAnswer():
            return _at(draft, SUMMARY) or Step(_moved(draft, PICK))
        case Pick(question):
            return _pick(questionnaire, draft, question)
        case Toggle(question, code):
            return _toggle(questionnaire, draft, question, code)
        case Done(question):
            return _done(questionnaire, draft, question)
    raise TypeError(f"not an engine input: {type(given).__name__}")


def _refuse(draft: Draft, code: str, **values: int | str) -> Step:
    return Step(draft, Problem(code, values))


def _at(draft: Draft, position: str) -> Step | None:
    """A refusal when the input was meant for another place than where the citizen is."""
    return None if draft.position == position else _refuse(draft, "stale_button")


def _moved(draft: Draft, position: str) -> Draft:
    return Draft(position=position, answers=draft.answers)


def _record(questionnaire: Questionnaire, draft: Draft, question: str, value: Answer) -> Step:
    """The answer kept and the next question found; a ``constraint`` that cannot be worked
    out accepts the answer (``Expression.holds``), and the step says so in ``broken``."""
    asked = questionnaire.get(question)
    rule = asked.constraint if asked is not None and value is not None else None
    seen = Effective(questionnaire, draft.answers)  # a rule may read a calculation
    verdict = rule.verdict(seen, value) if rule is not None else True
    if verdict is False:
        return _refuse(draft, "constraint", question=question)
    broken = ((question, "constraint"),) if verdict is None else ()
    answers = {**draft.answers, question: value}
    position, failed = _following(questionnaire, answers, questionnaire.index(question))
    broken += tuple((name, "relevant") for name in failed)
    return Step(Draft(position, answers), answered=question, broken=broken)


def _choose(
    questionnaire: Questionnaire, draft: Draft, question_id: str, code: str, today: date | None
) -> Step:
    question = questionnaire.get(question_id)
    if question is None or Choose not in question.kind.inputs:
        return _refuse(draft, "unknown_button")
    if refused := _at(draft, question_id):
        return refused
    return _answer(questionnaire, draft, question, question.kind.choose_on(question, code, today))


def _answer(
    questionnaire: Questionnaire, draft: Draft, question: Question, value: Answer | Problem
) -> Step:
    """The kind's answer recorded, or the problem it found with the input."""
    if isinstance(value, Problem):
        return Step(draft, value)
    return _record(questionnaire, draft, question.id, value)


def _typed(questionnaire: Questionnaire, draft: Draft, text: str, today: date | None) -> Step:
    if draft.position == PICK:
        applicable = _pickable(questionnaire, draft)
        index = typed_answers.position(text, len(applicable))
        if index is None:
            return _refuse(draft, "not_a_button")
        return Step(_moved(draft, applicable[index].id))
    question = questionnaire.get(draft.position)
    if question is None:
        return _refuse(draft, "not_a_button")
    return _answer(questionnaire, draft, question, question.kind.typed_on(question, text, today))


def _back(questionnaire: Questionnaire, draft: Draft, position: str) -> Step:
    if refused := _at(draft, position):
        return refused
    if position == PICK:
        return Step(_moved(draft, SUMMARY))
    if position != SUMMARY and questionnaire.get(position) is None:
        return _refuse(draft, "unknown_button")
    previous = previous_question(questionnaire, draft.answers, position)
    if previous is None:
        return _refuse(draft, "first_question")
    return Step(_moved(draft, previous))


def previous_question(
    questionnaire: Questionnaire, answers: Mapping[str, Answer], position: str
) -> str | None:
    """The applicable question before ``position`` (the last one before the summary)."""
    questions = questionnaire.questions
    here = len(questions) if position == SUMMARY else questionnaire.index(position)
    effective = Effective(questionnaire, answers)
    for question in reversed(questions[:here]):
        if question.asked and effective.asked(question):
            return question.id
    return None


def _skip(questionnaire: Questionnaire, draft: Draft, question_id: str) -> Step:
    question = questionnaire.get(question_id)
    if question is None:
        return _refuse(draft, "unknown_button")
    if refused := _at(draft, question_id):
        return refused
    if question.required:
        return _refuse(draft, "required")
    return _record(questionnaire, draft, question_id, None)


def _keep(questionnaire: Questionnaire, draft: Draft, question_id: str) -> Step:
    """On past a question answered before, its answer kept, to the question that follows
    it, answered or not (one step, as Back is one step the other way)."""
    if questionnaire.get(question_id) is None:
        return _refuse(draft, "unknown_button")
    if refused := _at(draft, question_id):
        return refused
    if question_id not in draft.answers:
        return _refuse(draft, "stale_button")
    effective = Effective(questionnaire, draft.answers)
    following = questionnaire.questions[questionnaire.index(question_id) + 1 :]
    position = next((q.id for q in following if q.asked and effective.asked(q)), SUMMARY)
    broken = tuple((name, "relevant") for name in effective.failed)
    return Step(_moved(draft, position), answered=question_id, broken=broken)


def _submit(questionnaire: Questionnaire, draft: Draft) -> Step:
    if refused := _at(draft, SUMMARY):
        return refused
    return Step(draft, completed=final_answers(questionnaire, draft.answers))


def _pick(questionnaire: Questionnaire, draft: Draft, question_id: str) -> Step:
    if refused := _at(draft, PICK):
        return refused
    if question_id not in {q.id for q in _pickable(questionnaire, draft)}:
        return _refuse(draft, "unknown_button")
    return Step(_moved(draft, question_id))


def _pickable(questionnaire: Questionnaire, draft: Draft) -> tuple[Question, ...]:
    """The answers a citizen may change from the summary (notes hold none)."""
    return tuple(q for q in questionnaire.applicable(draft.answers) if q.kind.stores)


def _toggle(questionnaire: Questionnaire, draft: Draft, question_id: str, code: str) -> Step:
    question = questionnaire.get(question_id)
    if question is None or Toggle not in question.kind.inputs or code not in question.options:
        return _refuse(draft, "unknown_button")
    if refused := _at(draft, question_id):
        return refused
    chosen = question.kind.toggle(question, draft.answers.get(question_id), code)
    answers = dict(draft.answers)
    if chosen is not None:
        answers[question_id] = chosen
    else:
        answers.pop(question_id, None)
    return Step(Draft(draft.position, answers))


def _done(questionnaire: Questionnaire, draft: Draft, question_id: str) -> Step:
    question = questionnaire.get(question_id)
    if question is None or Done not in question.kind.inputs:
        return _refuse(draft, "unknown_button")
    if refused := _at(draft, question_id):
        return refused
    value = question.kind.done(question, draft.answers.get(question_id))
    return _answer(questionnaire, draft, question, value)
