"""Rendering a report to HTML, Word, Excel and chart PNGs.

Citizen text is data: autoescaped in HTML, and in spreadsheets a value that starts with
``=``, ``+``, ``-`` or ``@`` is prefixed with an apostrophe so it can never become a formula.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm
from jinja2 import Environment, PackageLoader, select_autoescape

from reporting.document import Cell, Image, Paragraph, Report, Table
from reporting.xlsx_writer import XlsxWriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_ROWS = 1_048_575
DOCX_ROWS_PER_CHUNK = 5_000


NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def spreadsheet_safe(value: Cell) -> Cell:
    """Characters XML cannot carry are removed by the writer, once per distinct string."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def tables(report: Report) -> Iterator[Table]:
    """Every table once; an appendix table replaces the section table of the same name."""
    found = {b.name: b for s in report.sections for b in s.blocks if isinstance(b, Table)}
    found |= {table.name: table for table in report.appendix}
    yield from found.values()


def images(report: Report) -> Iterator[Image]:
    for section in report.sections:
        yield from (b for b in section.blocks if isinstance(b, Image))


def html(report: Report) -> str:
    environment = Environment(
        loader=PackageLoader("reporting", "templates"), autoescape=select_autoescape(default=True)
    )
    view = {
        "title": report.title,
        "period": report.period,
        "sections": [
            {"title": s.title, "blocks": [_html_block(b) for b in s.blocks]}
            for s in report.sections
        ],
    }
    return environment.get_template("report.html.j2").render(report=view)


def _html_block(block: Paragraph | Table | Image) -> dict[str, object]:
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text}
    if isinstance(block, Image):
        data = base64.b64encode(block.png).decode()
        return {"kind": "image", "data": data, "caption": block.caption}
    return {
        "kind": "table",
        "title": block.title,
        "header": block.header,
        "rows": block.rows,
        "total_row": block.total_row,
    }


def docx(report: Report, path: Path) -> None:
    document = Document()
    document.add_heading(report.title, level=0)
    document.add_paragraph(f"({report.period})")
    for section in report.sections:
        document.add_heading(section.title, level=1)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                document.add_paragraph(block.text)
            elif isinstance(block, Image):
                document.add_picture(io.BytesIO(block.png), width=Cm(15))
            else:
                _docx_table(document, block)
    document.save(str(path))


def _docx_table(document: object, table: Table) -> None:
    """Rows are appended as XML: python-docx's cell access is quadratic in the row count."""
    document.add_paragraph(table.title, style="Caption")  # type: ignore[attr-defined]
    grid = document.add_table(rows=1, cols=len(table.header))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    for c, text in enumerate(table.header):
        grid.rows[0].cells[c].text = str(text)
        grid.rows[0].cells[c].paragraphs[0].runs[0].bold = True
    for start in range(0, len(table.rows), DOCX_ROWS_PER_CHUNK):
        chunk = table.rows[start : start + DOCX_ROWS_PER_CHUNK]
        rows = "".join("<w:tr>" + "".join(map(_docx_cell, row)) + "</w:tr>" for row in chunk)
        holder = parse_xml(f"<w:tbl {nsdecls('w')}>{rows}</w:tbl>")
        grid._tbl.extend(list(holder))


def _docx_cell(value: Cell) -> str:
    text = "" if value is None else xml_escape(NOT_IN_XML.sub("", str(value)))
    return f'<w:tc><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'


def xlsx(report: Report, path: Path) -> None:
    writer = XlsxWriter(path)
    used: set[str] = set()
    for table in tables(report):
        for number, start in enumerate(range(0, max(len(table.rows), 1), EXCEL_MAX_ROWS)):
            name = _sheet_name(table.name if not number else f"{table.name}_{number + 1}", used)
            rows = table.rows[start : start + EXCEL_MAX_ROWS]
            header = [spreadsheet_safe(text) for text in table.header]
            writer.add_sheet(name, header, ([spreadsheet_safe(v) for v in row] for row in rows))
    writer.close()


def _sheet_name(name: str, used: set[str]) -> str:
    candidate = name[:31]
    index = 2
    while candidate in used:
        candidate = f"{name[:28]}_{index}"
        index += 1
    used.add(candidate)
    return candidate


def charts(report: Report, directory: Path, stem: str) -> list[Path]:
    written = []
    for image in images(report):
        path = directory / f"{stem}_{image.name}.png"
        path.write_bytes(image.png)
        written.append(path)
    return written
