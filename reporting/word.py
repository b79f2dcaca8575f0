"""The report as a Word document a municipality can print and sign.

A4 with sensible margins; section titles are Word headings (a table of contents works);
tables have fixed column widths fitted to their content — never narrower than the longest
word, so Georgian words are not broken — numbers right-aligned, the header row repeated on
every page and no row split across pages. Rows are written as XML: python-docx's cell
access is quadratic in the row count.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from itertools import islice
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from reporting.document import Cell, Heading, Image, Paragraph, Report, Table, is_number, shown
from reporting.xlsx_writer import NOT_IN_XML

FONT = "Sylfaen"
"""The Georgian font every Windows has; elsewhere a font with Georgian glyphs stands in."""
PAGE = (Cm(21.0), Cm(29.7))
MARGINS = {"top": Cm(2.0), "bottom": Cm(2.0), "left": Cm(2.5), "right": Cm(2.0)}
TEXT_WIDTH_CM = 21.0 - 2.5 - 2.0
TABLE_PT = 9.0
REGISTER_PT = 8.5
HEADER_PT = 8.0
CELL_PADDING_CM = 0.5
"""Word's default cell margins (2 × 0.19 cm) and a little room."""
ROWS_PER_CHUNK = 5_000
SAMPLE_ROWS = 400
TWIPS_PER_CM = 567


def write(report: Report, path: Path) -> None:
    document = Document()
    _page_and_styles(document)
    document.add_heading(report.title, level=0)
    document.add_paragraph(f"({report.period})")
    if report.notice:
        notice = document.add_paragraph()
        run = notice.add_run(report.notice)
        run.bold = True
        run.font.color.rgb = RGBColor(0xA0, 0x30, 0x00)
    for section in report.sections:
        if section.title:
            document.add_heading(section.title, level=1)
        for block in section.blocks:
            if isinstance(block, Heading):
                document.add_heading(block.text, level=2)
            elif isinstance(block, Paragraph):
                _paragraph(document, block)
            elif isinstance(block, Image):
                _image(document, block)
            else:
                _table(document, block)
    document.save(str(path))


def _page_and_styles(document: object) -> None:
    for section in document.sections:  # type: ignore[attr-defined]
        section.page_width, section.page_height = PAGE
        for side, value in MARGINS.items():
            setattr(section, f"{side}_margin", value)
    styles = document.styles  # type: ignore[attr-defined]
    sizes = {"Normal": 10.5, "Title": 16, "Heading 1": 13, "Heading 2": 11, "Caption": 9}
    for name, size in sizes.items():
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme), None)
    styles["Normal"].paragraph_format.space_after = Pt(4)
    styles["Caption"].font.italic = False
    styles["Caption"].font.bold = True
    styles["Caption"].font.color.rgb = RGBColor(0x1D, 0x27, 0x33)
    styles["Title"].paragraph_format.space_after = Pt(6)
    for name in ("Heading 1", "Heading 2"):
        styles[name].paragraph_format.space_before = Pt(12 if name == "Heading 1" else 8)
        styles[name].paragraph_format.space_after = Pt(4)
        styles[name].paragraph_format.keep_with_next = True


def _paragraph(document: object, block: Paragraph) -> None:
    if block.style == "bullet":
        paragraph = document.add_paragraph(block.text, style="List Bullet")  # type: ignore[attr-defined]
        paragraph.paragraph_format.space_after = Pt(1)
        return
    paragraph = document.add_paragraph(block.text)  # type: ignore[attr-defined]
    if block.style == "note":
        for run in paragraph.runs:
            run.font.size = Pt(8.5)
            run.italic = True


