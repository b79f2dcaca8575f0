"""A public output's count tables as the ledger audit reads them, and back.

``reporting.ledger_audit`` knows cells by name (``table\\trow\\tcolumn``, or ``@respondents``
for the figure several tables print), so an output's cells line up with every earlier
output's whatever order its rows come in. Here the report's ``Table``s become those cells
(their true counts, their lines, what is printed) and the audit's verdict becomes the
printed tables again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from reporting.document import SECONDARY, Table
from reporting.ledger_audit import Cell, Line, Printed, Publication, settle
from reporting.suppression import CellKey


def cell_name(table: Table, key: CellKey) -> Cell:
    linked = table.linked.get(key)
    if linked is not None:
        return f"@{linked}"
    row, column = key
    return f"{table.name}\t{table.rows[row][0]}\t{table.header[column]}"


def true_counts(tables: Mapping[str, Table]) -> dict[Cell, int]:
    """Every count cell of the tables before anything is hidden."""
    return {
        cell_name(table, key): value
        for table in tables.values()
        for key, value in table.values().items()
    }


def lines_of(tables: Mapping[str, Table]) -> tuple[Line, ...]:
    found: dict[Line, None] = {}
    for table in tables.values():
        counted = table.values()
        for total, parts in table.lines():
            if total in counted and all(p in counted for p in parts):
                line = (cell_name(table, total), tuple(cell_name(table, p) for p in parts))
                found[line] = None
    return tuple(found)


def printed_cells(built: Mapping[str, Table], printed: Mapping[str, Table]) -> dict[Cell, Printed]:
    """What each count cell prints: its count, ``<k`` or ``x`` (a withheld table: nothing)."""
    found: dict[Cell, Printed] = {}
    for name, table in built.items():
        shown = printed[name]
        if shown.withheld:
            continue
        for key in table.values():
            value = shown.rows[key[0]][key[1]]
            found[cell_name(table, key)] = value if isinstance(value, int | str) else 0
    return found


def audit(
    earlier: Sequence[Publication],
    output: str,
    truth: Mapping[str, Mapping[Cell, int]],
    built: Mapping[str, Table],
    printed: Mapping[str, Table],
    k: int,
) -> tuple[dict[str, Table], Publication]:
    """The tables as they may be printed, and the output as the ledger keeps it.

    An earlier output of the same quarters made from the same counts gives its hidden cells
    first, so the same thing asked again (by any output) is printed the same
    (``same_counts_before``)."""
    start = printed_cells(built, printed)
    quarters = tuple(truth)
    before = same_counts_before(earlier, output, quarters, truth)
    if before is not None:
        start = {c: before.printed.get(c, v) for c, v in start.items()}
        start = {c: v for c, v in start.items() if c in before.printed}
    new = Publication(output, quarters, start, truth, lines_of(built), k)
    settled = settle(earlier, new)
    tables = {
        name: _reprinted(table, printed[name], settled.publication.printed)
        for name, table in built.items()
    }
    return tables, settled.publication


def same_counts_before(
    earlier: Sequence[Publication],
    output: str,
    quarters: tuple[str, ...],
    truth: Mapping[str, Mapping[Cell, int]],
) -> Publication | None:
    """The earlier output of these quarters and counts to print again: one of the same kind
    first, then the one printing fewest counts, then by its cells, so the choice never hangs
    on the order the ledger reads its entries in (by hash): republishing is the same."""
    same = [b for b in earlier if b.quarters == quarters and b.truth == truth]
    if not same:
        return None

    def preference(before: Publication) -> tuple[bool, int, str]:
        shown = sum(isinstance(v, int) for v in before.printed.values())
        return before.output == output, -shown, repr(sorted(before.printed.items()))

    return max(same, key=preference)


def _reprinted(built: Table, printed: Table, cells: Mapping[Cell, Printed]) -> Table:
    """``printed`` with the audit's extra ``x``s (and the shares they give away), or
    withheld when the audit printed none of its count cells. A cell left empty (no
    application figures entered) stays empty: the audit counts it as 0, but printing that 0
    would state a figure nobody entered."""
    counted = built.values()
    if counted and not any(cell_name(built, key) in cells for key in counted):
        return replace(built, rows=(), withheld=True, legend=None)
    if printed.withheld:
        return printed
    rows = [list(row) for row in built.rows]
    for r, row in enumerate(printed.rows):
        for c, value in enumerate(row):
            if (r, c) not in counted:
                rows[r][c] = value
    for key in counted:
        r, c = key
        if built.rows[r][c] is None:
            continue  # no figure entered: printed empty, never as the 0 it counts as here
        rows[r][c] = cells.get(cell_name(built, key), SECONDARY)
    for c, sources in built.shares.items():
        sources = (sources,) if isinstance(sources, int) else sources
        for r in range(len(rows)):
            if any(isinstance(rows[r][s], str) and (r, s) in counted for s in sources):
                rows[r][c] = SECONDARY
    return replace(printed, rows=tuple(tuple(row) for row in rows))


def scale_figures(table: Table | None, options: Sequence[str]) -> tuple[int, int, float] | None:
    """(the two best answers' count, how many answered, the mean) of a printed scale table
    (``options``: the question's codes, in the table's order), only when it prints every
    count: then these follow from what is printed and reveal nothing more."""
    if table is None or table.withheld or not table.rows:
        return None
    counts = [row[1] for row in table.rows[:-1]]
    if not all(isinstance(c, int) for c in counts):
        return None
    scored = {code: int(n) for code, n in zip(options, counts, strict=False)}  # type: ignore[call-overload]
    answered = sum(scored.values())
    if not answered:
        return None
    best = sorted(scored, key=int)[-2:]
    mean = sum(int(code) * n for code, n in scored.items()) / answered
    return sum(scored[c] for c in best), answered, mean
