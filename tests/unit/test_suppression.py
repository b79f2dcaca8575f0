"""Public tables, read as an attacker would: nothing false, nothing small recomputable.

The attacker here is written apart from the code under test: it sees only the printed
table, knows "<3" is 1 or 2 and "x" is at least 1 (a hidden cell is never empty), and
bounds each hidden cell by linear programming over the table's sums (two-way tables with
totals are totally unimodular, so the bounds are whole numbers).
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from reporting.document import Table, suppress, suppress_together

K = 3


def two_way(body: list[list[int]]) -> Table:
    """Rows of counts with a row total in column 1 and a total row under them."""
    rows = [("r", sum(r), *r) for r in body]
    totals = [sum(col) for col in zip(*body, strict=True)]
    rows.append(("total", sum(totals), *totals))
    width = len(body[0])
    return Table(
        "t",
        "t",
        ("name", "total", *(f"c{i}" for i in range(width))),
        tuple(rows),
        counts=tuple(range(1, width + 2)),
        row_sums=((1, tuple(range(2, width + 2))),),
        total_row=True,
    )


def attacker_range(printed: Table, cell: tuple[int, int]) -> tuple[float, float]:
    """Least and greatest value of a hidden cell consistent with the printed table."""
    unknown = [
        (r, c)
        for r, row in enumerate(printed.rows)
        for c in printed.counts
        if isinstance(row[c], str)
    ]
    index = {u: n for n, u in enumerate(unknown)}
    a_eq, b_eq = [], []
    for total, parts in printed.lines():
        row, constant = np.zeros(len(unknown)), 0
        for (r, c), sign in [(total, -1), *((p, 1) for p in parts)]:
            value = printed.rows[r][c]
            if (r, c) in index:
                row[index[(r, c)]] += sign
            else:
                constant += sign * value
        if row.any():
            a_eq.append(row)
            b_eq.append(-constant)
    bounds = [(1, K - 1) if printed.rows[r][c] == f"<{K}" else (1, None) for r, c in unknown]
    found = []
    for sign in (1, -1):
        goal = np.zeros(len(unknown))
        goal[index[cell]] = sign
        result = linprog(goal, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
        assert result.success, result.message
        found.append(result.x[index[cell]])
    return found[0], found[1]


def assert_safe(original: Table, printed: Table) -> None:
    if printed.withheld:
        assert not printed.rows
        return
    for r, (before, after) in enumerate(zip(original.rows, printed.rows, strict=True)):
        for c in original.counts:
            value, shown = before[c], after[c]
            if shown == f"<{K}":
                assert 0 < value < K, f"{value} printed as <{K}"
            elif shown == "x":
                assert value > 0, "an empty cell printed as x"
            else:
                assert shown == value
                assert not 0 < value < K, f"small count {value} printed"
            if 0 < value < K:
                low, high = attacker_range(printed, (r, c))
                assert high - low >= 1 - 1e-6, f"cell {(r, c)} = {value} is recomputable"


counts = st.one_of(st.integers(0, 2), st.integers(3, 40))
bodies = st.integers(1, 5).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=6)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies)
def test_no_small_count_can_be_recomputed_and_no_large_one_is_called_small(body):
    table = two_way(body)
    assert_safe(table, suppress(table, K))


def test_the_attacker_finds_a_count_that_only_primary_suppression_leaves_open():
    table = two_way([[2, 5], [6, 7]])
    naive = Table(**{**table.__dict__, "rows": (("r", 7, "<3", 5), *table.rows[1:])})
    low, high = attacker_range(naive, (0, 2))
    assert low == high == 2  # 7 - 5: the hidden 2 is given away by its row


def test_a_small_total_of_small_parts_is_printed_x_so_that_it_gives_nothing_away():
    """ "<3 = <3 + <3" could only be 2 = 1 + 1."""
    table = two_way([[1, 1]])
    printed = suppress(table, K)
    assert printed.rows[0] == ("r", "x", "<3", "<3")
    assert_safe(table, printed)


def test_secondary_cells_are_marked_x_and_only_small_counts_are_marked_small():
    table = two_way([[4, 6, 1], [16, 33, 0], [20, 9, 5]])
    printed = suppress(table, K)
    assert printed.rows[0][4] == "<3"
    marks = {shown for row in printed.rows for shown in row[1:]}
    assert "x" in marks
    assert_safe(table, printed)


def test_a_total_is_hidden_only_when_no_inner_cell_will_do():
    table = two_way([[1, 9], [8, 30]])
    printed = suppress(table, K)
    assert printed.rows[-1][1] == 48 and printed.rows[0][1] == 10  # totals stay printed
    assert_safe(table, printed)


def test_three_people_in_three_answers_need_the_total_hidden():
    """1 + 1 + 1 = 3 gives each "<3" away; only hiding the total protects them."""
    rows = (("a", 1), ("b", 1), ("c", 1), ("total", 3))
    table = Table("q", "q", ("answer", "count"), rows, counts=(1,), total_row=True)
    printed = suppress(table, K)
    assert printed.rows[-1][1] == "x"
    assert_safe(table, printed)


def test_a_figure_two_tables_print_is_hidden_in_both_when_one_must_hide_it():
    first = Table(
        "a",
        "a",
        ("answer", "count"),
        (("a", 1), ("b", 1), ("c", 1), ("total", 3)),
        counts=(1,),
        total_row=True,
        linked={(3, 1): "respondents"},
    )
    second = Table(
        "b",
        "b",
        ("channel", "count"),
        (("paper", 3), ("total", 3)),
        counts=(1,),
        total_row=True,
        linked={(1, 1): "respondents"},
    )
    (a, b), keys = suppress_together([first, second], K)
    assert keys == {"respondents"}
    assert a.rows[-1][1] == "x" and b.rows[-1][1] == "x" and b.rows[0][1] == "x"
