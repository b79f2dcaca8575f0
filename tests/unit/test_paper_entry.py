"""A paper form typed whole is checked as the chat checks it (``bot.application.paper_entry``):
a loaded form's constraint, several options typed as numbers, a follow-up that applies only
after an earlier answer, and what each field shows the clerk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.application.paper_entry import BLANK, check, fields
from bot.dialogue.views import Views
from bot.questionnaire.content import bundled_locale, load_locale
from bot.questionnaire.xlsform import read_xlsform
from tests.support.xlsforms import kindergarten

DAY = date(2025, 7, 1)
TYPED = {
    "garden": "2",
    "content": "2",
    "liked": "1,3",
    "children": "2",
    "problems": "1",
    "problem_text": "კარი არ იკეტება",
}


def loaded(tmp_path: Path):  # type: ignore[no-untyped-def]
    form = read_xlsform(kindergarten(tmp_path)).questionnaire
    locale = load_locale(bundled_locale("ka")).with_texts(form.texts_in("ka"))
    return form, Views(form, locale, "ამბროლაური")


def test_each_field_shows_its_paper_number_and_the_digits_to_type(tmp_path):
    form, views = loaded(tmp_path)
    shown = {f.id: f for f in fields(form, views)}
    assert [f.number for f in shown.values()] == ["1", "2", "3", "4", "5", "5ა"]
    assert shown["garden"].options[1] == ("2", "ბაღი №2 (ნიკორწმინდა)")
    assert shown["content"].options[0] == ("5", "ძალიან კმაყოფილი")  # a scale by its value
    assert not shown["children"].typing and shown["problem_text"].typing
    assert shown["problem_text"].condition == "5" and not shown["problem_text"].required


def test_a_whole_form_typed_with_digits_gives_the_chat_s_answers(tmp_path):
    form, views = loaded(tmp_path)
    result = check(form, views, TYPED, DAY)
    assert result.problems == {}
    assert result.answers == {
        "garden": "garden_2",
        "content": "2",
        "liked": "food building",
        "children": "2",
        "problems": "yes",
        "problem_text": "კარი არ იკეტება",
    }


def test_the_form_s_own_constraint_refuses_and_every_other_problem_is_found_too(tmp_path):
    form, views = loaded(tmp_path)
    result = check(form, views, {**TYPED, "children": "7", "garden": "9"}, DAY)
    assert result.answers is None
    assert result.problems["children"].code == "constraint"
    assert "garden" in result.problems  # found in the same pass, not one at a time


def test_a_follow_up_filled_in_where_the_form_skips_it_is_refused(tmp_path):
    form, views = loaded(tmp_path)
    result = check(form, views, {**TYPED, "content": "5"}, DAY)  # "problems" asked only <= 3
    assert result.problems["problems"].code == "not_asked"


def test_a_dash_is_a_question_left_blank_on_paper_and_an_empty_required_one_is_refused(tmp_path):
    form, views = loaded(tmp_path)
    blank = check(form, views, {**TYPED, "children": BLANK}, DAY)
    assert blank.answers is not None and blank.answers["children"] is None
    missing = check(form, views, {**TYPED, "children": ""}, DAY)
    assert missing.problems["children"].code == "required"


def test_a_phone_number_in_a_text_is_masked_before_it_is_kept(tmp_path):
    form, views = loaded(tmp_path)
    result = check(form, views, {**TYPED, "problem_text": "დამირეკეთ 599123456"}, DAY)
    assert result.masked == 1 and "599123456" not in str(result.answers)