def _image(document: object, image: Image) -> None:
    document.add_picture(io.BytesIO(image.png), width=Cm(image.width_cm))  # type: ignore[attr-defined]
    picture = document.paragraphs[-1]  # type: ignore[attr-defined]
    picture.paragraph_format.keep_with_next = True
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = document.add_paragraph()  # type: ignore[attr-defined]
    run = caption.add_run(image.caption)
    run.font.size, run.italic = Pt(8.5), True
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _table(document: object, table: Table) -> None:
    if table.title:
        caption = document.add_paragraph(table.title, style="Caption")  # type: ignore[attr-defined]
        caption.paragraph_format.keep_with_next = True
    if not table.withheld:
        size = REGISTER_PT if table.name == "register" else TABLE_PT
        widths = column_widths(table, size)
        grid = document.add_table(rows=0, cols=len(table.header))  # type: ignore[attr-defined]
        grid.style = "Table Grid"
        tbl = grid._tbl
        twips = [round(w * TWIPS_PER_CM) for w in widths]
        properties = tbl.tblPr
        properties.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
        tbl.remove(tbl.tblGrid)
        columns = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
        properties.addnext(parse_xml(f"<w:tblGrid {nsdecls('w')}>{columns}</w:tblGrid>"))
        numeric = numeric_columns(table)
        header = _row(table.header, twips, numeric, size, header=True)
        rows = [header]
        last = len(table.rows) - 1
        for start in range(0, len(table.rows), ROWS_PER_CHUNK):
            chunk = table.rows[start : start + ROWS_PER_CHUNK]
            rows += [
                _row(row, twips, numeric, size, bold=table.total_row and start + n == last)
                for n, row in enumerate(chunk)
            ]
            holder = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")
            tbl.extend(list(holder))
            rows = []
    after = document.add_paragraph(table.legend or "")  # type: ignore[attr-defined]
    after.paragraph_format.space_before = Pt(2)
    after.paragraph_format.space_after = Pt(8)
    for run in after.runs:
        run.font.size = Pt(8)
        run.italic = True


def _row(
    cells: Sequence[Cell],
    twips: list[int],
    numeric: set[int],
    size: float,
    header: bool = False,
    bold: bool = False,
) -> str:
    properties = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    half_points = round((HEADER_PT if header else size) * 2)
    parts = []
    for c, value in enumerate(cells):
        text = xml_escape(NOT_IN_XML.sub("", shown(value)))
        right = c in numeric and (not header or c > 0)
        align = '<w:jc w:val="right"/>' if right else ""
        shade = '<w:shd w:val="clear" w:color="auto" w:fill="E6ECF2"/>' if header else ""
        weight = "<w:b/>" if header or bold else ""
        parts.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{twips[c]}" w:type="dxa"/>{shade}</w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:before="20" w:after="20"/>{align}</w:pPr>'
            f'<w:r><w:rPr>{weight}<w:sz w:val="{half_points}"/></w:rPr>'
            f'<w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'
        )
    return f"<w:tr><w:trPr>{properties}</w:trPr>{''.join(parts)}</w:tr>"


def numeric_columns(table: Table) -> set[int]:
    sample = list(islice(iter(table.rows), SAMPLE_ROWS))
    return {
        c
        for c in range(len(table.header))
        if sample and all(is_number(row[c]) or row[c] in (None, "") for row in sample)
    }


@cache
def _font() -> object:
    """DejaVu Sans Bold, the widest font the document may be printed in: a width measured
    with it fits in any other."""
    from matplotlib import font_manager
    from PIL import ImageFont

    return ImageFont.truetype(font_manager.findfont("DejaVu Sans:bold"), 100)


@cache
def text_cm(text: str, size: float) -> float:
    return _font().getlength(text) / 100 * size / 72 * 2.54  # type: ignore[attr-defined]


def column_widths(table: Table, size: float) -> list[float]:
    """Number columns just wide enough for their widest figure and header word; text
    columns share the rest by how much they hold, never narrower than their longest word."""
    sample = list(islice(iter(table.rows), SAMPLE_ROWS))
    numeric = numeric_columns(table)
    texts = [[shown(row[c]) for row in sample] for c in range(len(table.header))]
    least = [
        max(
            [text_cm(w, HEADER_PT) for w in table.header[c].split()]
            + [text_cm(w, size) for t in texts[c] for w in t.split()],
            default=0,
        )
        + CELL_PADDING_CM
        for c in range(len(table.header))
    ]
    fixed = {c: least[c] for c in numeric}
    free = TEXT_WIDTH_CM - sum(fixed.values())
    wanted = {
        c: max(least[c], sum(text_cm(t[:300], size) for t in texts[c]) / max(len(texts[c]), 1))
        for c in range(len(table.header))
        if c not in numeric
    }
    share = dict(wanted)
    settled: dict[int, float] = {}
    while share:
        room = free - sum(settled.values())
        total = sum(share.values()) or 1
        narrow = {c for c in share if room * share[c] / total < least[c]}
        if not narrow:
            settled |= {c: room * share[c] / total for c in share}
            break
        for c in narrow:
            settled[c] = least[c]
            del share[c]
    widths = [fixed[c] if c in fixed else settled[c] for c in range(len(table.header))]
    scale = min(1.0, TEXT_WIDTH_CM / sum(widths))
    return [w * scale for w in widths]
