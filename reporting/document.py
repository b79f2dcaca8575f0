"""A report as plain blocks (headings, paragraphs, tables, images) that every format renders.

Public versions go through ``suppress`` (see ``reporting.suppression``): a count of 1 to k-1
people is printed as "<k", a cell hidden only to protect such a count as "x", and every
table with a hidden cell carries a one-line legend.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import overload

import pandas as pd

from reporting.suppression import CellKey, Hidden, Line, choose

Cell = int | float | str | None
SECONDARY = "x"
NONE = "–"


class Percent(float):
    """A share (0.39) printed as 39%; a number with a percent format in the spreadsheet."""


class Mean(float):
    """An average score, printed with one decimal."""


class Change(float):
    """A difference between two periods, printed with its sign; for percentages, in points."""


class DecimalChange(Change):
    """A difference of averages, with one decimal."""


def shown(value: Cell) -> str:
    """A cell as Word and HTML print it."""
    if value is None:
        return ""
    if isinstance(value, Percent):
        return f"{round(value * 100)}%"
    if isinstance(value, DecimalChange):
        return f"{value:+.1f}" if round(value, 1) else "0.0"
    if isinstance(value, Change):
        return f"{round(value):+d}" if round(value) else "0"
    if isinstance(value, Mean):
        return f"{value:.1f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_number(value: Cell) -> bool:
    """Numbers and the marks standing for them are right-aligned."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and (value in (SECONDARY, NONE) or value.startswith("<"))


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str | None = None
    """``note`` (small print under a table), ``notice`` (on the first page), or plain."""


@dataclass(frozen=True)
class Heading:
    """A heading inside a section (Word "Heading 2"), e.g. a question of the questionnaire."""

    text: str


@dataclass(frozen=True)
class Image:
    name: str
    png: bytes
    caption: str
    width_cm: float = 15.0
    """The width it is placed at in Word; charts are drawn for it at print resolution."""


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    header: tuple[str, ...]
    rows: Sequence[tuple[Cell, ...]]
    counts: tuple[int, ...] = ()
    """Columns whose cells count people."""
    row_sums: tuple[tuple[int, tuple[int, ...]], ...] = ()
    """(total column, part columns): within a row the parts add up to the total."""
    total_row: bool = False
    """The last row holds the totals of the count columns above it."""
    shares: Mapping[int, int | tuple[int, ...]] = field(default_factory=dict)
    """Column derived from count columns (a percentage): hidden when any of them is hidden."""
    linked: Mapping[CellKey, str] = field(default_factory=dict)
    """Cells that print a figure other tables print too (the number of respondents)."""
    legend: str | None = None
    """One line under the table explaining its marks (public tables with hidden cells)."""
    withheld: bool = False
    """Too few people to print any of it safely: only the title and the legend are shown."""
    sheet: str | None = None
    """The spreadsheet's name for the table (Georgian, at most 31 characters)."""
    subheader: tuple[str, ...] = ()
    """A second header row for the spreadsheet (the raw sheet's stable codes)."""
    sheet_above: tuple[str, ...] = ()
    sheet_below: tuple[str, ...] = ()
    """Lines the spreadsheet prints above the header and under the rows, one cell each (""
    a blank row): a sheet sent on its own (the national comparison) carries its title,
    period and note, which Word and HTML print around the table."""

    def values(self) -> dict[CellKey, int]:
        """Count cells; one left empty (no figure entered) adds nothing to its total."""
        return {
            (r, c): row[c] if isinstance(row[c], int) else 0
            for r, row in enumerate(self.rows)
            for c in self.counts
            if not isinstance(row[c], bool | str | float)
        }

    def lines(self) -> list[Line]:
        lines: list[Line] = []
        last = len(self.rows) - 1
        body = range(last if self.total_row else len(self.rows))
        for r in range(len(self.rows)):
            for total, parts in self.row_sums:
                lines.append(((r, total), tuple((r, p) for p in parts)))
        if self.total_row:
            for c in self.counts:
                lines.append(((last, c), tuple((r, c) for r in body)))
        return lines


Block = Paragraph | Heading | Table | Image


@dataclass(frozen=True)
class Section:
    title: str
    """``""``: no heading (a report of one table, the national comparison)."""
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Report:
    title: str
    period: str
    sections: tuple[Section, ...]
    appendix: tuple[Table, ...] = ()
    """Tables only for the spreadsheet: raw answers, labels and the full comment register."""
    notice: str | None = None
    """Said on the first page, under the period (a period that has not ended yet)."""


def suppress(table: Table, k: int, forced: frozenset[CellKey] = frozenset()) -> Table:
    return apply(table, hide(table, k, forced), k)


def hide(table: Table, k: int, forced: frozenset[CellKey] = frozenset()) -> Hidden:
    return choose(table.values(), table.lines(), k, forced)


def apply(table: Table, hidden: Hidden, k: int, legend: str | None = None) -> Table:
    """The table as printed: "<k" for small counts, "x" for cells hidden to protect them."""
    if hidden.withheld:
        return replace(table, rows=(), withheld=True, legend=legend or table.legend)
    if not hidden.all:
        return table
    rows = []
    for r, row in enumerate(table.rows):
        cells = list(row)
        for c in range(len(cells)):
            if (r, c) in hidden.primary:
                cells[c] = f"<{k}"
            elif (r, c) in hidden.secondary:
                cells[c] = SECONDARY
            elif c in table.shares:
                sources = table.shares[c]
                sources = (sources,) if isinstance(sources, int) else sources
                if any((r, s) in hidden for s in sources):
                    cells[c] = SECONDARY
        rows.append(tuple(cells))
    return replace(table, rows=tuple(rows), legend=legend or table.legend)


def suppress_together(tables: Sequence[Table], k: int) -> tuple[list[Table], set[str]]:
    """Tables that print the same figure are suppressed as one: a shared figure hidden in
    one is hidden in all, so no table gives away what another hides. Returns the printed
    tables (without legends) and the keys of the shared figures that are hidden."""
    hidden_keys: set[str] = set()
    while True:
        found = []
        for table in tables:
            forced = frozenset(cell for cell, key in table.linked.items() if key in hidden_keys)
            found.append(hide(table, k, forced))
        keys = {
            key
            for table, hidden in zip(tables, found, strict=True)
            for cell, key in table.linked.items()
            if cell in hidden
        }
        if keys <= hidden_keys:
            break
        hidden_keys |= keys
    printed = [apply(t, h, k) for t, h in zip(tables, found, strict=True)]
    return printed, hidden_keys


class FrameRows(Sequence[tuple[Cell, ...]]):
    """Rows of a frame made as they are read, a block at a time.

    The raw answers of a million responses as ready-made tuples would cost more memory than
    the frame itself; the spreadsheet writer only ever streams them.
    """

    BLOCK = 20_000

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def __len__(self) -> int:
        return len(self._frame)

    @overload
    def __getitem__(self, index: int) -> tuple[Cell, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> FrameRows: ...
    def __getitem__(self, index: int | slice) -> tuple[Cell, ...] | FrameRows:
        if isinstance(index, slice):
            return FrameRows(self._frame.iloc[index])
        return next(iter(FrameRows(self._frame.iloc[index : index + 1])))

    def __iter__(self) -> Iterator[tuple[Cell, ...]]:
        for start in range(0, len(self._frame), self.BLOCK):
            block = self._frame.iloc[start : start + self.BLOCK].astype(object)
            block = block.where(block.notna(), None)
            yield from zip(*(block[c].tolist() for c in block.columns), strict=True)
