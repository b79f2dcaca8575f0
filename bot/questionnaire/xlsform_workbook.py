"""Opening the spreadsheet a clerk gives: ``.xlsx``, ``.xlsm`` or the older ``.xls``.

pyxform reads all three (openpyxl for the first two, xlrd for the last), so they are read
here by their content rather than by their name. What stops pyxform before any sheet is read
is one problem in the clerk's language: a header written twice is named with its sheet
(pyxform names neither), and openpyxl's notes on Excel features it skips never reach the
terminal — they are about the library, not the form.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import replace
from io import BytesIO
from pathlib import Path
from typing import Any

from bot.questionnaire.xlsform_sheets import SURVEY, FormError, FormProblem

OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")
"""How an old Excel (``.xls``) file begins; ``.xlsx`` and ``.xlsm`` are zip archives."""
_TWICE = re.compile(r"Duplicate column header: (.+)$")


def open_workbook(source: Path | bytes) -> Any:
    """pyxform's reading of the workbook (``DefinitionData``); ``FormError`` when it has
    none."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2json_backends import get_xlsform

    workbook = source if isinstance(source, bytes) else source.read_bytes()
    file_type = ".xls" if workbook.startswith(OLE2) else ".xlsx"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            data = get_xlsform(BytesIO(workbook), file_type)
    except (PyXFormError, OSError, ValueError) as error:
        raise FormError([_unreadable(workbook, error)]) from None
    if isinstance(source, bytes):
        return data
    return replace(data, fallback_form_name=source.stem)


def from_file_name(stem: str) -> str:
    """A form without a ``form_id`` is named after its file; a file name may hold what an id
    may not (``field-list``), and the clerk never wrote that id, so it is made one."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", stem).strip("_")[:40]
    return name if name[:1].isalpha() else f"form_{name}"[:40]


def _unreadable(workbook: bytes, error: Exception) -> FormProblem:
    twice = _TWICE.match(str(error))
    if twice:
        return duplicate_header(workbook, twice.group(1).strip())
    return FormProblem("", None, "", "unreadable", {"detail": str(error)})


def duplicate_header(workbook: bytes, header: str) -> FormProblem:
    """The sheet whose first row holds ``header`` twice (pyxform stops without naming it)."""
    values = {"column": header}
    for sheet, first_row in _first_rows(workbook):
        written = [" ".join(str(cell).split()) for cell in first_row if cell not in (None, "")]
        if written.count(header) > 1:
            return FormProblem(sheet, 1, header, "duplicate_header", values)
    return FormProblem(SURVEY, 1, header, "duplicate_header", values)


def _first_rows(workbook: bytes) -> Iterator[tuple[str, list[object]]]:
    if workbook.startswith(OLE2):
        import xlrd

        old = xlrd.open_workbook(file_contents=workbook)
        for sheet in old.sheets():
            yield sheet.name, sheet.row_values(0) if sheet.nrows else []
        return
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        book = load_workbook(BytesIO(workbook), read_only=True)
    try:
        for sheet in book.worksheets:
            yield sheet.title, list(next(sheet.iter_rows(max_row=1, values_only=True), ()))
    finally:
        book.close()
