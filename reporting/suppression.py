"""Which cells of a public table are hidden, and why: primary and secondary suppression.

Primary cells count 1 … k-1 people and are printed as ``<k``. Secondary cells are hidden
only so that no primary cell can be worked out from what is printed: they are printed as
``x``. Secondary cells are chosen among the non-empty cells; a small total whose "<k" would
give its parts away (``<3 = <3 + <3`` can only be 2 = 1 + 1) is printed as ``x`` too, so
"<k" always means exactly 1 … k-1 people and ``x`` promises nothing but "hidden".

The method is the one statistical offices use (τ-ARGUS, sdcTable): a table is a set of
additive lines (a row or column and its total). First a greedy pass: every line left with
exactly one hidden cell gets a second one, the smallest non-empty inner cell of the line, a
total only when no inner cell will do; repeated until nothing changes. Then an exact audit:
for each primary cell, the smallest and largest whole number it can be, given every printed
figure, every line, ``<k`` = 1 … k-1 and ``x`` ≥ 1 (integer programming, scipy's HiGHS). A
cell whose range holds a single value gets another cell of its lines hidden, and the audit
runs again, until every primary cell can take at least two values. A table where even hiding
everything would not do (all its counts small) is not printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

CellKey = tuple[int, int]
Line = tuple[CellKey, tuple[CellKey, ...]]
"""A total and the cells that add up to it."""


@dataclass(frozen=True)
class Hidden:
    primary: frozenset[CellKey]
    secondary: frozenset[CellKey]
    withheld: bool = False
    """No choice of hidden cells protects every small count (all of them are small, e.g.
    1 + 1 = 2): the table is not printed at all."""

    def __contains__(self, cell: object) -> bool:
        return cell in self.primary or cell in self.secondary

    @property
    def all(self) -> frozenset[CellKey]:
        return self.primary | self.secondary


def choose(
    values: Mapping[CellKey, int],
    lines: Sequence[Line],
    k: int,
    forced: Iterable[CellKey] = (),
) -> Hidden:
    """The cells to hide in one table; ``forced`` are hidden already (a shared total)."""
    small = {cell for cell, value in values.items() if 0 < value < k}
    hidden = small | {cell for cell in forced if values.get(cell, 0) > 0}
    lines = [line for line in lines if _members(line)[0] in values]
    totals = {total for total, _parts in lines}
    marked = set(small)
    """Printed "<k"; a small total of small parts is printed "x" instead, since
    "<3 = <3 + <3" could only be 2 = 1 + 1."""
    while True:
        _close_lines(values, lines, totals, hidden)
        exposed = [
            cell for cell in sorted(small) if not _protected(cell, values, lines, hidden, marked, k)
        ]
        if not exposed:
            return Hidden(frozenset(marked), frozenset(hidden - marked))
        if not _repair(exposed[0], values, lines, totals, hidden, marked, k):
            return Hidden(frozenset(marked), frozenset(hidden - marked), withheld=True)


def _repair(
    cell: CellKey,
    values: Mapping[CellKey, int],
    lines: Sequence[Line],
    totals: set[CellKey],
    hidden: set[CellKey],
    marked: set[CellKey],
    k: int,
) -> bool:
    """Protects ``cell`` with the least loss: first print a small total of its lines as
    "x" (nothing more is hidden), then hide the first cell of its lines, inner and small
    first, that is enough; failing both, hide one more cell and let the loop try again."""
    near = [c for line in lines if cell in _members(line) for c in _members(line)]
    for total in sorted({c for c in near if c in marked and c in totals}):
        if _protected(cell, values, lines, hidden, marked - {total}, k):
            marked.discard(total)
            return True
    candidates = sorted(
        (c in totals, values[c], c) for c in set(near) if c not in hidden and values[c] > 0
    )
    for *_rank, extra in candidates:
        trial = hidden | {extra}
        _close_lines(values, lines, totals, trial)
        if _protected(cell, values, lines, trial, marked, k):
            hidden |= trial
            return True
    extra = _smallest(near, values, totals, hidden) or _smallest(values, values, totals, hidden)
    if extra is not None:
        hidden.add(extra)
        return True
    total = next((c for c in sorted(totals) if c in marked), None)
    if total is not None:
        marked.discard(total)
        return True
    return False


def _members(line: Line) -> tuple[CellKey, ...]:
    total, parts = line
    return (total, *parts)


def _close_lines(
    values: Mapping[CellKey, int], lines: Sequence[Line], totals: set[CellKey], hidden: set[CellKey]
) -> None:
    changed = True
    while changed:
        changed = False
        for line in lines:
            members = [cell for cell in _members(line) if cell in values]
            if sum(cell in hidden for cell in members) != 1:
                continue
            extra = _smallest(members, values, totals, hidden)
            if extra is not None:
                hidden.add(extra)
                changed = True


def _smallest(
    cells: Iterable[CellKey],
    values: Mapping[CellKey, int],
    totals: set[CellKey],
    hidden: set[CellKey],
) -> CellKey | None:
    """The cell to hide: inner before totals, then the smallest; never an empty one."""
    candidates = [
        (cell in totals, values[cell], cell)
        for cell in cells
        if cell in values and cell not in hidden and values[cell] > 0
    ]
    return min(candidates)[2] if candidates else None


def _protected(
    cell: CellKey,
    values: Mapping[CellKey, int],
    lines: Sequence[Line],
    hidden: set[CellKey],
    marked: set[CellKey],
    k: int,
) -> bool:
    low, high = feasible_range(cell, values, lines, hidden, marked, k)
    return high - low >= 1


def feasible_range(
    cell: CellKey,
    values: Mapping[CellKey, int],
    lines: Sequence[Line],
    hidden: set[CellKey] | frozenset[CellKey],
    marked: set[CellKey] | frozenset[CellKey],
    k: int,
) -> tuple[float, float]:
    """The least and greatest whole value ``cell`` can have given what is printed.

    Unknowns are the hidden cells: 1 … k-1 for one printed "<k", at least 1 for an "x" (a
    hidden cell is never empty, and the legend promises no more). Each line whose members
    are partly hidden gives one equation: hidden members = printed total − printed parts.
    """
    from scipy.optimize import LinearConstraint

    unknowns = sorted(c for c in hidden if c in values)
    index = {c: n for n, c in enumerate(unknowns)}
    rows, rhs = [], []
    for total, parts in lines:
        members = [total, *parts]
        if not any(c in index for c in members) or any(c not in values for c in members):
            continue
        row = np.zeros(len(unknowns))
        constant = 0
        for c, sign in [(total, -1), *((p, 1) for p in parts)]:
            if c in index:
                row[index[c]] += sign
            else:
                constant += sign * values[c]
        rows.append(row)
        rhs.append(-constant)
    upper = [k - 1 if c in marked else np.inf for c in unknowns]
    constraints = [LinearConstraint(np.array(rows), rhs, rhs)] if rows else []
    found = integer_extremes(index[cell], len(unknowns), constraints, upper)
    if found is None:
        raise ValueError("the table's figures do not add up")
    return float(found[0]), float(found[1])


def integer_extremes(
    cell: int,
    size: int,
    constraints: Sequence[object],
    upper: Sequence[float],
    lower: Sequence[float] | None = None,
) -> tuple[int, int] | None:
    """The least and greatest whole value unknown ``cell`` can take, every unknown at least
    its ``lower`` (1 unless given) and at most its ``upper``, under ``constraints``
    (scipy's); ``None``: nothing fits."""
    from scipy.optimize import Bounds, milp

    objective = np.zeros(size)
    objective[cell] = 1
    found = []
    for sign in (1, -1):
        result = milp(
            sign * objective,
            constraints=constraints,
            integrality=np.ones(size),
            bounds=Bounds(
                np.ones(size) if lower is None else np.array(lower, dtype=float),
                np.array(upper, dtype=float),
            ),
        )
        if not result.success:
            return None
        found.append(round(result.x[cell]))
    return found[0], found[1]
