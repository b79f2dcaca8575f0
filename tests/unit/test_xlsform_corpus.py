"""Forms nobody on this project wrote (pyxform's and ODK's own examples, see
tests/fixtures/xlsforms/README.md): none crashes the reader, none is refused for how it is
spelled, for its file type, for the rows every template carries or for how a question looks,
and every refusal is one line per problem. Measured 2026-12-07: 13 of the 61 load; the rest
ask for what a chat cannot (media, GPS, repeats, choice filters, files) or are broken."""

from __future__ import annotations

import functools
import re
import warnings
from pathlib import Path

import pytest

from bot.questionnaire.content import bundled_locale, load_locale
from bot.questionnaire.xlsform import FormError, FormProblem, read_xlsform
from bot.questionnaire.xlsform_appearances import LOOKS
from bot.questionnaire.xlsform_messages import refusal_lines

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "xlsforms"
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() in {".xls", ".xlsx", ".xlsm"})
OURS_AS_PYXFORM_SPELLS_THEM = {
    *("type", "name", "label", "hint", "required", "relevant", "constraint", "appearance"),
    *("constraint_message", "parameters", "calculation", "list_name", "form_id", "form_title"),
    *("version", "default_language", "relevance", "caption", "calculate", "command", "value"),
    *("constraining_message", "set_form_title", "set_form_id", "title", "id_string"),
}
"""Column names (before any ``::language``) pyxform reads as a column we read too."""
TEMPLATE_TYPES = {"start", "end", "today", "get start time", "get end time", "get today"}
UNFILLED = re.compile(r"(?<!\$)\{[a-z_]+\}")
"""A placeholder the message left empty (``${name}`` is a form's own reference)."""
NOTES = 3
"""At most: the allowed columns, types and appearances, each once at the end."""


@functools.cache
def problems_of(path: Path) -> tuple[FormProblem, ...]:
    """The form's problems, none when it loads; a library warning fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            read_xlsform(path)
        except FormError as error:
            return error.problems
    return ()


def column_base(column: str) -> str:
    return "_".join(re.split(r"::?", column)[0].split()).lower()


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_a_real_world_form_loads_or_is_refused_for_what_it_asks_one_line_a_problem(path: Path):
    problems = problems_of(path)
    codes = {p.code for p in problems}
    assert "unreadable" not in codes, "a file type pyxform reads"
    assert not codes & {"range", "parameters_syntax", "parameter_unknown", "parameter_number"}
    spelled = [p.column for p in problems if p.code == "column"]
    assert not [c for c in spelled if column_base(c) in OURS_AS_PYXFORM_SPELLS_THEM]
    types = {p.values.get("type") for p in problems if p.code == "type"}
    assert not types & TEMPLATE_TYPES
    looks = {p.values.get("value", "").lower() for p in problems if p.code == "appearance"}
    assert not looks & LOOKS, "an appearance that only changes the look is ignored"
    for language in ("ka", "en"):
        lines = refusal_lines(problems, load_locale(bundled_locale(language)).t) if problems else []
        assert len(problems) + 1 <= len(lines) or not problems
        assert len(lines) <= len(problems) + 1 + NOTES
        assert all("\n" not in line and not UNFILLED.search(line) for line in lines)


def test_as_many_real_world_forms_load_as_were_measured():
    loaded = [path.name for path in FILES if not problems_of(path)]
    assert len(FILES) >= 30
    assert len(loaded) >= 13, loaded


PART_B_TYPES = {"begin group", "end group", "date", "time", "calculate"}


def test_no_real_world_form_is_refused_for_groups_or_other_date_time_or_calculate():
    """Needs the question kinds of issue 32's part B (groups, ``or_other``, date, time,
    calculate)."""
    found = set()
    for path in FILES:
        for problem in problems_of(path):
            written = problem.values.get("type", "") + problem.values.get("list", "")
            if written in PART_B_TYPES or written.endswith("or_other"):
                found.add((path.name, written))
    assert not found
