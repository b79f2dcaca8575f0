"""May a scale's sentence — its top-two share and its mean — be printed under a public
table that hides some counts?

The sentence adds two figures to the table: the share of the two best answers (a whole
percent) and the mean (one decimal). Each is a linear relation between the counts, known to
within its rounding, so together with what the table prints it may pin a hidden count to one
value (two hidden counts and a printed mean: two equations, two unknowns). The audit is the
table's own (``reporting.suppression``) with the sentence's two relations added: every count
printed "<k" must still be able to take at least two whole values. When it can, the sentence
is printed; the mayor reads "78 of 96 satisfied" whenever it reveals nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reporting.document import SECONDARY, Table
from reporting.suppression import integer_extremes

Inequality = tuple[np.ndarray, float]
"""``row · hidden counts ≤ bound``."""


def sentence_allowed(
    table: Table, scores: Sequence[int], top: Sequence[int], mean: float, share: float, k: int
) -> bool:
    """May a public output print the share and mean of this printed scale table (its
    sentence, a headline)? Never when the table prints its total or any count as ``x``: an
    ``x`` may be the ledger audit's (``reporting.public_tables``), hiding what another
    output printed before a late paper form, and the sentence is checked against this table
    alone (the share of 97 beside a total printed ``x`` gave the 97 back). Otherwise when
    ``summary_keeps_hidden``."""
    if any(row[1] == SECONDARY for row in table.rows) or not isinstance(table.rows[-1][1], int):
        return False
    return summary_keeps_hidden(table, scores, top, mean, share, k)


def summary_keeps_hidden(
    table: Table, scores: Sequence[int], top: Sequence[int], mean: float, share: float, k: int
) -> bool:
    """``table``: the printed table of one scale (a row per option, then the total);
    ``scores``: each option row's value; ``top``: the rows of the two best answers;
    ``mean`` and ``share``: the figures as the sentence prints them (one decimal, a whole
    percent).

    Both are kept in whole numbers, so the solver's tolerance cannot let a near miss
    through: a mean printed ``M`` means ``20·Σ score·count`` lies strictly between
    ``(20M − 1)·N`` and ``(20M + 1)·N``, a share printed ``P%`` that ``200·Σ top counts``
    lies strictly between ``(2P − 1)·N`` and ``(2P + 1)·N``. A value exactly on a rounding
    edge is left out: fewer tables fit, so the audit may only err towards hiding."""
    rows = table.rows
    hidden = [r for r in range(len(rows)) if isinstance(rows[r][1], str)]
    if not hidden:
        return True
    total = len(rows) - 1
    index = {r: n for n, r in enumerate(hidden)}

    def linear(weights: dict[int, int], bound: int = 0) -> Inequality:
        """``Σ weight·count ≤ bound`` with the printed counts moved to the right."""
        row, printed = np.zeros(len(hidden)), 0
        for r, weight in weights.items():
            if r in index:
                row[index[r]] += weight
            else:
                printed += weight * int(rows[r][1])  # type: ignore[call-overload]
        return row, float(bound - printed)

    def strictly_between(weights: dict[int, int], scale: int, middle: int) -> list[Inequality]:
        """``(middle − 1)·N < scale·Σ weight·count < (middle + 1)·N``, in whole numbers."""
        above = {r: scale * w for r, w in weights.items()}
        above[total] = above.get(total, 0) - (middle + 1)
        below = {r: -scale * w for r, w in weights.items()}
        below[total] = below.get(total, 0) + (middle - 1)
        return [linear(above, -1), linear(below, -1)]

    equation = linear({total: -1, **{r: 1 for r in range(total)}})
    inequalities = strictly_between(dict(enumerate(scores)), 20, 2 * round(mean * 10))
    inequalities += strictly_between(dict.fromkeys(top, 1), 200, 2 * round(share * 100))
    marked = [r for r in hidden if rows[r][1] != SECONDARY]
    upper = [k - 1 if r in marked else np.inf for r in hidden]
    for r in marked:
        found = _range(index[r], len(hidden), equation, inequalities, upper)
        if found is None or found[1] - found[0] < 1:
            return False
    return True


def _range(
    cell: int,
    size: int,
    equation: Inequality,
    inequalities: list[Inequality],
    upper: Sequence[float],
) -> tuple[int, int] | None:
    """The least and greatest whole value of one hidden count; ``None``: nothing fits."""
    from scipy.optimize import LinearConstraint

    row, value = equation
    constraints = [LinearConstraint(row[None, :], value, value)]
    constraints += [LinearConstraint(a[None, :], -np.inf, b) for a, b in inequalities]
    return integer_extremes(cell, size, constraints, upper)
