"""Questionnaires written by staff as XLSForm: what loads, and what is refused (and where)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.questionnaire.content import (
    bundled_definition,
    bundled_locale,
    bundled_questionnaire,
    bundled_source,
    load_locale,
    load_questionnaire,
)
from bot.questionnaire.definition import content_hash, from_data, to_data
from bot.questionnaire.model import Kind
from bot.questionnaire.xlsform import FormError, read_xlsform
from tests.support import xlsforms


def test_the_shipped_social_services_xlsform_is_the_questionnaire_of_the_yaml():
    from_xlsx = load_questionnaire(bundled_questionnaire())
    assert from_xlsx == load_questionnaire(bundled_source())
    assert from_xlsx.version == "social_services_v1" and from_xlsx.form_id == "social_services"
    assert from_xlsx.with_role("service").id == "service"
    assert from_xlsx.get("extra_needs_text").ask_if.equals == "yes"


@pytest.mark.parametrize("language", ["ka", "en"])
def test_the_shipped_xlsform_carries_exactly_the_locale_texts(language):
    texts = load_questionnaire(bundled_questionnaire()).texts[language]
    locale = load_locale(bundled_locale(language))
    form_keys = [k for k in texts if k != "form.title"]
    assert form_keys and all(texts[k] == locale.t(k) for k in form_keys)
    assert texts["service_names.winter_heating"] == locale.t("service_names.winter_heating")


def test_the_shipped_xlsform_is_what_the_script_makes_from_the_yaml(tmp_path: Path):
    import subprocess
    import sys

    out = tmp_path / "made.xlsx"
    subprocess.run([sys.executable, "tools/make_xlsform.py", "--out", str(out)], check=True)
    made, shipped = read_xlsform(out).questionnaire, load_questionnaire(bundled_questionnaire())
    assert made == shipped and made.texts == shipped.texts
    started_with = load_questionnaire(bundled_definition())  # what the bot starts with
    assert started_with == shipped and started_with.texts == shipped.texts
    assert out.with_suffix(".json").read_text() == bundled_definition().read_text()
    sheets = load_workbook(out).sheetnames
    assert sheets == ["survey", "choices", "settings"]


def test_the_kindergarten_form_loads_with_its_kinds_rules_and_georgian_labels(tmp_path: Path):
    loaded = read_xlsform(xlsforms.kindergarten(tmp_path))
    form = loaded.questionnaire
    assert (loaded.form_id, loaded.version, loaded.title) == ("kindergarten", "1", "საბავშვო ბაღი")
    assert form.version == "kindergarten_v1"
    kinds = {q.id: q.kind for q in form.questions}
    assert kinds == {
        "garden": Kind.CHOICE,
        "content": Kind.SCALE,
        "liked": Kind.MULTI,
        "children": Kind.NUMBER,
        "problems": Kind.CHOICE,
        "problem_text": Kind.TEXT,
    }
    assert form.get("children").constraint.text == ". >= 1 and . <= 5"
    assert form.get("problems").relevant.references == ("content",)
    assert form.get("problem_text").ask_if.question == "problems"
    assert form.role_id("service") == "garden" and form.role_id("satisfaction") == "content"
    ka, en = form.texts["ka"], form.texts["en"]
    assert ka["questions.liked.text"] == "რა მოგწონთ ბაღში?"
    assert ka["questions.liked.hint"] == "შეგიძლიათ რამდენიმე აირჩიოთ."
    assert en["options.liked.food"] == "Food"
    assert ka["questions.children.constraint_message"].startswith("გთხოვთ")
    assert form.texts_in("en")["questions.liked.hint"] == ka["questions.liked.hint"]


def test_a_stored_definition_reads_back_as_the_same_questionnaire(tmp_path: Path):
    form = read_xlsform(xlsforms.kindergarten(tmp_path)).questionnaire
    again = from_data(to_data(form))
    assert again == form and again.texts == form.texts
    assert content_hash(again) == content_hash(form)


def test_the_broken_form_is_refused_whole_with_every_problem_named(tmp_path: Path):
    with pytest.raises(FormError) as refused:
        read_xlsform(xlsforms.broken(tmp_path))
    found = {(p.sheet, p.row, p.column, p.code) for p in refused.value.problems}
    assert found == {
        ("survey", 1, "colour", "column"),
        ("settings", 2, "form_id", "form_id"),
        ("choices", 4, "name", "duplicate_choice"),
        ("survey", 3, "calculation", "calculation_missing"),  # a calculate with nothing to work out
        ("survey", 4, "type", "group_open"),  # a begin_group never closed
        ("survey", 5, "name", "duplicate_name"),
        ("survey", 6, "label::ka", "label_missing"),
        ("survey", 7, "required", "required"),
        ("survey", 8, "type", "choice_list"),
        ("survey", 9, "relevant", "expression_syntax"),
        ("survey", 10, "relevant", "expression_function"),
        ("survey", 11, "relevant", "reference"),
        ("survey", 12, "relevant", "expression_dot"),
        ("survey", 13, "appearance", "likert_digits"),
        ("survey", 14, "parameters", "range"),
    }


@pytest.mark.parametrize("language", ["ka", "en"])
def test_every_refusal_has_a_plain_explanation_in_both_languages(tmp_path: Path, language):
    locale = load_locale(bundled_locale(language))
    with pytest.raises(FormError) as refused:
        read_xlsform(xlsforms.broken(tmp_path))
    for problem in refused.value.problems:
        text = locale.t(f"forms.errors.{problem.code}", **problem.values)
        assert text and "{" not in text.replace("${", "")


def test_a_mistake_only_pyxform_sees_is_refused_with_its_row(tmp_path: Path):
    survey = [("type", "name", "label::ka"), ("text", "my answer", "პასუხი")]
    path = xlsforms.write_xlsform(tmp_path / "f.xlsx", survey, None, xlsforms.settings("f"))
    with pytest.raises(FormError) as refused:
        read_xlsform(path)
    (problem,) = refused.value.problems
    assert (problem.code, problem.row, problem.column) == ("pyxform", 2, "name")
    assert "Names must begin with a letter" in problem.values["detail"]


def test_a_file_that_is_not_a_spreadsheet_is_refused_as_unreadable(tmp_path: Path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(b"not a spreadsheet")
    with pytest.raises(FormError) as refused:
        read_xlsform(path)
    assert refused.value.problems[0].code == "unreadable"


def test_a_form_without_settings_takes_its_id_from_the_file_name(tmp_path: Path):
    survey = [("type", "name", "label"), ("text", "idea", "იდეა")]
    path = xlsforms.write_xlsform(tmp_path / "water_office.xlsx", survey)
    loaded = read_xlsform(path)
    assert loaded.form_id == "water_office" and loaded.version is None
    assert loaded.questionnaire.texts["ka"]["questions.idea.text"] == "იდეა"


def test_a_short_range_is_a_scale_and_a_long_one_is_typed(tmp_path: Path):
    survey = [
        ("type", "name", "label::ka", "parameters"),
        ("range", "stars", "ვარსკვლავები", "start=1 end=5 step=1"),
        ("range", "age", "ასაკი", "start=18 end=100 step=1"),
    ]
    path = xlsforms.write_xlsform(tmp_path / "r.xlsx", survey, None, xlsforms.settings("r"))
    form = read_xlsform(path).questionnaire
    assert form.get("stars").kind is Kind.SCALE and form.get("stars").options[-1] == "5"
    assert form.get("age").kind is Kind.NUMBER and form.get("age").bounds == (18, 100, 1)


def test_a_select_written_with_spaces_shows_its_labels_to_the_citizen(tmp_path: Path):
    """``select one yn`` is how many people type it in Excel: the reader accepts it, so the
    buttons must carry the list's labels, not fail for every citizen."""
    from bot.dialogue.views import Views
    from bot.questionnaire import engine

    survey = [
        ("type", "name", "label::ka"),
        ("select one yn", "helped", "დაგეხმარნენ?"),
        ("select all that apply  yn", "both", "ორივე?"),
    ]
    choices = [("list_name", "name", "label::ka"), ("yn", "yes", "დიახ"), ("yn", "no", "არა")]
    path = xlsforms.write_xlsform(tmp_path / "s.xlsx", survey, choices, xlsforms.settings("s"))
    form = read_xlsform(path).questionnaire
    locale = load_locale(bundled_locale("ka")).with_texts(form.texts_in("ka"))
    views = Views(form, locale, "მ")
    draft = engine.start(form)
    labels = [button.label for row in views.prompt(draft).buttons for button in row]
    assert "დიახ" in labels and "არა" in labels
    draft = engine.advance(form, draft, engine.Choose("helped", "yes")).draft
    labels = [button.label for row in views.prompt(draft).buttons for button in row]
    assert any("დიახ" in label for label in labels)


