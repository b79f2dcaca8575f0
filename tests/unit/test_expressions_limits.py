"""Rules no form can hang a citizen with: refused at ``form add`` beyond a size and a
depth, read and worked out without recursion, and taken as holding when they fail anyway."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.questionnaire import engine
from bot.questionnaire.engine import Choose, Typed
from bot.questionnaire.expression_parser import nesting, tokens_of
from bot.questionnaire.expressions import LIMITS, ExpressionError, parse
from bot.questionnaire.model import SUMMARY, Draft, Kind, Question, Questionnaire
from bot.questionnaire.xlsform import FormError, read_xlsform
from tests.support.xlsforms import settings, write_xlsform

HUGE = "1" + "0" * 400
"""A number too large for a float: ``mod`` of it cannot be worked out (``math.fmod``)."""
YES_NO = (("list_name", "name", "label::ka"), ("yes_no", "yes", "დიახ"), ("yes_no", "no", "არა"))


def long_sum(terms: int) -> str:
    """The attack as reported: ``${a} + … > 1``."""
    return " + ".join(["${a}"] * terms) + " > 1"


def deep(levels: int) -> str:
    return "(" * levels + "${a} = 'yes'" + ")" * levels


@contextmanager
def shallow_stack(frames: int = 40) -> Iterator[None]:
    """Python's recursion limit set this many frames above where the test stands: code
    that recursed once per term or per question would raise RecursionError here."""
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


def form_with(tmp_path: Path, *rules: tuple[str, str]) -> Path:
    """A yes/no question, then one text question per (column, expression)."""
    survey: list[tuple[str, ...]] = [
        ("type", "name", "label::ka", "required", "relevant", "constraint"),
        ("select_one yes_no", "a", "გქონდათ პრობლემა?", "yes", "", ""),
    ]
    for n, (column, text) in enumerate(rules):
        relevant, constraint = (text, "") if column == "relevant" else ("", text)
        survey.append(("text", f"t{n}", f"კითხვა {n}", "no", relevant, constraint))
    return write_xlsform(tmp_path / "rules.xlsx", survey, YES_NO, settings("rules"))


def test_a_thousand_term_and_a_150_deep_rule_are_refused_at_their_cells(tmp_path: Path):
    path = form_with(tmp_path, ("relevant", long_sum(1000)), ("relevant", deep(150)))
    with pytest.raises(FormError) as refused:
        read_xlsform(path)
    found = {
        (p.where, p.code, p.values["detail"], p.values["limit"]) for p in refused.value.problems
    }
    assert found == {
        ("survey:3:relevant", "expression_size", "2001", str(LIMITS.tokens)),
        ("survey:4:relevant", "expression_nesting", "150", str(LIMITS.nesting)),
    }
    quoted = [p.values["text"] for p in refused.value.problems]
    assert all(len(text) <= 60 and text.endswith("…") for text in quoted), quoted


def test_rules_just_within_the_limits_load(tmp_path: Path):
    widest = " or ".join(["${a} = 'yes'"] * 50)  # 50 × 3 tokens + 49 "or" = 199
    deepest = "not(" * (LIMITS.nesting - 1) + "(${a} = 'yes')" + ")" * (LIMITS.nesting - 1)
    assert len(tokens_of(widest)) == LIMITS.tokens - 1
    assert nesting(tokens_of(deepest)) == LIMITS.nesting
    form = read_xlsform(form_with(tmp_path, ("relevant", widest), ("constraint", deepest)))
    _, wide, deep_rule = form.questionnaire.questions
    assert wide.relevant is not None and wide.relevant.holds({"a": "yes"})
    assert deep_rule.constraint is not None  # 19 × not(): the opposite of ${a} = 'yes'
    assert deep_rule.constraint.holds({"a": "no"}) and not deep_rule.constraint.holds({"a": "yes"})


def test_a_deep_constraint_is_refused_as_a_relevant_is(tmp_path: Path):
    with pytest.raises(FormError) as refused:
        read_xlsform(form_with(tmp_path, ("constraint", deep(LIMITS.nesting + 1))))
    [problem] = refused.value.problems
    assert (problem.where, problem.code) == ("survey:3:constraint", "expression_nesting")


def test_a_900_term_sum_is_read_and_worked_out_without_recursion_per_term():
    with shallow_stack():
        rule = parse(long_sum(900))  # no limits: a form stored earlier is read back so
        assert rule.holds({"a": "1"}) and not rule.holds({"a": "0"})
        assert rule.verdict({"a": "0"}) is False


def test_150_parentheses_are_read_and_worked_out_without_recursion_per_level():
    with shallow_stack():
        rule = parse(deep(150))
        assert rule.holds({"a": "yes"}) and not rule.holds({"a": "no"})


def test_long_and_or_chains_short_circuit_without_recursion():
    chain = " and ".join(["${a} = 'yes'"] * 600) + " or " + " or ".join(["${b} > 2"] * 600)
    with shallow_stack():
        rule = parse(chain)
        assert rule.holds({"a": "yes"}) and rule.holds({"a": "no", "b": "3"})
        assert not rule.holds({"a": "no", "b": "1"})


def test_a_chain_of_300_follow_ups_is_worked_out_without_recursion_per_question():
    questions = [Question("q0", Kind.CHOICE, True, ("y", "n"))]
    for n in range(1, 300):
        rule = parse(f"${{q{n - 1}}} = 'y'")
        questions.append(Question(f"q{n}", Kind.CHOICE, True, ("y", "n"), relevant=rule))
    form = Questionnaire("chain_v1", tuple(questions))
    answers = {f"q{n}": "y" for n in range(300)} | {"q0": "n"}
    with shallow_stack():
        assert engine.previous_question(form, answers, SUMMARY) == "q0"
        assert [q.id for q in form.applicable(answers)] == ["q0"]


@pytest.mark.parametrize("text", ["${a} +", "(" * 3 + "1", "not(1, 2)", "(1, 2)", "1 2"])
def test_a_broken_long_rule_is_still_a_syntax_error_not_a_crash(text):
    with pytest.raises(ExpressionError) as refused:
        parse(long_sum(100) + " and " + text)
    assert refused.value.code == "expression_syntax"


@pytest.fixture
def failing(tmp_path: Path) -> Questionnaire:
    """Within the limits, but failing whenever a citizen meets it: a follow-up whose
    ``relevant`` and a number whose ``constraint`` take ``mod`` of a number too large."""
    survey = (
        ("type", "name", "label::ka", "required", "relevant", "constraint"),
        ("select_one yes_no", "a", "გქონდათ პრობლემა?", "yes", "", ""),
        ("text", "what", "რა მოხდა?", "no", f"${{a}} = 'yes' and {HUGE} mod 3 = 1", ""),
        ("integer", "times", "რამდენჯერ?", "yes", "", f"{HUGE} mod . = 1"),
    )
    path = write_xlsform(tmp_path / "failing.xlsx", survey, YES_NO, settings("failing"))
    return read_xlsform(path).questionnaire


def test_a_relevant_that_fails_asks_its_question_and_the_step_names_it(failing):
    step = engine.advance(failing, engine.start(failing), Choose("a", "yes"))
    assert step.problem is None and step.draft.position == "what"
    assert step.broken == (("what", "relevant"),)
    assert failing.applies(failing.questions[1], step.draft.answers)


def test_a_relevant_cut_short_by_and_does_not_fail(failing):
    step = engine.advance(failing, engine.start(failing), Choose("a", "no"))
    assert step.draft.position == "times" and step.broken == ()


def test_a_constraint_that_fails_accepts_the_answer_and_the_form_can_be_sent(failing):
    draft = Draft("times", {"a": "yes", "what": "ცივი სადილი"})
    step = engine.advance(failing, draft, Typed("3"))
    assert step.problem is None and step.draft.position == SUMMARY
    assert step.broken == (("times", "constraint"),)
    sent = engine.advance(failing, step.draft, engine.Submit())
    assert sent.completed == {"a": "yes", "what": "ცივი სადილი", "times": "3"}


def test_a_failed_rule_is_told_apart_from_a_false_one():
    rule = parse(f"{HUGE} mod ${{n}} = 1")
    assert rule.verdict({"n": "3"}) is None and rule.holds({"n": "3"})
    assert parse("${n} mod 2 = 1").verdict({"n": "4"}) is False
