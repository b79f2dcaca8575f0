"""Column names as staff really write them, read the way pyxform reads them.

A clerk copies a KoboToolbox or ODK template, or writes ``list name``, ``LABEL::EN``,
``label:English`` or ``Relevance``: pyxform reads all of these as the same columns, so we do
too — with pyxform's own header parser and alias tables, never a list of our own that would
drift from it. Every column becomes the one spelling the reader knows (``list_name``,
``label::en``, ``constraint_message::ka``); a column we do not know keeps the spelling it was
written with, so a refusal names it as the clerk sees it. Two columns that are the same
column are one problem (pyxform would say so in English, without a sheet or row).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from bot.questionnaire.xlsform_sheets import (
    CHOICE_COLUMNS,
    CHOICES,
    SETTINGS,
    SETTINGS_COLUMNS,
    SURVEY,
    SURVEY_COLUMNS,
    TRANSLATED,
    FormProblem,
)

LANGUAGE_NAMES = {
    "english": "en",
    "georgian": "ka",
    "ქართული": "ka",
    "russian": "ru",
    "русский": "ru",
    "armenian": "hy",
    "azerbaijani": "az",
}
"""Language names forms write instead of codes (``label::English``), for the languages the
bot speaks; ODK's own style, ``label::English (en)``, carries its code."""
CANONICAL_TYPES = (
    *("text", "integer", "decimal", "range", "note", "date", "time", "calculate"),
    *("start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber"),
    *("username", "email", "audit"),
)
"""The one spelling of each type we read or name; pyxform's other spellings of the same type
(``string``, ``int``, ``q calculate``, ``get today``, ``imei``) become it."""
_SELECTS = {"select one": "select_one", "select all that apply": "select_multiple"}
_CODE = re.compile(r"\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\s*\)\s*$")


def language_code(written: str) -> str:
    """``English (en)``, ``English``, ``EN`` and ``en`` are all ``en``."""
    found = _CODE.search(written)
    if found:
        return found.group(1).lower()
    plain = written.strip().lower()
    return LANGUAGE_NAMES.get(plain, plain)


def canonical_type(written: str) -> str:
    """A ``type`` cell as pyxform reads it, in the one spelling the reader knows:
    ``select one from yn or specify other`` is ``select_one yn or_other``, ``begin_group`` is
    ``begin group``, ``string`` is ``text``; anything else stays as written."""
    from pyxform import aliases
    from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
    from pyxform.xls2json import RE_BEGIN_CONTROL, RE_END_CONTROL, RE_SELECT

    text = " ".join(str(written).split())
    select = RE_SELECT.search(text)
    command = aliases.select.get(select["select_command"]) if select else None
    if select and command in _SELECTS and select["select_command"] not in aliases.select_from_file:
        other = " or_other" if select["specify_other"] else ""
        return f"{_SELECTS[command]} {select['list_name']}{other}"
    begin, end = RE_BEGIN_CONTROL.search(text), RE_END_CONTROL.search(text)
    control = begin or end
    if control and not (begin and begin["list_name"]):  # a loop over a list stays as written
        return f"{'begin' if begin else 'end'} {aliases.control[control['type']]}"
    same = QUESTION_TYPE_DICT.get(text) if text != "hidden" else None
    found = [name for name in CANONICAL_TYPES if same and QUESTION_TYPE_DICT.get(name) == same]
    return found[0] if found else text


def canonical_sheets(data: Any) -> tuple[Any, list[FormProblem]]:
    """The workbook with every known column under its one spelling, and the columns that
    repeat another (the later one is the problem; nothing is read from it)."""
    problems: list[FormProblem] = []
    sheets = {}
    for sheet, ours in ((SURVEY, SURVEY_COLUMNS), (CHOICES, CHOICE_COLUMNS)):
        header, rows = _sheet(data, sheet, ours, problems)
        sheets[f"{sheet}_header"], sheets[sheet] = header, rows
    sheets[SURVEY] = [_canonical_row(row) for row in sheets[SURVEY] or []]
    header, rows = _sheet(data, SETTINGS, SETTINGS_COLUMNS, problems)
    if rows and rows[0].get("default_language"):
        rows = [{**rows[0], "default_language": language_code(str(rows[0]["default_language"]))}]
    sheets["settings_header"], sheets[SETTINGS] = header, rows
    return replace(data, **sheets), problems


