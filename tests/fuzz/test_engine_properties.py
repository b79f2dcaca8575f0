"""Property-based: any sequence of inputs leaves the engine in a valid state."""

from __future__ import annotations

from hypothesis import event, given, settings
from hypothesis import strategies as st

from bot.questionnaire import engine
from bot.questionnaire.content import load_content
from bot.questionnaire.model import PICK, SUMMARY, Draft
from tests.support.validity import problems

Q = load_content("ka").questionnaire
IDS = [q.id for q in Q.questions]
CODES = sorted({code for q in Q.questions for code in q.options})
POSITIONS = [*IDS, SUMMARY, PICK]

question_ids = st.one_of(st.sampled_from(IDS), st.text(max_size=12))
texts = st.one_of(
    st.text(max_size=40),
    st.text(min_size=990, max_size=1100),
    st.sampled_from(["1", "5", "17", "99", "0", "3.", " 2 ", "٣", "yes", ""]),
)
ANSWER_HERE = "answer the question on screen"
anything = st.one_of(
    st.builds(engine.Choose, question_ids, st.one_of(st.sampled_from(CODES), st.text(max_size=8))),
    st.builds(engine.Typed, texts),
    st.builds(engine.Back, st.one_of(st.sampled_from(POSITIONS), st.text(max_size=8))),
    st.builds(engine.Skip, question_ids),
    st.builds(engine.Pick, question_ids),
    st.just(engine.Submit()),
    st.just(engine.ChangeAnswer()),
)
inputs = st.integers(0, 9).flatmap(lambda n: st.just(ANSWER_HERE) if n < 6 else anything)
"""Mostly sensible answers, so runs reach the end, with anything at all in between."""


def answer_here(draft: Draft, choice: int) -> engine.Input:
    """A sensible input for where the citizen is, so that fuzzed runs also finish."""
    if draft.position == SUMMARY:
        return engine.Submit()
    if draft.position == PICK:
        return engine.Pick(IDS[choice % 2])
    question = Q.get(draft.position)
    assert question is not None
    if question.options:
        return engine.Choose(question.id, question.options[choice % len(question.options)])
    return engine.Typed("ზამთარში შეშა ძვირია")


def valid_draft(draft: Draft) -> bool:
    applicable = {q.id for q in Q.applicable(draft.answers)}
    in_place = draft.position in (SUMMARY, PICK) or draft.position in applicable
    known = all(Q.get(key) is not None for key in draft.answers)
    return in_place and known


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(inputs, st.integers(0, 20)), min_size=12, max_size=80))
def test_any_input_sequence_keeps_a_valid_draft_and_completes_only_valid_answers(sequence):
    draft = engine.start(Q)
    for given_input, choice in sequence:
        if given_input == ANSWER_HERE:
            given_input = answer_here(draft, choice)
        step = engine.advance(Q, draft, given_input)
        assert (step.problem is None) or (step.draft == draft), "a refusal changes nothing"
        assert valid_draft(step.draft)
        if step.completed is not None:
            event("completed")
            assert problems(Q, step.completed) == []
            draft = engine.start(Q)
        else:
            draft = step.draft
