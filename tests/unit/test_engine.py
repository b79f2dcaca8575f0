"""The questionnaire engine: pure state + input -> new state, no I/O at all."""

from __future__ import annotations

import pytest

from bot.questionnaire import engine
from bot.questionnaire.content import bundled_questionnaire, load_questionnaire
from bot.questionnaire.engine import Back, ChangeAnswer, Choose, Pick, Skip, Submit, Typed
from bot.questionnaire.model import PICK, SUMMARY, Draft

Q = load_questionnaire(bundled_questionnaire())
BEFORE_NEEDS = {
    "service": "dialysis",
    "gender": "male",
    "info_source": "staff",
    "awareness": "none",
    "documents": "1",
    "satisfaction": "2",
    "professionalism": "3",
    "helpfulness": "4",
}


def at(position: str, **answers: str | None) -> Draft:
    return Draft(position=position, answers={**BEFORE_NEEDS, **answers})


def test_questionnaire_has_the_ten_standard_questions_and_the_conditional_one():
    ids = [q.id for q in Q.questions]
    assert ids == [
        "service",
        "gender",
        "info_source",
        "awareness",
        "documents",
        "satisfaction",
        "professionalism",
        "helpfulness",
        "extra_needs",
        "extra_needs_text",
        "suggestions",
    ]
    assert len(Q.get("service").options) == 17 and Q.get("service").options[-1] == "other"
    assert not Q.get("suggestions").required and not Q.get("extra_needs_text").required


def test_start_asks_the_first_question_or_skips_a_prefilled_service():
    assert engine.start(Q).position == "service"
    assert engine.start(Q, {"service": "funeral"}).position == "gender"


def test_choosing_an_option_records_it_and_moves_on():
    step = engine.advance(Q, engine.start(Q), Choose("service", "veterans"))
    assert step.problem is None and step.answered == "service"
    assert step.draft.answers == {"service": "veterans"} and step.draft.position == "gender"


def test_unknown_option_code_is_refused_and_nothing_changes():
    draft = engine.start(Q)
    step = engine.advance(Q, draft, Choose("service", "lottery"))
    assert step.problem.code == "unknown_button" and step.draft == draft


def test_button_for_another_question_is_stale():
    draft = at("extra_needs")
    step = engine.advance(Q, draft, Choose("gender", "female"))
    assert step.problem.code == "stale_button" and step.draft == draft


def test_yes_on_extra_needs_asks_for_the_description_and_no_skips_it():
    assert engine.advance(Q, at("extra_needs"), Choose("extra_needs", "yes")).draft.position == (
        "extra_needs_text"
    )
    assert engine.advance(Q, at("extra_needs"), Choose("extra_needs", "no")).draft.position == (
        "suggestions"
    )


@pytest.mark.parametrize("text", ["5", " 5 ", "٥"])
def test_scale_accepts_a_typed_digit_only_when_it_is_on_the_scale(text):
    step = engine.advance(Q, at("satisfaction"), Typed(text))
    if text.strip() == "5":
        assert step.draft.answers["satisfaction"] == "5" and step.problem is None
    else:
        assert step.problem.code == "scale_digit"
        assert step.problem.values == {"low": 1, "high": 5}


def test_documents_scale_runs_one_to_four():
    step = engine.advance(Q, at("documents"), Typed("5"))
    assert step.problem.code == "scale_digit" and step.problem.values == {"low": 1, "high": 4}


def test_text_on_a_choice_question_is_not_an_answer():
    draft = at("gender")
    step = engine.advance(Q, draft, Typed("female"))
    assert step.problem.code == "not_a_button" and step.draft == draft


def test_free_text_is_kept_up_to_the_limit_and_refused_beyond_it():
    exact = engine.advance(Q, at("suggestions", extra_needs="no"), Typed("ა" * 1000))
    assert exact.draft.answers["suggestions"] == "ა" * 1000
    over = engine.advance(Q, at("suggestions", extra_needs="no"), Typed("ა" * 1001))
    assert over.problem.code == "too_long" and over.problem.values["length"] == 1001
    assert "suggestions" not in over.draft.answers


