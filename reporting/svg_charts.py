"""A table's counts as a horizontal bar chart in SVG, for the results page (no script, no
image file: the page's own markup, drawn by the browser at any width).

The chart says nothing the table beside it does not: a cell the public table hides ("<3",
"x") gets no bar, only its mark, so the picture can never print a figure the table hides.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reporting.document import Table, shown

WIDTH = 360
"""About a phone's width, so the text in it prints at about the page's size there."""
BAR_ROW = 26
LABEL_ROW = 20
"""Each row: its label on a line of its own above the bar, so long Georgian labels never
squeeze the bars on a phone."""


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None
    """``None``: hidden in the public table (no bar is drawn)."""
    text: str


def bars_of(table: Table) -> list[Bar]:
    """The first count column of each row (the total row left out); empty when the table
    has nothing to draw (no count column, withheld, a single row)."""
    if table.withheld or not table.counts or len(table.rows) < 2:
        return []
    column = table.counts[0]
    rows = table.rows[:-1] if table.total_row else table.rows
    found = []
    for row in rows:
        cell = row[column]
        value = cell if isinstance(cell, int) and not isinstance(cell, bool) else None
        found.append(Bar(shown(row[0]), value, shown(cell)))
    return found if any(bar.value for bar in found) else []


def bar_chart(title: str, bars: list[Bar]) -> str:
    """The chart as an inline ``<svg>``: scales to its box (``viewBox``), text as text."""
    top = max((bar.value or 0 for bar in bars), default=1) or 1
    height = len(bars) * (BAR_ROW + LABEL_ROW) + 8
    room = WIDTH - 48
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, bar in enumerate(bars):
        y = i * (BAR_ROW + LABEL_ROW) + LABEL_ROW
        parts.append(f'<text x="0" y="{y - 3}" class="label">{escape(_short(bar.label))}</text>')
        length = round(room * (bar.value or 0) / top)
        if bar.value:
            parts.append(
                f'<rect x="0" y="{y + 2}" width="{max(length, 2)}" height="{BAR_ROW - 10}" '
                'class="bar"/>'
            )
        parts.append(
            f'<text x="{length + 5}" y="{y + BAR_ROW - 12}" class="value">{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(label: str, most: int = 44) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"
