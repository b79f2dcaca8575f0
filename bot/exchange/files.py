"""Writing our own export as CSV (UTF-8 with BOM, for Excel) or XLSX, so that it reads back
exactly: ``neutralised`` and ``restored`` are each other's inverse for every text."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.common.atomic import written
from reporting.render import FORMULA_STARTS
from reporting.xlsx_writer import XlsxWriter

QUOTE = "'"
XML_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
"""Characters an XLSX cell cannot hold as they are (``\\r`` would become ``\\n``), and text
that looks like their escape. Escaped as Excel itself does: ``_x000B_``, ``_x005F_`` for ``_``."""
XML_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def neutralised(value: str) -> str:
    """What a spreadsheet shows as text and never evaluates: a leading ``'`` before a formula
    sign, and before a ``'`` of the text's own, so that ``restored`` knows which to remove."""
    if value.startswith((*FORMULA_STARTS, QUOTE)):
        return QUOTE + value
    return value


def restored(value: str) -> str:
    """Undoes ``neutralised`` (our own files only: a Google Forms answer is taken as typed)."""
    return value[1:] if value.startswith(QUOTE) else value


def xml_escaped(value: str) -> str:
    def escape(match: re.Match[str]) -> str:
        found = match.group(0)
        return f"_x005F{found}" if found.startswith("_x") else f"_x{ord(found):04X}_"

    return XML_CONTROL.sub(escape, value)


def xml_unescaped(value: str) -> str:
    if "_x" not in value:
        return value
    return XML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)


def write_table(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Written under a temporary name and renamed when complete."""
    with written(path) as temporary:
        if path.suffix.lower() == ".xlsx":
            writer = XlsxWriter(temporary)
            cells = ([xml_escaped(neutralised(v)) for v in row] for row in rows)
            writer.add_sheet("responses", header, cells)
            writer.close()
            return
        with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(header)
            out.writerows([neutralised(v) for v in row] for row in rows)
