"""Property-based, on a form staff wrote: ticks, typed numbers and rules in any order never
leave the engine invalid, and what it completes satisfies every rule and check."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import event, given, settings
from hypothesis import strategies as st

from bot.questionnaire import engine
from bot.questionnaire.model import PICK, SUMMARY, Draft, Kind
from bot.questionnaire.xlsform import read_xlsform
from tests.support import xlsforms
from tests.support.validity import problems

Q = read_xlsform(xlsforms.kindergarten(Path(tempfile.mkdtemp()))).questionnaire
IDS = [q.id for q in Q.questions]
CODES = sorted({code for q in Q.questions for code in q.options})
question_ids = st.one_of(st.sampled_from(IDS), st.text(max_size=8))
codes = st.one_of(st.sampled_from(CODES), st.text(max_size=6))
texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["1", "2,4", "1 3", "0", "6", "2.5", "-1", "1,1,2", "9,1", "", "5"]),
)
anything = st.one_of(
    st.builds(engine.Choose, question_ids, codes),
    st.builds(engine.Toggle, question_ids, codes),
    st.builds(engine.Done, question_ids),
    st.builds(engine.Typed, texts),
    st.builds(engine.Back, st.sampled_from([*IDS, SUMMARY, PICK])),
    st.builds(engine.Skip, question_ids),
    st.builds(engine.Pick, question_ids),
    st.just(engine.Submit()),
    st.just(engine.ChangeAnswer()),
)
HERE = "answer the question on screen"
inputs = st.integers(0, 9).flatmap(lambda n: st.just(HERE) if n < 6 else anything)


def answer_here(draft: Draft, choice: int) -> engine.Input:
    if draft.position == SUMMARY:
        return engine.Submit()
    if draft.position == PICK:
        return engine.Pick(IDS[choice % 3])
    question = Q.get(draft.position)
    assert question is not None
    if question.kind is Kind.MULTI:
        if choice % 3 == 0:
            return engine.Done(question.id)
        return engine.Toggle(question.id, question.options[choice % len(question.options)])
    if question.kind is Kind.NUMBER:
        return engine.Typed(str(choice % 7))
    if question.options:
        return engine.Choose(question.id, question.options[choice % len(question.options)])
    return engine.Typed("სადილი ცივია")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(inputs, st.integers(0, 20)), min_size=10, max_size=60))
def test_any_input_sequence_on_a_loaded_form_completes_only_valid_answers(sequence):
    draft = engine.start(Q)
    for given_input, choice in sequence:
        if given_input == HERE:
            given_input = answer_here(draft, choice)
        step = engine.advance(Q, draft, given_input)
        assert step.problem is None or step.draft == draft, "a refusal changes nothing"
        position = step.draft.position
        assert position in (SUMMARY, PICK) or Q.get(position) is not None
        if step.completed is not None:
            event("completed")
            assert problems(Q, step.completed) == []
            draft = engine.start(Q)
        else:
            draft = step.draft
