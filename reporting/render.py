"""Rendering a report to HTML, Word, Excel, PDF (the HTML printed, ``pdf.py``) and chart PNGs.

Citizen text is data: autoescaped in HTML, and in spreadsheets a value that starts with
``=``, ``+``, ``-`` or ``@`` is prefixed with an apostrophe so it can never become a formula.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from bot.common import atomic
from reporting import word
from reporting.document import Block, Cell, Heading, Image, Paragraph, Report, Table, shown
from reporting.xlsx_writer import XlsxWriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_ROWS = 1_048_574
"""Rows under the header rows."""


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
        "notice": report.notice,
        "sections": [{"title": s.title, "blocks": _html_blocks(s.blocks)} for s in report.sections],
    }
    return environment.get_template("report.html.j2").render(report=view)


def _html_blocks(blocks: Iterable[Block]) -> list[dict[str, object]]:
    return bullets_as_lists(blocks, _html_block)


def bullets_as_lists(
    blocks: Iterable[Block], view: Callable[[Block], dict[str, Any]]
) -> list[dict[str, Any]]:
    """Consecutive bullet paragraphs become one list; every other block is ``view``'s."""
    out: list[dict[str, Any]] = []
    for block in blocks:
        if isinstance(block, Paragraph) and block.style == "bullet":
            if out and out[-1]["kind"] == "list":
                out[-1]["items"].append(block.text)
            else:
                out.append({"kind": "list", "items": [block.text]})
            continue
        out.append(view(block))
    return out


def _html_block(block: Block) -> dict[str, object]:
    if isinstance(block, Heading):
        return {"kind": "heading", "text": block.text}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text, "style": block.style or ""}
    if isinstance(block, Image):
        data = base64.b64encode(block.png).decode()
        return {"kind": "image", "data": data, "caption": block.caption}
    numeric = word.numeric_columns(block)
    return {
        "kind": "table",
        "title": block.title,
        "header": block.header,
        "rows": [[(shown(cell), c in numeric) for c, cell in enumerate(row)] for row in block.rows],
        "total_row": block.total_row,
        "legend": block.legend,
        "withheld": block.withheld,
    }


def docx(report: Report, path: Path) -> None:
    word.write(report, path)


def xlsx(report: Report, path: Path) -> None:
    """A sheet per table, Georgian names; figures stay numbers (percentages, dates and
    averages with formats), so filters and AVERAGE work."""
    writer = XlsxWriter(path)
    used: set[str] = set()
    for table in tables(report):
        if table.withheld:
            continue
        base = table.sheet or table.name
        widths = _sheet_widths(table)
        for number, start in enumerate(range(0, max(len(table.rows), 1), EXCEL_MAX_ROWS)):
            name = _sheet_name(base if not number else f"{base} {number + 1}", used)
            rows = table.rows[start : start + EXCEL_MAX_ROWS]
            header = [spreadsheet_safe(text) for text in table.header]
            writer.add_sheet(
                name,
                header,
                ([spreadsheet_safe(v) for v in row] for row in rows),
                table.subheader,
                widths,
                above=[[spreadsheet_safe(line) or None] for line in table.sheet_above],
                below=[[spreadsheet_safe(line) or None] for line in table.sheet_below],
            )
    writer.close()


def _sheet_widths(table: Table) -> list[float]:
    sample = list(islice(iter(table.rows), 200))
    widths = []
    for c, title in enumerate(table.header):
        longest = max(
            [len(w) for w in str(title).split()] + [len(shown(row[c])) for row in sample],
            default=8,
        )
        widths.append(float(min(max(longest + 2, 8), 60)))
    return widths


def _sheet_name(name: str, used: set[str]) -> str:
    name = re.sub(r"[\\/?*\[\]:]", " ", name)
    candidate = name[:31]
    index = 2
    while candidate in used:
        candidate = f"{name[:28]} {index}"
        index += 1
    used.add(candidate)
    return candidate


def files(report: Report, formats: Sequence[str], directory: Path, stem: str) -> list[Path]:
    """The report in each format asked for, every file under its name only when complete
    (a report killed half-way leaves no corrupt file a clerk could open or publish)."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "docx" in formats:
        with atomic.written(directory / f"{stem}.docx") as temporary:
            docx(report, temporary)
        written.append(directory / f"{stem}.docx")
    if "html" in formats:
        atomic.write_text(directory / f"{stem}.html", html(report))
        written.append(directory / f"{stem}.html")
    if "xlsx" in formats:
        with atomic.written(directory / f"{stem}.xlsx") as temporary:
            xlsx(report, temporary)
        written.append(directory / f"{stem}.xlsx")
    if "pdf" in formats:
        from reporting.pdf import pdf  # WeasyPrint and Pango: loaded for a PDF only

        atomic.write_bytes(directory / f"{stem}.pdf", pdf(html(report)))
        written.append(directory / f"{stem}.pdf")
    if "png" in formats:
        written += charts(report, directory, stem)
    return written


def charts(report: Report, directory: Path, stem: str) -> list[Path]:
    written = []
    for image in images(report):
        path = directory / f"{stem}_{image.name}.png"
        atomic.write_bytes(path, image.png)
        written.append(path)
    return written
