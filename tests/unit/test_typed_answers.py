"""Typing a button's label presses it; the intro's promise and the counter agree."""

from __future__ import annotations

import pytest

from bot.dialogue.views import Views
from bot.questionnaire import engine
from bot.questionnaire.content import load_content
from bot.questionnaire.model import PICK, SUMMARY, Draft

CONTENT = load_content("ka")
VIEWS = Views(CONTENT.questionnaire, CONTENT.locale, "ამბროლაური")
UP_TO_EXTRA = {
    "service": "winter_heating",
    "gender": "female",
    "info_source": "staff",
    "awareness": "partial",
    "documents": "3",
    "satisfaction": "4",
    "professionalism": "5",
    "helpfulness": "4",
}


def at(position: str, **answers: str) -> Draft:
    return Draft(position, {**UP_TO_EXTRA, **answers} if position != "service" else {})


@pytest.mark.parametrize(
    ("position", "typed", "expected"),
    [
        ("gender", "ქალი", engine.Choose("gender", "female")),
        ("gender", "  ქალი. ", engine.Choose("gender", "female")),
        ("gender", "არ მსურს   მითითება", engine.Choose("gender", "undisclosed")),
        ("satisfaction", "ძალიან კმაყოფილი", engine.Choose("satisfaction", "5")),
        ("satisfaction", "5 — ძალიან კმაყოფილი", engine.Choose("satisfaction", "5")),
        ("service", "ზამთრის თბობა", engine.Choose("service", "winter_heating")),
        ("service", "შინ მოვლის პროგრამა", engine.Choose("service", "home_care")),
        ("extra_needs", "დიახ", engine.Choose("extra_needs", "yes")),
        ("extra_needs", "უკან", engine.Back("extra_needs")),
        ("suggestions", "გამოტოვება", engine.Skip("suggestions")),
        (SUMMARY, "გაგზავნა", engine.Submit()),
        (SUMMARY, "✏️ პასუხის შეცვლა", engine.ChangeAnswer()),
        (PICK, "სქესი", engine.Pick("gender")),
    ],
)
def test_a_typed_label_presses_its_button(position, typed, expected):
    draft = (
        at(position, extra_needs="no", suggestions="")
        if position in (SUMMARY, PICK)
        else at(position)
    )
    assert VIEWS.understand(draft, typed).given == expected


@pytest.mark.parametrize(
    ("position", "typed"),
    [
        ("satisfaction", "5"),
        ("documents", "3"),
        ("gender", "2"),
        ("gender", "2."),
        ("gender", "ქალ"),
    ],
)
def test_digits_and_other_text_stay_typed_for_the_engine(position, typed):
    assert VIEWS.understand(at(position), typed).given == engine.Typed(typed)


def test_a_typed_digit_on_a_scale_is_still_the_scale_value():
    draft = at("satisfaction")
    step = engine.advance(CONTENT.questionnaire, draft, VIEWS.understand(draft, "2").given)
    assert step.draft.answers["satisfaction"] == "2"


def test_free_text_loses_personal_details_and_says_how_many():
    understood = VIEWS.understand(at("suggestions", extra_needs="no"), "დამირეკეთ 599 12 34 56")
    assert understood.given == engine.Typed("დამირეკეთ [წაშლილია]") and understood.masked == 1


def test_paper_desk_accepts_the_not_answered_label():
    assert VIEWS.understand_paper(at("gender"), "არ არის შევსებული").given == engine.Blank("gender")


def test_the_intro_promises_as_many_questions_as_the_counter_counts():
    assert "10 მოკლე კითხვა" in VIEWS.intro()
    follow_up = Draft("extra_needs_text", {**UP_TO_EXTRA, "extra_needs": "yes"})
    assert VIEWS.prompt(follow_up).text.startswith("კითხვა 9ა / 10")
    last = Draft("suggestions", {**UP_TO_EXTRA, "extra_needs": "yes", "extra_needs_text": "x"})
    assert VIEWS.prompt(last).text.startswith("კითხვა 10 / 10")
    assert VIEWS.prompt(at("service")).text.startswith("კითხვა 1 / 10")


def test_free_text_prompts_ask_not_to_write_personal_details():
    text = VIEWS.prompt(at("suggestions", extra_needs="no")).text
    assert CONTENT.locale.t("prompt.privacy_hint") in text
