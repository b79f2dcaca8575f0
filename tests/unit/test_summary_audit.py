"""The scale sentence under a public table: printed when it reveals nothing, never when it
pins a hidden count. Checked against every table small enough to enumerate."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.document import SECONDARY, Table, suppress
from reporting.summary_audit import summary_keeps_hidden

K = 3


def scale_table(counts: list[int]) -> Table:
    rows = [(str(n + 1), c) for n, c in enumerate(counts)]
    rows.append(("სულ", sum(counts)))
    return Table("q", "q", ("answer", "count"), tuple(rows), counts=(1,), total_row=True)


def printed(counts: list[int]) -> tuple[Table, float, float]:
    table = suppress(scale_table(counts), K)
    total = sum(counts)
    mean = float(f"{sum((n + 1) * c for n, c in enumerate(counts)) / total:.1f}")
    share = round((counts[-1] + counts[-2]) / total * 100) / 100
    return table, mean, share


def candidates(table: Table, mean: float, share: float) -> list[tuple[int, ...]]:
    """Every table of counts that prints exactly what was printed (brute force)."""
    rows = table.rows[:-1]
    shown_total = table.rows[-1][1]
    ranges = []
    for _label, cell in rows:
        if cell == f"<{K}":
            ranges.append(range(1, K))
        elif cell == SECONDARY:
            ranges.append(range(1, 30))
        else:
            ranges.append(range(cell, cell + 1))
    found = []
    for counts in itertools.product(*ranges):
        total = sum(counts)
        if isinstance(shown_total, int) and total != shown_total:
            continue
        again = sum((n + 1) * c for n, c in enumerate(counts)) / total
        if float(f"{again:.1f}") != mean:
            continue
        if round((counts[-1] + counts[-2]) / total * 100) / 100 != share:
            continue
        found.append(counts)
    return found


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=9), min_size=5, max_size=5))
def test_the_sentence_is_printed_only_when_no_small_count_can_be_worked_out(counts):
    if sum(counts) < K:
        return
    table, mean, share = printed(counts)
    if table.withheld:
        return
    safe = summary_keeps_hidden(table, [1, 2, 3, 4, 5], [3, 4], mean, share, K)
    if not safe:
        return
    small = [r for r, (_l, cell) in enumerate(table.rows[:-1]) if cell == f"<{K}"]
    alternatives = candidates(table, mean, share)
    assert tuple(counts) in alternatives
    for row in small:
        assert len({c[row] for c in alternatives}) >= 2, (counts, row)


def test_two_hidden_counts_and_a_printed_mean_would_give_both_away():
    """1 and 2 of 15 people answered "1" and "2": the total, the other counts and the mean
    (3.7; it would be 3.6 the other way round) pin both, so the sentence is not printed."""
    table, mean, share = printed([1, 2, 3, 4, 5])
    assert [row[1] for row in table.rows[:2]] == ["<3", "<3"]
    assert not summary_keeps_hidden(table, [1, 2, 3, 4, 5], [3, 4], mean, share, K)


def test_rounding_that_leaves_both_ways_open_lets_the_sentence_be_printed():
    """Of 83, 1 and 2 answered "1" and "2" or the other way round: both print mean 4.3 and
    84%, so the sentence reveals nothing the table hides."""
    table, mean, share = printed([1, 2, 10, 30, 40])
    assert summary_keeps_hidden(table, [1, 2, 3, 4, 5], [3, 4], mean, share, K)
