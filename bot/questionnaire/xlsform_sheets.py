"""What an XLSForm may hold here, how a problem in it is named, and pyxform's own check.

The columns and types we translate (``xlsform``), the problems we name by sheet, row and
column, and pyxform's verdict on the rest of the workbook, as ODK and KoboToolbox would give.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
OUR_SURVEY_COLUMNS = ("feedback_role", "feedback_title", "feedback_keep")
OUR_CHOICE_COLUMNS = ("full_label",)
SURVEY_COLUMNS = frozenset(
    {
        "type",
        "name",
        "label",
        "hint",
        "required",
        "relevant",
        "constraint",
        "constraint_message",
        "appearance",
        "parameters",
        "calculation",
        *OUR_SURVEY_COLUMNS,
    }
)
CHOICE_COLUMNS = frozenset({"list_name", "name", "label", *OUR_CHOICE_COLUMNS})
SETTINGS_COLUMNS = frozenset(
    {"form_id", "id_string", "version", "form_title", "default_language"}
    | {"style", "instance_name", "name"}  # how ODK draws and names its copy: no effect here
)
TRANSLATED = frozenset({"label", "hint", "constraint_message", "feedback_title", "full_label"})
SIMPLE_TYPES = {"integer", "decimal", "range", "text", "note"}
LIST_TYPES = {"select_one", "select_multiple"}
IGNORED_METADATA = frozenset({"start", "end", "today", "hidden"})
"""Rows ODK and KoboToolbox templates carry by default: accepted, and nothing is recorded
for them (a moment finer than the day would say who answered when; docs/anonymity.md). A
``hidden`` row without a calculation holds nothing (with one it is a ``calculate``)."""
IDENTIFYING_METADATA = frozenset(
    {"deviceid", "imei", "subscriberid", "simserial", "phonenumber", "username", "email", "audit"}
    | {"uri:deviceid", "uri:username", "uri:email", "uri:phonenumber", "uri:subscriberid"}
)
"""Rows that would record who answered or from which device: refused, the questionnaire is
anonymous."""
YES = frozenset({"yes", "true", "1", "true()"})
NO = frozenset({"", "no", "false", "0", "false()"})
FORM_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
VERSION = re.compile(r"^[A-Za-z0-9._-]{1,20}$")
"""As the database keeps it (``forms.version``, 20 characters) and safe in a file name."""
LINK_CODE = re.compile(r"^[A-Za-z0-9_-]+$")
"""What a Telegram deep link (``?start=<form id>--<code>``) may carry."""
LINK_PAYLOAD = 64
"""Telegram's limit for a deep link's payload."""
MAX_SCALE_BUTTONS = 11
BUTTON_DATA_BYTES = 64
"""Telegram's limit for a button's data (``t|<question>|<code>``)."""
QUOTED = 60
"""How much of a cell a refusal quotes: the cell is named, and a line of a thousand
terms would bury the reason."""

ChoiceLists = Mapping[str, list[tuple[str, dict[str, str], dict[str, str]]]]
"""Each choice list's choices in order: code, labels by language, full names by language."""


@dataclass(frozen=True)
class FormProblem:
    """One thing wrong in the spreadsheet: where (sheet, row, column) and what (a locale key
    under ``forms.errors.`` with its values)."""

    sheet: str
    row: int | None
    column: str
    code: str
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        row = f":{self.row}" if self.row else ""
        column = f":{self.column}" if self.column else ""
        return f"{self.sheet}{row}{column}"


class FormError(Exception):
    """The form cannot be loaded; every problem found is listed."""

    def __init__(self, problems: Sequence[FormProblem]) -> None:
        super().__init__("; ".join(f"{p.where}: {p.code} {dict(p.values)}" for p in problems))
        self.problems = tuple(problems)


def quoted(text: str) -> str:
    return text if len(text) <= QUOTED else text[: QUOTED - 1].rstrip() + "…"


def pyxform_problems(data: Any, language: str) -> list[FormProblem]:
    """pyxform's own checks, on the sheets without our columns (it would trip on them)."""
    from pyxform.builder import create_survey_element_from_dict
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import DefinitionData

    def without(rows: Any, columns: tuple[str, ...]) -> Any:
        if rows is None:
            return None
        return [
            {k: v for k, v in row.items() if k.partition("::")[0] not in columns} for row in rows
        ]

    stripped = DefinitionData(
        survey=without(data.survey, OUR_SURVEY_COLUMNS),
        survey_header=without(data.survey_header, OUR_SURVEY_COLUMNS),
        choices=without(data.choices, OUR_CHOICE_COLUMNS),
        choices_header=without(data.choices_header, OUR_CHOICE_COLUMNS),
        settings=data.settings,
        settings_header=data.settings_header,
        sheet_names=data.sheet_names,
        fallback_form_name=data.fallback_form_name,
    )
    try:
        json = workbook_to_json(stripped, default_language=language, warnings=[])
        create_survey_element_from_dict(json).to_xml(
            validate=False, pretty_print=False, warnings=[]
        )
    except PyXFormError as error:
        return [_pyxform_problem(error)]
    return []


def _pyxform_problem(error: Any) -> FormProblem:
    """pyxform's verdict as one problem: where it says (row, column), its code, and its own
    English text only for the English message (a Georgian line gets the code and the
    place, never English inside it)."""
    text = " ".join(str(error).split())
    context = getattr(error, "context", None) or {}
    found = re.search(r"\[row\s*:\s*(\d+)\]", text)
    row = context.get("row") or (int(found.group(1)) if found else None)
    column = re.search(r"the '([\w:]+)' (?:value|column)", text)
    sheet = re.search(r"[Oo]n the '(\w+)' sheet", text)
    code = getattr(getattr(error, "code", None), "name", None) or "—"
    values = {"code": code, "detail": text[:300]}
    return FormProblem(
        sheet.group(1) if sheet else SURVEY,
        int(row) if row else None,
        column.group(1) if column else "",
        "pyxform",
        values,
    )