def _canonical_row(row: Mapping[str, Any]) -> Mapping[str, Any]:
    if not row.get("type"):
        return row
    written = canonical_type(str(row["type"]))
    if written == "hidden" and str(row.get("calculation") or "").strip():
        written = "calculate"  # pyxform's older name; without a calculation it holds nothing
    return {**row, "type": written}


def _sheet(
    data: Any, sheet: str, ours: frozenset[str], problems: list[FormProblem]
) -> tuple[Any, Any]:
    header = getattr(data, f"{sheet}_header")
    rows = getattr(data, sheet)
    if not header:
        return header, rows
    names = canonical_names(sheet, list(header[0]), ours)
    taken: dict[str, str] = {}
    for written, name in names.items():
        if name in taken:
            values = {"column": written, "other": taken[name]}
            problems.append(FormProblem(sheet, 1, written, "duplicate_column", values))
        else:
            taken[name] = written
    keep = {written: name for name, written in taken.items()}
    new_header = [{keep[written]: None for written in header[0] if written in keep}]
    new_rows = [{keep[k]: v for k, v in row.items() if k in keep} for row in rows or []]
    return new_header, new_rows if rows is not None else None


def unusable_columns(data: Any) -> list[FormProblem]:
    """A column we cannot use is a problem only when something is written in it: the empty
    columns of a KoboToolbox or ODK template lose nothing."""
    problems = []
    sheets = ((SURVEY, SURVEY_COLUMNS), (CHOICES, CHOICE_COLUMNS), (SETTINGS, SETTINGS_COLUMNS))
    for sheet, allowed in sheets:
        rows = getattr(data, sheet) or []
        for column in (getattr(data, f"{sheet}_header") or [{}])[0]:
            base, _, language = str(column).partition("::")
            if base in allowed and (not language or base in TRANSLATED):
                continue
            if any(str(row.get(column) or "").strip() for row in rows):
                problems.append(FormProblem(sheet, 1, str(column), "column"))
    return problems


def canonical_names(sheet: str, written: Sequence[str], ours: Iterable[str]) -> dict[str, str]:
    """Each written column's one spelling: ``Relevance`` is ``relevant``, ``LABEL::EN`` is
    ``label::en``; an unknown column stays as written."""
    from pyxform import aliases

    table = {SURVEY: aliases.survey_header, CHOICES: aliases.list_header}.get(
        sheet, aliases.settings_header
    )
    columns = _pyxform_columns(sheet)
    double_colon = any("::" in str(name) for name in written)
    known = {_tokens(name, False, table, columns): name for name in sorted(ours)}
    names = {}
    for name in written:
        tokens = _tokens(str(name), double_colon, table, columns)
        names[name] = _ours(tokens, known) or str(name)
    return names


def _ours(tokens: tuple[str, ...], known: Mapping[tuple[str, ...], str]) -> str | None:
    if tokens in known:
        return known[tokens]
    base = known.get(tokens[:-1])
    if base in TRANSLATED and tokens[-1].strip():
        return f"{base}::{language_code(tokens[-1])}"
    return None


def _tokens(
    header: str, double_colon: bool, table: Mapping[str, Any], columns: frozenset[str]
) -> tuple[str, ...]:
    """pyxform's reading of a header (``("bind", "relevant")``, ``("label", "EN")``), with
    the first part in snake case as pyxform matches its own columns."""
    from pyxform.parsing.sheet_headers import process_header, to_snake_case

    _, tokens = process_header(header, double_colon, table, columns)
    return (to_snake_case(tokens[0]), *tokens[1:])


def _pyxform_columns(sheet: str) -> frozenset[str]:
    from pyxform.question import MultipleChoiceQuestion, Option
    from pyxform.survey import Survey

    if sheet == SURVEY:
        return frozenset(MultipleChoiceQuestion.get_slot_names())
    if sheet == CHOICES:
        return frozenset(Option.get_slot_names())
    return frozenset(Survey.get_slot_names())