def test_empty_text_is_refused():
    assert engine.advance(Q, at("suggestions", extra_needs="no"), Typed(" \n ")).problem.code == (
        "empty_text"
    )


def test_skip_is_allowed_only_for_optional_questions():
    skipped = engine.advance(Q, at("suggestions", extra_needs="no"), Skip("suggestions"))
    assert skipped.draft.answers["suggestions"] is None and skipped.draft.position == SUMMARY
    refused = engine.advance(Q, Draft("gender", {"service": "x"}), Skip("gender"))
    assert refused.problem.code == "required"


def test_back_goes_to_the_previous_applicable_question():
    assert engine.advance(
        Q, at("suggestions", extra_needs="no"), Back("suggestions")
    ).draft.position == ("extra_needs")
    draft = at("suggestions", extra_needs="yes", extra_needs_text="x")
    assert engine.advance(Q, draft, Back("suggestions")).draft.position == "extra_needs_text"


def test_back_on_the_first_question_is_refused_kindly():
    assert engine.advance(Q, engine.start(Q), Back("service")).problem.code == "first_question"


def test_after_going_back_and_answering_the_citizen_returns_to_the_first_unanswered():
    draft = Draft("gender", {"service": "funeral", "gender": "male", "info_source": "staff"})
    step = engine.advance(Q, draft, Choose("gender", "female"))
    assert step.draft.position == "awareness"


def test_summary_then_change_then_pick_then_answer_returns_to_summary():
    full = at(SUMMARY, extra_needs="no", suggestions=None)
    picking = engine.advance(Q, full, ChangeAnswer()).draft
    assert picking.position == PICK
    editing = engine.advance(Q, picking, Pick("satisfaction")).draft
    assert editing.position == "satisfaction"
    back_at_summary = engine.advance(Q, editing, Choose("satisfaction", "5")).draft
    assert back_at_summary.position == SUMMARY and back_at_summary.answers["satisfaction"] == "5"


def test_changing_extra_needs_to_yes_asks_the_description_before_the_summary():
    full = at("extra_needs", extra_needs="no", suggestions=None)
    assert engine.advance(Q, full, Choose("extra_needs", "yes")).draft.position == (
        "extra_needs_text"
    )


def test_pick_of_a_question_that_does_not_apply_is_refused():
    picking = at(PICK, extra_needs="no", suggestions=None)
    assert engine.advance(Q, picking, Pick("extra_needs_text")).problem.code == "unknown_button"


def test_submit_only_from_the_summary_and_drops_answers_that_no_longer_apply():
    assert engine.advance(Q, at("gender"), Submit()).problem.code == "stale_button"
    full = at(SUMMARY, extra_needs="no", extra_needs_text="left over", suggestions=None)
    completed = engine.advance(Q, full, Submit()).completed
    assert completed == {**BEFORE_NEEDS, "extra_needs": "no", "suggestions": None}


def test_keep_goes_one_question_on_with_every_answer_as_it_was():
    """The web page's Forward after Back: the next question, answered or not."""
    draft = at("gender", extra_needs="yes", extra_needs_text="x")
    step = engine.advance(Q, draft, engine.Keep("gender"))
    assert step.problem is None and step.draft.position == "info_source"
    assert step.draft.answers == draft.answers
    step = engine.advance(Q, at("extra_needs", extra_needs="no"), engine.Keep("extra_needs"))
    assert step.draft.position == "suggestions"  # the description does not apply


def test_keep_is_refused_for_a_question_not_answered_or_not_the_one_asked():
    unanswered = Draft(position="gender", answers={"service": "dialysis"})
    assert engine.advance(Q, unanswered, engine.Keep("gender")).problem is not None
    assert engine.advance(Q, at("gender"), engine.Keep("service")).problem is not None