@pytest.mark.parametrize("version", ["1" * 21, "ვერსია 2", "1 (2021-03-04 12:34:56) final"])
def test_a_version_the_database_cannot_keep_is_refused_at_its_cell(tmp_path: Path, version):
    path = xlsforms.write_xlsform(
        tmp_path / "v.xlsx",
        [("type", "name", "label::ka"), ("text", "idea", "იდეა")],
        None,
        xlsforms.settings("v", version),
    )
    with pytest.raises(FormError) as refused:
        read_xlsform(path)
    (problem,) = refused.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.code) == (
        "settings",
        2,
        "version",
        "version",
    )


def test_choice_names_that_would_break_links_or_buttons_are_refused_at_their_cells(
    tmp_path: Path,
):
    """The first choice question's names go into deep links (``?start=form--code``, Latin
    letters, digits, _ and -, 64 characters in all); a "|" breaks any button."""
    survey = [
        ("type", "name", "label::ka"),
        ("select_one places", "place", "სად?"),
        ("select_one moods", "mood", "როგორ?"),
    ]
    choices = [
        ("list_name", "name", "label::ka"),
        ("places", "centre", "ცენტრი"),
        ("places", "ცენტრი_2", "ცენტრი 2"),
        ("places", "x" * 30, "გრძელი"),
        ("places", "a.b", "წერტილი"),
        ("moods", "კარგი", "კარგი"),  # not in links: any name pyxform accepts will do
        ("moods", "so|so", "ასე რა"),
    ]
    form_id = "kindergarten_and_school_meals_survey"  # 36 characters: 26 left for a name
    path = xlsforms.write_xlsform(tmp_path / "c.xlsx", survey, choices, xlsforms.settings(form_id))
    with pytest.raises(FormError) as refused:
        read_xlsform(path)
    found = {(p.sheet, p.row, p.column, p.code) for p in refused.value.problems}
    assert found == {
        ("choices", 3, "name", "link_code"),
        ("choices", 4, "name", "link_code"),
        ("choices", 5, "name", "link_code"),
        ("choices", 7, "name", "choice_bar"),
    }
    ka = load_locale(bundled_locale("ka"))
    (long,) = [p for p in refused.value.problems if p.row == 4]
    assert "26 სიმბოლომდე" in ka.t(f"forms.errors.{long.code}", **long.values)


def test_names_too_long_for_a_button_are_refused_not_a_crash(tmp_path: Path):
    survey = [("type", "name", "label::ka"), ("select_one yn", "q" * 40, "კითხვა?")]
    choices = [("list_name", "name", "label::ka"), ("yn", "y" * 30, "დიახ")]
    path = xlsforms.write_xlsform(tmp_path / "b.xlsx", survey, choices, xlsforms.settings("b"))
    with pytest.raises(FormError) as refused:
        read_xlsform(path)
    assert {(p.row, p.column, p.code) for p in refused.value.problems} == {
        (2, "name", "too_long_names")
    }
