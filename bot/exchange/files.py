"""Reading and writing tables of text as CSV (UTF-8 with BOM, for Excel) or XLSX."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import load_workbook

from reporting.render import FORMULA_STARTS, spreadsheet_safe
from reporting.xlsx_writer import XlsxWriter


def neutralised(value: str) -> str:
    """What a spreadsheet shows as text and never evaluates."""
    return str(spreadsheet_safe(value))


def restored(value: str) -> str:
    """Undoes ``neutralised``: our own files round-trip to the same text."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def write_table(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    if path.suffix.lower() == ".xlsx":
        writer = XlsxWriter(path)
        writer.add_sheet("responses", header, ([neutralised(v) for v in row] for row in rows))
        writer.close()
        return
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows([neutralised(v) for v in row] for row in rows)


def read_table(path: Path) -> list[list[str]]:
    if path.suffix.lower() == ".xlsx":
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return [
                ["" if v is None else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        finally:
            workbook.close()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [list(row) for row in csv.reader(handle)]
