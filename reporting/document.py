"""A report as plain blocks (headings, paragraphs, tables, images) that every format renders.

Public versions go through ``suppress``: a count of 1 to k-1 people is shown as "<k", and
when a row or column total is shown, a second cell is hidden wherever a single hidden cell
could be recomputed by subtraction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import overload

import pandas as pd

Cell = int | float | str | None


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Image:
    name: str
    png: bytes
    caption: str


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
    shares: dict[int, int] = field(default_factory=dict)
    """Percentage column -> the count column it is derived from (hidden with it)."""


Block = Paragraph | Table | Image


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Report:
    title: str
    period: str
    sections: tuple[Section, ...]
    appendix: tuple[Table, ...] = ()
    """Tables only for the spreadsheet: raw answers and the comment register."""


def suppress(table: Table, k: int) -> Table:
    hidden = _hidden_cells(table, k)
    if not hidden:
        return table
    rows = []
    for r, row in enumerate(table.rows):
        cells = list(row)
        for c in range(len(cells)):
            source = table.shares.get(c, c)
            if (r, source) in hidden:
                cells[c] = f"<{k}"
        rows.append(tuple(cells))
    return replace(table, rows=tuple(rows))


def _hidden_cells(table: Table, k: int) -> set[tuple[int, int]]:
    values = {
        (r, c): row[c]
        for r, row in enumerate(table.rows)
        for c in table.counts
        if isinstance(row[c], int)
    }
    hidden = {cell for cell, value in values.items() if 0 < value < k}
    groups = _groups(table)
    changed = bool(hidden)
    while changed:
        changed = False
        for total, parts in groups:
            members = [cell for cell in (total, *parts) if cell in values]
            if sum(cell in hidden for cell in members) != 1:
                continue
            candidates = sorted((values[c], c) for c in parts if c in values and c not in hidden)
            extra = candidates[0][1] if candidates else total
            if extra in values and extra not in hidden:
                hidden.add(extra)
                changed = True
    return hidden


def _groups(table: Table) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    groups = []
    body = range(len(table.rows) - 1 if table.total_row else len(table.rows))
    for r in range(len(table.rows)):
        for total, parts in table.row_sums:
            groups.append(((r, total), [(r, p) for p in parts]))
    if table.total_row:
        last = len(table.rows) - 1
        for c in table.counts:
            groups.append(((last, c), [(r, c) for r in body]))
    return groups


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
