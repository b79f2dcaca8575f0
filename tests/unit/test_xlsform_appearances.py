"""Forms made for ODK Collect or Enketo: how they say a question looks is accepted and
ignored, what would change the recorded answer is refused at its cell, and their settings'
ids and versions (``Spec test``, a KoboToolbox moment) are made ours."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.questionnaire.content import bundled_locale, load_locale
from bot.questionnaire.model import Kind
from bot.questionnaire.xlsform import FormError, read_xlsform
from bot.questionnaire.xlsform_messages import refusal_lines
from tests.support.xlsforms import settings, write_xlsform

HEADER = ("type", "name", "label::ka", "appearance")
CHOICES = (
    ("list_name", "name", "label::ka"),
    ("yn", "yes", "დიახ"),
    ("yn", "no", "არა"),
    ("five", "1", "ცუდი"),
    ("five", "2", "კარგი"),
)


def survey_with(looks: dict[str, str]) -> list[tuple[str, ...]]:
    return [
        HEADER,
        ("begin group", "visit", "ვიზიტი", looks.get("group", "")),
        ("select_one yn", "helped", "დაგეხმარნენ?", looks.get("helped", "")),
        ("select_one yn", "again", "კიდევ მოხვალთ?", looks.get("again", "")),
        ("end group", "", "", ""),
        ("select_one five", "mark", "შეფასება", looks.get("mark", "likert")),
        ("select_multiple yn", "which", "რომელი?", looks.get("which", "")),
        ("integer", "age", "ასაკი", looks.get("age", "")),
        ("date", "day", "როდის?", looks.get("day", "")),
        ("text", "idea", "იდეა", looks.get("idea", "")),
    ]


LOOKS = {
    "group": "table-list w4",
    "helped": "minimal",
    "again": "compact-2 horizontal-compact",
    "mark": "likert w2",
    "which": "autocomplete columns-pack",
    "age": "thousands-sep counter",
    "day": "no-calendar",
    "idea": "multiline Masked",
}


def test_appearances_that_only_change_the_look_are_ignored_and_the_form_is_the_same(
    tmp_path: Path,
):
    plain = read_xlsform(
        write_xlsform(tmp_path / "plain.xlsx", survey_with({}), CHOICES, settings("looks"))
    ).questionnaire
    dressed = read_xlsform(
        write_xlsform(tmp_path / "dressed.xlsx", survey_with(LOOKS), CHOICES, settings("looks"))
    ).questionnaire
    kinds = [(q.id, q.kind) for q in dressed.questions]
    assert kinds == [(q.id, q.kind) for q in plain.questions]
    assert dressed.get("mark").kind is Kind.SCALE, "likert still makes the select a scale"
    assert dressed.get("day").kind is Kind.DATE and dressed.get("which").kind is Kind.MULTI


def test_a_table_list_group_is_one_page_on_the_web_as_a_field_list_group_is(tmp_path: Path):
    pages = {}
    for look in ("table-list", "field-list", ""):
        survey = survey_with({"group": look})
        path = write_xlsform(tmp_path / f"g{look}.xlsx", survey, CHOICES, settings("pages"))
        form = read_xlsform(path).questionnaire
        pages[look] = (form.get("helped").page, form.get("again").page, form.get("age").page)
    assert pages["table-list"] == pages["field-list"] == ("visit", "visit", "")
    assert pages[""] == ("", "", ""), "a plain group is a section, not a page"


def test_appearances_that_change_the_recorded_answer_are_refused_one_line_each(
    tmp_path: Path,
):
    looks = {
        "day": "month-year",
        "idea": "ex:org.example.Scanner",
        "which": "search('towns')",
        "age": "sparkly minimal",
    }
    path = write_xlsform(tmp_path / "f.xlsx", survey_with(looks), CHOICES, settings("collects"))
    with pytest.raises(FormError) as raised:
        read_xlsform(path)
    problems = raised.value.problems
    assert [(p.sheet, p.row, p.column, p.code, p.values["value"]) for p in problems] == [
        ("survey", 7, "appearance", "appearance_collects", "search('towns')"),
        ("survey", 8, "appearance", "appearance", "sparkly"),
        ("survey", 9, "appearance", "appearance_collects", "month-year"),
        ("survey", 10, "appearance", "appearance_collects", "ex:org.example.Scanner"),
    ]
    lines = refusal_lines(problems, load_locale(bundled_locale("ka")).t)
    assert len(lines) == 1 + len(problems) + 1, "the usable appearances are said once, last"
    assert "სტრიქონი 9, სვეტი appearance" in lines[3] and "month-year" in lines[3]
    assert "minimal" in lines[-1] and "likert" in lines[-1]


@pytest.mark.parametrize(
    ("written", "made"),
    [("Spec test", "Spec_test"), ("XLDateAmbiguous-v1", "XLDateAmbiguous_v1"), ("2x", "form_2x")],
)
def test_a_form_id_with_spaces_or_dashes_is_made_an_id_as_a_file_name_is(
    tmp_path: Path, written: str, made: str
):
    survey = [HEADER[:3], ("text", "idea", "იდეა")]
    loaded = read_xlsform(write_xlsform(tmp_path / "f.xlsx", survey, None, settings(written)))
    assert (loaded.form_id, loaded.written_id) == (made, written)
    assert loaded.questionnaire.version == f"{made}_v1"


def test_a_form_id_in_other_letters_is_refused_rather_than_made_one_that_others_share(
    tmp_path: Path,
):
    survey = [HEADER[:3], ("text", "idea", "იდეა")]
    path = write_xlsform(tmp_path / "f.xlsx", survey, None, settings("ბაღი"))
    with pytest.raises(FormError) as raised:
        read_xlsform(path)
    assert [(p.column, p.code, p.values["value"]) for p in raised.value.problems] == [
        ("form_id", "form_id", "ბაღი")
    ]


@pytest.mark.parametrize(
    ("cell", "kept"),
    [
        (datetime(2022, 4, 11, 16, 26, 28, 971000), "20220411162628"),
        ("2022-04-11 16:26:28.971000", "20220411162628"),
        ("1 (2021-03-04 12:34)", "1_202103041234"),
        (3, "3"),
        (2.5, "2.5"),
        ("2025-01-15", "2025-01-15"),
        ("v3 beta", "v3_beta"),
    ],
)
def test_a_kobo_version_cell_is_kept_as_text_the_store_can_hold(
    tmp_path: Path, cell: object, kept: str
):
    survey = [HEADER[:3], ("text", "idea", "იდეა")]
    rows = (("form_id", "version"), ("kobo", cell))
    loaded = read_xlsform(write_xlsform(tmp_path / "f.xlsx", survey, None, rows))
    assert loaded.version == kept and loaded.questionnaire.version == f"kobo_v{kept}"
