"""The question kinds and groups of issue 32, on the engine alone (no channel, no clock):
dates and times as people in Georgia write them, "today" as the adapter says it is, a
calculation read by rules and kept only when marked, a group's rule over its questions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.questionnaire import engine
from bot.questionnaire.definition import from_data, to_data
from bot.questionnaire.engine import Choose, Skip, Typed
from bot.questionnaire.model import Draft, Kind, Question, Questionnaire
from bot.questionnaire.typed_answers import Problem
from bot.questionnaire.xlsform import FormError, read_xlsform
from tests.support.sections_form import sections_form
from tests.support.xlsforms import settings, write_xlsform

DAY = date(2026, 12, 7)
WHEN = Question("when", Kind.DATE, required=True)
AT = Question("at", Kind.TIME, required=True)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12.08.2026", "2026-08-12"),
        ("12/8/2026", "2026-08-12"),
        ("2026-08-12", "2026-08-12"),
        ("12.08.26", "2026-08-12"),
        ("12 აგვისტო 2026", "2026-08-12"),
        ("12 აგვისტოს", "2026-08-12"),
        ("1 იანვარი 2025 წ.", "2025-01-01"),
        ("3.5", "2026-05-03"),
    ],
)
def test_a_date_is_read_as_people_in_georgia_write_it(typed: str, stored: str):
    assert Kind.DATE.typed_on(WHEN, typed, DAY) == stored


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("31.02.2026", "date_invalid"), ("გუშინ", "date_format"), ("12 ბლაბლა", "date_format")],
)
def test_a_date_that_is_no_day_is_refused_with_its_reason(typed: str, problem: str):
    assert Kind.DATE.typed_on(WHEN, typed, DAY) == Problem(problem)


def test_a_day_without_its_year_needs_the_adapter_to_say_which_year_it_is():
    assert Kind.DATE.typed(WHEN, "12 აგვისტო") == Problem("date_year"), "an import: no year"
    assert Kind.DATE.choose_on(WHEN, "today", None) == Problem("unknown_button")
    assert Kind.DATE.choose_on(WHEN, "today", DAY) == "2026-12-07"
    assert Kind.DATE.shown("2026-12-07") == "07.12.2026"


@pytest.mark.parametrize(
    ("typed", "stored"), [("14:30", "14:30"), ("9.05", "09:05"), ("14 30", "14:30")]
)
def test_a_time_is_read_as_hours_and_minutes(typed: str, stored: str):
    assert Kind.TIME.typed(AT, typed) == stored


@pytest.mark.parametrize("typed", ["25:00", "14:61", "შუადღე", "1430"])
def test_a_time_that_is_no_time_of_day_is_refused(typed: str):
    assert Kind.TIME.typed(AT, typed) == Problem("time_format")


def test_the_today_button_takes_the_date_the_engine_is_given():
    form = Questionnaire("t_v1", (WHEN,))
    step = engine.advance(form, engine.start(form), Choose("when", "today"), today=DAY)
    assert step.draft.answers == {"when": "2026-12-07"}
    stale = engine.advance(form, engine.start(form), Choose("when", "today"))
    assert stale.problem is not None, "without a date from the adapter, no answer"


def test_a_calculation_is_never_asked_decides_a_group_and_is_kept_only_when_marked(
    tmp_path: Path,
):
    form = read_xlsform(sections_form(tmp_path)).questionnaire
    draft = engine.start(form)
    for given in (Typed("40"), Choose("pension", "no")):
        draft = engine.advance(form, draft, given).draft
    assert draft.position == "comment", "the visit group's relevant reads elderly = 0"
    draft = engine.advance(form, draft, Skip("comment")).draft
    assert engine.final_answers(form, draft.answers) == {
        "age": "40",
        "pension": "no",
        "comment": None,
        "elderly": "0",
    }
    unkept = Questionnaire(
        form.version,
        tuple(
            Question(q.id, q.kind, q.required, q.options, q.relevant, calculation=q.calculation)
            if q.calculation is not None
            else q
            for q in form.questions
        ),
    )
    assert "elderly" not in engine.final_answers(unkept, draft.answers)
    assert "elderly" not in [q.id for q in unkept.answerable()]


def test_a_constraint_may_read_a_calculation(tmp_path: Path):
    survey = (
        ("type", "name", "label::ka", "calculation", "constraint"),
        ("integer", "adults", "ზრდასრულები", "", ""),
        ("calculate", "most", "", "${adults} * 2", ""),
        ("integer", "children", "ბავშვები", "", ". <= ${most}"),
    )
    form = read_xlsform(
        write_xlsform(tmp_path / "c.xlsx", survey, None, settings("c"))
    ).questionnaire
    draft = engine.advance(form, engine.start(form), Typed("2")).draft
    assert engine.advance(form, draft, Typed("5")).problem == Problem(
        "constraint", {"question": "children"}
    )
    assert engine.advance(form, draft, Typed("4")).draft.position == "@summary"


def test_groups_and_calculations_survive_being_stored_and_read_back(tmp_path: Path):
    form = read_xlsform(sections_form(tmp_path)).questionnaire
    again = from_data(to_data(form))
    assert again == form
    assert [q.section for q in again.questions] == [
        "about",
        "about",
        "",
        "visit",
        "visit",
        "visit",
        "",
    ]
    assert [q.page for q in again.questions][:2] == ["about", "about"]
    assert again.get("elderly").keep and again.get("elderly").calculation is not None


def test_an_other_choice_adds_its_typed_follow_up_asked_only_after_other(tmp_path: Path):
    form = read_xlsform(sections_form(tmp_path)).questionnaire
    helped, other = form.get("helped"), form.get("helped_other")
    assert helped.options[-1] == "other" and other.kind == Kind.TEXT
    draft = Draft("helped", {"age": "70", "pension": "yes", "visit_day": "2026-08-12"})
    assert engine.advance(form, draft, Choose("helped", "food")).draft.position == "comment"
    assert engine.advance(form, draft, Choose("helped", "other")).draft.position == "helped_other"


def test_a_group_left_open_or_closed_twice_is_named_at_its_row(tmp_path: Path):
    survey = (
        ("type", "name", "label::ka"),
        ("end group", "", ""),
        ("begin group", "part", "ნაწილი"),
        ("text", "q", "კითხვა"),
    )
    with pytest.raises(FormError) as refused:
        read_xlsform(write_xlsform(tmp_path / "g.xlsx", survey, None, settings("g")))
    found = {(p.row, p.code) for p in refused.value.problems}
    assert {(2, "group_end"), (3, "group_open")} <= found


def test_several_answers_or_other_asks_what_the_other_is_when_it_is_ticked(tmp_path: Path):
    survey = (("type", "name", "label::ka"), ("select_multiple needs or_other", "needs", "რა?"))
    choices = (("list_name", "name", "label::ka"), ("needs", "food", "საკვები"))
    path = write_xlsform(tmp_path / "m.xlsx", survey, choices, settings("m"))
    form = read_xlsform(path).questionnaire
    assert form.get("needs").options == ("food", "other")
    draft = engine.advance(form, engine.start(form), Typed("1,2")).draft
    assert draft.answers == {"needs": "food other"} and draft.position == "needs_other"
    assert engine.advance(form, engine.start(form), Typed("1")).draft.position == "@summary"
