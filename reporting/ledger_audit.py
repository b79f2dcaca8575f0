"""Nothing published can be differenced: every public output is audited against all earlier
ones together.

Suppression (``reporting.suppression``) protects each table of one report on its own. An
attacker holds every public output ever made: the quarter's report, the results page, the
year's figures, a card. A year's cell minus three of its quarters' cells is the fourth
quarter's cell; the same quarter printed before and after a late paper form was typed in
gives that form's answers. So the ledger keeps each output's printed cells and, per quarter,
the true counts they were made of, and a new output is audited against the union:

- the unknowns are the true counts of each quarter, one set per *snapshot* (a quarter's
  counts as they stood when an output printed them: a late form makes a new snapshot);
- every table's lines (a total and its parts) hold in each snapshot;
- every printed cell of every output is an equation over the snapshots of its quarters
  (``<k``: between 1 and k-1, ``x``: at least 1);
- protected is each printed ``<k``, each quarter's count of 1 … k-1 people, and each change
  of 1 … k-1 between two snapshots of a quarter (the late forms themselves): each must still
  be able to take at least two whole values (integer programming, scipy's HiGHS).

What the audit finds pinned is hidden in the new output (the output being made is the only
one that can still change), a cell of the pinned cell's table at a time; a table that cannot
be protected is withheld. Earlier outputs are never changed, so asking again for an output
made before, from the same counts, finds the same cells hidden.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from reporting.suppression import integer_extremes

Cell = str
"""``table\\trow\\tcolumn``, or ``@key`` for a figure several tables print (respondents)."""
Printed = int | str
"""A printed count, ``<k`` or ``x``."""
Line = tuple[Cell, tuple[Cell, ...]]
BIG = 1_000_000.0
"""More people than any municipality has: bounds the unknowns, so no search is unbounded."""
Expression = tuple[tuple[tuple[str, Cell], int], ...]
"""``Σ coefficient · count of (snapshot, cell)``."""


@dataclass(frozen=True)
class Publication:
    """One public output as the ledger keeps it."""

    output: str
    quarters: tuple[str, ...]
    """The labels of the quarters it adds up (one, or the year's four)."""
    printed: Mapping[Cell, Printed]
    truth: Mapping[str, Mapping[Cell, int]]
    """Per quarter, the true count of each cell (what was printed is their sum)."""
    lines: tuple[Line, ...]
    k: int

    def key(self, quarter: str, cell: Cell) -> tuple[str, Cell]:
        """The unknown this output printed for ``cell`` of ``quarter``: named by its true
        value, so two outputs made from the same count share it (the audit then assumes
        the attacker knows they are equal: it may only err towards hiding)."""
        return (f"{quarter}={self.true_value(quarter, cell)}", cell)

    def true_value(self, quarter: str, cell: Cell) -> int:
        return self.truth.get(quarter, {}).get(cell, 0)


def table_of(cell: Cell) -> str:
    return cell.split("\t", 1)[0]


@dataclass
class _System:
    """Linear constraints over whole, non-negative counts of (snapshot, cell)."""

    index: dict[tuple[str, Cell], int] = field(default_factory=dict)
    rows: list[tuple[dict[int, int], float, float]] = field(default_factory=list)
    upper: dict[int, float] = field(default_factory=dict)

    def var(self, key: tuple[str, Cell]) -> int:
        return self.index.setdefault(key, len(self.index))

    def add(self, terms: Iterable[tuple[tuple[str, Cell], int]], low: float, high: float) -> None:
        row: dict[int, int] = {}
        for key, coefficient in terms:
            n = self.var(key)
            row[n] = row.get(n, 0) + coefficient
        self.rows.append((row, low, high))


def _system(publications: Sequence[Publication]) -> _System:
    system = _System()
    seen: set[tuple[tuple[tuple[str, Cell], int], ...]] = set()
    for publication in publications:
        for quarter in publication.quarters:
            for total, parts in publication.lines:
                line = (
                    (publication.key(quarter, total), -1),
                    *((publication.key(quarter, part), 1) for part in parts),
                )
                if line not in seen:
                    seen.add(line)
                    system.add(line, 0, 0)
        for cell, value in publication.printed.items():
            terms = [(publication.key(q, cell), 1) for q in publication.quarters]
            if isinstance(value, int):
                system.add(terms, value, value)
            elif value.startswith("<"):
                system.add(terms, 1, publication.k - 1)
            else:
                system.add(terms, 1, np.inf)
    return system


def protected(publications: Sequence[Publication]) -> list[Expression]:
    """What must stay uncertain: printed ``<k``s, small quarter counts, small changes."""
    found: dict[Expression, None] = {}
    values: dict[tuple[str, Cell], dict[int, int]] = {}
    """Each quarter's cell: the true values outputs saw, in the order they saw them, and
    the smallest k of those outputs."""
    for publication in publications:
        for cell, value in publication.printed.items():
            if isinstance(value, str) and value.startswith("<"):
                keys = sorted(publication.key(q, cell) for q in publication.quarters)
                found[tuple((key, 1) for key in keys)] = None
            for quarter in publication.quarters:
                true = publication.true_value(quarter, cell)
                seen = values.setdefault((quarter, cell), {})
                seen[true] = min(seen.get(true, publication.k), publication.k)
                if 0 < true < publication.k:
                    found[((publication.key(quarter, cell), 1),)] = None
    for (quarter, cell), seen in values.items():
        for (before, _), (after, k) in itertools.combinations(seen.items(), 2):
            if 0 < abs(after - before) < k:
                expression = (
                    ((f"{quarter}={after}", cell), 1),
                    ((f"{quarter}={before}", cell), -1),
                )
                found[expression] = None
    return list(found)


def pinned(publications: Sequence[Publication]) -> list[Expression]:
    """The protected quantities the outputs together fix to one value (all of them when the
    figures contradict each other: nothing is trusted then)."""
    return pinned_among(publications, protected(publications))


def pinned_among(
    publications: Sequence[Publication], wanted: Sequence[Expression]
) -> list[Expression]:
    if not wanted:
        return []
    system = _system(publications)
    groups = _components(system)
    found = []
    for expression in wanted:
        if any(key not in system.index for key, _c in expression):
            continue  # nothing printed ties it any more (its table withheld)
        ends = _extremes(system, groups, expression)
        if ends is None or ends[1] - ends[0] < 1:
            found.append(expression)
    return found


def _components(system: _System) -> list[int]:
    """Union-find over the unknowns: a quantity needs only the constraints it is tied to."""
    parent = list(range(len(system.index)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for row, _low, _high in system.rows:
        members = list(row)
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    return [root(n) for n in range(len(parent))]


def _extremes(system: _System, groups: list[int], expression: Expression) -> tuple[int, int] | None:
    """The least and greatest whole value of ``expression``, as one more unknown equal to
    it; ``None`` when nothing fits (figures that contradict each other)."""
    from scipy.optimize import LinearConstraint

    roots = {groups[system.index[key]] for key, _c in expression}
    members = [n for n in range(len(groups)) if groups[n] in roots]
    local = {n: i for i, n in enumerate(members)}
    size = len(members) + 1
    rows, low, high = [], [], []
    for row, lo, hi in system.rows:
        if not row or next(iter(row)) not in local:
            continue
        vector = np.zeros(size)
        for n, coefficient in row.items():
            vector[local[n]] = coefficient
        rows.append(vector)
        low.append(lo)
        high.append(hi)
    goal = np.zeros(size)
    goal[-1] = -1
    for key, coefficient in expression:
        goal[local[system.index[key]]] += coefficient
    rows.append(goal)
    low.append(0)
    high.append(0)
    constraints = [LinearConstraint(np.array(rows), low, high)]
    lower = [0.0] * len(members) + [-BIG * len(expression)]
    upper = [BIG] * len(members) + [BIG * len(expression)]
    return integer_extremes(size - 1, size, constraints, upper, lower)


@dataclass(frozen=True)
class Settled:
    """The new output as it may be printed."""

    publication: Publication
    withheld: frozenset[str] = frozenset()
    """Tables no choice of hidden cells protects: printed with their title only."""


def settle(earlier: Sequence[Publication], new: Publication) -> Settled:
    """``new`` with as few more cells hidden as the union's audit needs (``x``), and the
    tables that cannot be protected withheld. ``earlier`` are printed already: fixed.

    Each round audits everything once, then protects the pinned quantities one by one
    (each checked again first: hiding for one often frees the next)."""
    current, withheld = new, set[str]()
    while pins := pinned([*earlier, current]):
        for target in pins:
            if pins[0] is not target and not pinned_among([*earlier, current], [target]):
                continue
            tables = {table_of(cell) for (_snap, cell), _c in target} - withheld
            trial = _protect(earlier, current, target, tables)
            if trial is None:
                if not tables:  # contradicts what was printed before: print nothing more
                    everything = set(map(table_of, current.printed))
                    return Settled(_without(current, everything), frozenset(everything))
                withheld |= tables
                trial = _without(current, withheld)
            current = trial
    return Settled(current, frozenset(withheld))


def _protect(
    earlier: Sequence[Publication], current: Publication, target: Expression, tables: set[str]
) -> Publication | None:
    """``current`` with one more cell of ``tables`` hidden (and its lines closed): the first,
    smallest and inner first, that frees ``target``, else the smallest; ``None``: none left."""
    totals = {total for total, _parts in current.lines}
    candidates = sorted(
        (cell in totals, value, cell)
        for cell, value in current.printed.items()
        if isinstance(value, int) and value > 0 and (table_of(cell) in tables or cell[0] == "@")
    )
    if not candidates:
        return None
    for *_rank, cell in candidates:
        trial = _hidden(current, cell)
        if target not in pinned_among([*earlier, trial], [target]):
            return trial
    return _hidden(current, candidates[0][2])


def _hidden(publication: Publication, cell: Cell) -> Publication:
    """``cell`` printed ``x``, then every line left with one hidden member closed."""
    printed = dict(publication.printed)
    printed[cell] = "x"
    changed = True
    while changed:
        changed = False
        for total, parts in publication.lines:
            members = [c for c in (total, *parts) if c in printed]
            if sum(isinstance(printed[c], str) for c in members) != 1:
                continue
            open_ = sorted(
                (c == total, printed[c], c)
                for c in members
                if isinstance(printed[c], int) and printed[c] > 0
            )
            if open_:
                printed[open_[0][2]] = "x"
                changed = True
    return replace(publication, printed=printed)


def _without(publication: Publication, tables: set[str]) -> Publication:
    printed = {c: v for c, v in publication.printed.items() if table_of(c) not in tables}
    return replace(publication, printed=printed)
