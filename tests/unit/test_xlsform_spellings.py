"""Forms as staff really write them: the spellings, files, parameters and template rows
pyxform accepts load here too, and what is refused is said so that a clerk can mend it."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from bot.questionnaire.content import bundled_locale, load_locale
from bot.questionnaire.model import Kind
from bot.questionnaire.xlsform import FormError, read_xlsform
from bot.questionnaire.xlsform_messages import refusal_lines
from tests.support.xlsforms import settings, write_xlsform

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "xlsforms"
YES_NO = (("yn", "yes", "დიახ"), ("yn", "no", "არა"))


def refused(path: Path) -> list[tuple[str, int | None, str, str]]:
    with pytest.raises(FormError) as raised:
        read_xlsform(path)
    return [(p.sheet, p.row, p.column, p.code) for p in raised.value.problems]


def test_headers_in_the_spellings_pyxform_accepts_load_the_same_form(tmp_path: Path):
    survey = [
        ("TYPE", "Name", "LABEL::KA", "Label::English (en)", "Relevance", "HINT::ka"),
        ("select one from yn", "helped", "დაგეხმარნენ?", "Did they help?", "", "მოკლედ"),
        ("string", "why", "რატომ?", "Why?", "${helped} = 'no'", ""),
    ]
    choices = [("list name", "value", "caption::ka"), *YES_NO]
    path = write_xlsform(tmp_path / "f.xlsx", survey, choices, settings("spelled"))
    form = read_xlsform(path).questionnaire
    assert [q.kind for q in form.questions] == [Kind.CHOICE, Kind.TEXT]
    assert form.get("helped").options == ("yes", "no")
    assert form.get("why").relevant is not None
    assert form.texts["en"]["questions.helped.text"] == "Did they help?"
    assert form.texts["ka"]["questions.helped.hint"] == "მოკლედ"
    assert form.texts["ka"]["options.helped.no"] == "არა"


def test_a_single_colon_language_column_reads_as_pyxform_reads_it(tmp_path: Path):
    survey = [("type", "name", "label:Georgian", "label:English"), ("text", "idea", "იდეა", "Idea")]
    path = write_xlsform(tmp_path / "f.xlsx", survey, None, settings("colon"))
    texts = read_xlsform(path).questionnaire.texts
    assert texts["ka"]["questions.idea.text"] == "იდეა"
    assert texts["en"]["questions.idea.text"] == "Idea"


def test_the_same_column_written_twice_is_one_problem_at_its_header(tmp_path: Path):
    survey = [("type", "name", "label::ka", "relevant", "Relevance"), ("text", "a", "ა", "", "")]
    path = write_xlsform(tmp_path / "f.xlsx", survey, None, settings("twice"))
    assert refused(path) == [("survey", 1, "Relevance", "duplicate_column")]


@pytest.mark.parametrize(
    "written",
    ["start=0 end=4 step=1", "START=0 END=4 STEP=1", "start = 0 end = 4 step = 1", "start=0;end=4"],
)
def test_range_parameters_are_read_as_pyxform_reads_them(tmp_path: Path, written: str):
    survey = [("type", "name", "label::ka", "parameters"), ("range", "mark", "შეფასება", written)]
    path = write_xlsform(tmp_path / "r.xlsx", survey, None, settings("r"))
    question = read_xlsform(path).questionnaire.get("mark")
    assert question.kind is Kind.SCALE and question.options == ("0", "1", "2", "3", "4")


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("start=0 end=4 stpe=1", "parameter_unknown"),
        ("start=zero end=4", "parameter_number"),
        ("start=0 end", "parameters_syntax"),
    ],
)
def test_a_parameter_the_form_gave_is_never_replaced_by_a_default(tmp_path, written, code):
    survey = [("type", "name", "label::ka", "parameters"), ("range", "mark", "შეფასება", written)]
    path = write_xlsform(tmp_path / "r.xlsx", survey, None, settings("r"))
    assert refused(path) == [("survey", 2, "parameters", code)]


def test_template_time_rows_are_accepted_and_keep_nothing(tmp_path: Path):
    survey = [
        ("type", "name", "label::ka"),
        ("start", "start", ""),
        ("end", "end", ""),
        ("today", "today", ""),
        ("hidden", "nothing", ""),
        ("text", "idea", "იდეა"),
    ]
    path = write_xlsform(tmp_path / "f.xlsx", survey, None, settings("kobo"))
    assert [q.id for q in read_xlsform(path).questionnaire.questions] == ["idea"]


@pytest.mark.parametrize(
    "row_type", ["deviceid", "imei", "subscriberid", "simserial", "phonenumber", "username"]
)
def test_rows_that_would_identify_a_respondent_are_refused_as_anonymous(tmp_path, row_type):
    survey = [("type", "name", "label::ka"), (row_type, "who", ""), ("text", "idea", "იდეა")]
    path = write_xlsform(tmp_path / "f.xlsx", survey, None, settings("who"))
    assert refused(path) == [("survey", 2, "type", "identifying")]
    locale = load_locale(bundled_locale("ka"))
    assert "ანონიმური" in locale.t("forms.errors.identifying", type=row_type)


def test_an_empty_template_column_is_no_problem_and_a_filled_one_is_named(tmp_path: Path):
    survey = [("type", "name", "label::ka", "media::image", "default"), ("text", "a", "ა", "", "")]
    path = write_xlsform(tmp_path / "f.xlsx", survey, None, settings("empty"))
    assert read_xlsform(path).questionnaire.get("a")
    survey[1] = ("text", "a", "ა", "", "x")
    path = write_xlsform(tmp_path / "g.xlsx", survey, None, settings("filled"))
    assert refused(path) == [("survey", 1, "default", "column")]


def test_an_english_only_form_is_one_problem_that_says_how_to_fix_it(tmp_path: Path):
    survey = [("type", "name", "label::English (en)"), ("select_one yn", "a", "A?")]
    choices = [
        ("list_name", "name", "label::English (en)"),
        ("yn", "yes", "Yes"),
        ("yn", "no", "No"),
    ]
    path = write_xlsform(tmp_path / "f.xlsx", survey, choices)
    with pytest.raises(FormError) as raised:
        read_xlsform(path)
    lines = refusal_lines(raised.value.problems, load_locale(bundled_locale("ka")).t)
    assert len(lines) == 2
    assert "label::ka" in lines[1] and "default_language: en" in lines[1]
    english = write_xlsform(tmp_path / "e.xlsx", survey, choices, [["default_language"], ["en"]])
    assert read_xlsform(english).questionnaire.default_language == "en"


def test_a_refusal_is_one_line_a_problem_with_the_allowed_lists_once_at_the_end(tmp_path):
    survey = [
        ("type", "name", "label::ka", "colour", "size", "appearance"),
        ("geopoint", "where", "სად?", "red", "", ""),
        ("text", "a", "ა", "", "big", "spinner"),
        ("photo", "b", "ბ", "", "", ""),
    ]
    path = write_xlsform(tmp_path / "f.xlsx", survey, None, settings("many"))
    with pytest.raises(FormError) as raised:
        read_xlsform(path)
    problems = raised.value.problems
    for language, heading in (("ka", "5 შეცდომა"), ("en", "5 problems")):
        lines = refusal_lines(problems, load_locale(bundled_locale(language)).t)
        assert heading in lines[0] and len(lines) == 1 + len(problems) + 3
        assert all("\n" not in line for line in lines)
        assert all("row" in line or "სტრიქონი" in line for line in lines[1:6])
        allowed = [line for line in lines if "select_one" in line]
        assert len(allowed) == 1 and allowed[0] == lines[-2]


def test_one_problem_is_said_in_the_singular(tmp_path: Path):
    survey = [("type", "name", "label::ka"), ("text", "a", "ა"), ("text", "a", "ა")]
    with pytest.raises(FormError) as raised:
        read_xlsform(write_xlsform(tmp_path / "f.xlsx", survey, None, settings("one")))
    line = refusal_lines(raised.value.problems, load_locale(bundled_locale("en")).t)[0]
    assert "1 problem;" in line


def test_pyxforms_english_stays_out_of_a_georgian_refusal(tmp_path: Path):
    survey = [("type", "name", "label::ka"), ("text", "my answer", "პასუხი")]
    with pytest.raises(FormError) as raised:
        read_xlsform(write_xlsform(tmp_path / "f.xlsx", survey, None, settings("f")))
    ka = refusal_lines(raised.value.problems, load_locale(bundled_locale("ka")).t)
    en = refusal_lines(raised.value.problems, load_locale(bundled_locale("en")).t)
    assert "Names must begin" not in "\n".join(ka) and "სტრიქონი 2" in ka[1]
    assert "Names must begin" in en[1]


def test_a_header_written_twice_is_named_with_its_sheet_in_the_clerks_language():
    path = CORPUS / "pyxform" / "bug_example_xls" / "duplicate_columns.xlsx"
    with pytest.raises(FormError) as raised:
        read_xlsform(path)
    (problem,) = raised.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("survey", 1, "label")
    _, line = refusal_lines([problem], load_locale(bundled_locale("ka")).t)
    assert "ფურცელი survey" in line and "Duplicate" not in line


@pytest.mark.parametrize(
    "name",
    [
        "pyxform/example_xls/choice_name_same_as_select_name.xls",
        "pyxform/bug_example_xls/excel_with_macros.xlsm",
        "pyxform/example_xls/extra_columns.xlsx",
    ],
)
def test_xls_xlsm_and_xlsx_are_read_without_a_library_warning(name: str):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            read_xlsform(CORPUS / name)
        except FormError as error:
            assert "unreadable" not in {p.code for p in error.problems}
