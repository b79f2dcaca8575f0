"""The pure engine on a form staff wrote: several answers, typed numbers, rules, checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.questionnaire import engine
from bot.questionnaire.engine import Back, Choose, Done, Skip, Submit, Toggle, Typed
from bot.questionnaire.expressions import ExpressionError, parse
from bot.questionnaire.model import SUMMARY, Draft
from bot.questionnaire.xlsform import read_xlsform
from tests.support import xlsforms


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    folder: Path = tmp_path_factory.mktemp("forms")
    return read_xlsform(xlsforms.kindergarten(folder)).questionnaire


def answer(form, draft: Draft, *inputs: engine.Input) -> Draft:
    for given in inputs:
        step = engine.advance(form, draft, given)
        assert step.problem is None, step.problem
        draft = step.draft
    return draft


def test_toggling_options_keeps_the_question_and_done_moves_on(form):
    draft = answer(form, engine.start(form), Choose("garden", "garden_2"), Choose("content", "4"))
    assert draft.position == "liked"
    draft = answer(form, draft, Toggle("liked", "hours"), Toggle("liked", "food"))
    assert draft.position == "liked" and draft.answers["liked"] == "food hours"
    draft = answer(form, draft, Toggle("liked", "hours"), Done("liked"))
    assert draft.answers["liked"] == "food" and draft.position == "children"


def test_done_with_nothing_ticked_on_a_required_question_is_refused(form):
    draft = Draft("liked", {"garden": "garden_1", "content": "5"})
    step = engine.advance(form, draft, Done("liked"))
    assert step.problem.code == "required_multi" and step.draft == draft


def test_typed_numbers_choose_exactly_those_options_in_list_order(form):
    draft = Draft("liked", {"garden": "garden_1", "content": "5"})
    after = answer(form, draft, Typed("3, 1"))
    assert after.answers["liked"] == "food building" and after.position == "children"
    step = engine.advance(form, draft, Typed("1,9"))
    assert step.problem.code == "multi_numbers" and step.problem.values == {"count": 4}


def test_a_number_outside_the_constraint_is_refused_with_its_question_named(form):
    draft = Draft("children", {"garden": "garden_1", "content": "5", "liked": "food"})
    for typed in ("0", "6"):
        step = engine.advance(form, draft, Typed(typed))
        assert step.problem.code == "constraint" and step.problem.values == {"question": "children"}
    assert engine.advance(form, draft, Typed("2.5")).problem.code == "integer_expected"
    assert engine.advance(form, draft, Typed("two")).problem.code == "integer_expected"
    assert answer(form, draft, Typed(" 2 ")).answers["children"] == "2"


def test_the_relevant_chain_asks_the_follow_ups_only_when_they_apply(form):
    start = {"garden": "garden_3", "liked": "food", "children": "1"}
    happy = Draft("content", {k: v for k, v in start.items() if k != "children"})
    happy = answer(form, happy, Choose("content", "5"))
    assert happy.position == "children"
    assert answer(form, happy, Typed("1")).position == SUMMARY  # 5: no problems asked
    unhappy = answer(
        form,
        Draft("content", {"garden": "garden_3", "liked": "food"}),
        Choose("content", "2"),
        Typed("1"),
    )
    assert unhappy.position == "problems"
    said_no = answer(form, unhappy, Choose("problems", "no"))
    assert said_no.position == SUMMARY
    said_yes = answer(form, unhappy, Choose("problems", "yes"))
    assert said_yes.position == "problem_text"
    done = answer(form, said_yes, Typed("სადილი ცივია"))
    # Changing the satisfaction to 5 withdraws the problem and its description.
    changed = answer(
        form, done, engine.ChangeAnswer(), engine.Pick("content"), Choose("content", "5")
    )
    completed = engine.advance(form, changed, Submit()).completed
    assert completed == {"garden": "garden_3", "content": "5", "liked": "food", "children": "1"}


def test_back_skips_questions_that_do_not_apply(form):
    draft = Draft(SUMMARY, {"garden": "garden_1", "content": "5", "liked": "food", "children": "1"})
    assert answer(form, draft, Back(SUMMARY)).position == "children"
    assert (
        engine.advance(form, Draft("garden", {}), Back("garden")).problem.code == "first_question"
    )


def test_an_optional_text_may_be_skipped_and_a_required_question_may_not(form):
    at_text = Draft("problem_text", {"content": "1", "problems": "yes"})
    assert answer(form, at_text, Skip("problem_text")).answers["problem_text"] is None
    assert engine.advance(form, Draft("liked", {}), Skip("liked")).problem.code == "required"


def test_a_button_of_another_kind_is_refused(form):
    draft = Draft("liked", {"garden": "garden_1", "content": "5"})
    assert engine.advance(form, draft, Choose("liked", "food")).problem.code == "unknown_button"
    assert engine.advance(form, draft, Toggle("liked", "nope")).problem.code == "unknown_button"
    assert (
        engine.advance(form, draft, Toggle("garden", "garden_1")).problem.code == "unknown_button"
    )


@pytest.mark.parametrize(
    ("text", "answers", "holds"),
    [
        ("${a} = 'yes'", {"a": "yes"}, True),
        ("${a} = 'yes'", {"a": None}, False),
        ("${a} != 'yes'", {}, True),
        ("selected(${m}, 'x')", {"m": "w x"}, True),
        ("selected(${m}, 'x')", {"m": "xx"}, False),
        ("${n} > 2 and ${n} <= 5", {"n": "3"}, True),
        ("${n} > 2 or not(${a} = 'yes')", {"n": "1", "a": "yes"}, False),
        ("${n} > 2", {"n": ""}, False),
        ("${n} * 2 + 1 = 7", {"n": "3"}, True),
        ("${n} div 2 = 1.5", {"n": "3"}, True),
        ("count-selected(${m}) >= 2", {"m": "a b"}, True),
        ("string-length(${t}) < 5", {"t": "abc"}, True),
        ("(${a} = 'yes' or ${a} = 'maybe') and true()", {"a": "maybe"}, True),
    ],
)
def test_expressions_evaluate_as_odk_would(text, answers, holds):
    assert parse(text).holds(answers) is holds


def test_the_answer_being_checked_is_the_dot():
    assert parse(". >= 1 and . <= 5").holds({}, "3")
    assert not parse(". >= 1 and . <= 5").holds({}, "0")


@pytest.mark.parametrize(
    "text",
    ["__import__('os')", "${a} = ", "today() > 1", "${a} ==", "pulldata('x')", "'a' = 'b' )"],
)
def test_anything_but_the_supported_expressions_is_refused(text):
    with pytest.raises(ExpressionError):
        parse(text)


NOTE_SURVEY = (
    ("type", "name", "label::ka", "required", "relevant", "parameters"),
    ("note", "welcome", "ეს კითხვარი წყალმომარაგებაზეა.", "", "", ""),
    ("decimal", "hours", "რამდენი საათი?", "yes", "", ""),
    ("range", "age", "ასაკი", "no", "", "start=18 end=100 step=1"),
    ("note", "thanks", "მადლობა!", "", "${hours} < 2", ""),
)


@pytest.fixture(scope="module")
def water(tmp_path_factory):
    folder: Path = tmp_path_factory.mktemp("water")
    path = xlsforms.write_xlsform(folder / "w.xlsx", NOTE_SURVEY, None, xlsforms.settings("w"))
    return read_xlsform(path).questionnaire


def test_a_note_is_read_and_passed_with_one_button_and_stores_nothing(water):
    from bot.dialogue.callbacks import decode
    from bot.dialogue.views import Views
    from bot.questionnaire.content import bundled_locale, load_locale

    views = Views(water, load_locale(bundled_locale("ka")).with_texts(water.texts_in("ka")), "მ")
    draft = engine.start(water)
    reply = views.prompt(draft)
    assert reply.text.startswith("ეს კითხვარი") and "კითხვა 1" not in reply.text
    [[next_button]] = reply.buttons
    assert decode(next_button.data) == Done("welcome")
    draft = answer(water, draft, Done("welcome"), Typed("1,5"))
    assert draft.answers["hours"] == "1.5" and draft.position == "age"
    assert "კითხვა 2 / 2" in views.prompt(draft).text, "notes are not numbered"
    out_of_range = engine.advance(water, draft, Typed("17"))
    assert out_of_range.problem.code == "out_of_range"
    assert out_of_range.problem.values == {"low": "18", "high": "100"}
    draft = answer(water, draft, Typed("70"), Done("thanks"))
    completed = engine.advance(water, draft, Submit()).completed
    assert completed == {"hours": "1.5", "age": "70"}


@pytest.mark.parametrize(
    ("parameters", "accepted", "refused"),
    [
        ("start=0 end=10 step=0.5", ("1.5", "2,5", "3"), ("1.25", "11")),
        ("start=0.5 end=20.5 step=1", ("0.5", "13,5"), ("1", "21.5")),
    ],
)
def test_a_range_with_a_fraction_takes_the_numbers_on_its_steps(
    tmp_path: Path, parameters: str, accepted: tuple[str, ...], refused: tuple[str, ...]
):
    """A required range staff wrote with half steps must be answerable, or the citizen is
    stuck on it for good."""
    survey = [
        ("type", "name", "label::ka", "required", "parameters"),
        ("range", "hours", "რამდენი საათი?", "yes", parameters),
    ]
    path = xlsforms.write_xlsform(tmp_path / "r.xlsx", survey, None, xlsforms.settings("r"))
    form = read_xlsform(path).questionnaire
    for typed in accepted:
        step = engine.advance(form, engine.start(form), Typed(typed))
        assert step.problem is None, (typed, step.problem)
        assert step.draft.answers["hours"] == typed.replace(",", ".")
    for typed in refused:
        assert engine.advance(form, engine.start(form), Typed(typed)).problem.code == "out_of_range"


def test_a_number_too_long_to_keep_exactly_is_refused_kindly_not_stored_changed(water):
    """310 digits used to crash into the generic apology; 17 digits were stored as another
    figure. Both now get the question's own message, and a 15-digit number stays exact."""
    draft = answer(water, engine.start(water), Done("welcome"))
    for typed in ("1" * 310, "12345678901234567", "1" * 20 + ",5"):
        step = engine.advance(water, draft, Typed(typed))
        assert step.problem.code == "decimal_expected" and step.draft == draft
    assert answer(water, draft, Typed("123456789012345")).answers["hours"] == "123456789012345"
    assert answer(water, draft, Typed("2,50")).answers["hours"] == "2.5"
    at_age = answer(water, draft, Typed("3"))
    step = engine.advance(water, at_age, Typed("9" * 400))
    assert step.problem.code == "out_of_range" and step.problem.values == {
        "low": "18",
        "high": "100",
    }
