"""Nothing published can be differenced: the attacker holds every public output ever made
and solves for what each one hides. Checked by brute force over every table small enough to
enumerate, independently of the integer programme the audit itself uses."""

from __future__ import annotations

import functools
import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.document import Table, suppress
from reporting.ledger_audit import Publication
from reporting.public_tables import audit, true_counts

K = 3
ROWS = ("ქალი", "კაცი", "არ მიუთითა")


def table(counts: tuple[int, ...]) -> Table:
    rows = [(label, n) for label, n in zip(ROWS, counts, strict=False)]
    rows.append(("სულ", sum(counts)))
    return Table("gender", "სქესი", ("", "რაოდენობა"), tuple(rows), counts=(1,), total_row=True)


def publish(
    ledger: list[Publication], data: dict[str, tuple[int, ...]], quarters: tuple[str, ...]
) -> Table:
    """One public output of ``quarters`` (one, or several as a year), audited and kept."""
    summed = tuple(sum(column) for column in zip(*(data[q] for q in quarters), strict=True))
    built = {"gender": table(summed)}
    printed = {"gender": suppress(built["gender"], K)}
    truth = {q: true_counts({"gender": table(data[q])}) for q in quarters}
    tables, publication = audit(ledger, "report", truth, built, printed, K)
    ledger.append(publication)
    return tables["gender"]


@functools.cache
def every_choice(width: int, top: int) -> np.ndarray:
    return np.indices((top + 1,) * width, dtype=np.int16).reshape(width, -1).T


def consistent(ledger: list[Publication], quarters: tuple[str, ...], top: int) -> np.ndarray:
    """Every choice of the quarters' counts (0 … top each) that prints what was printed."""
    rows = len(ledger[0].truth[ledger[0].quarters[0]]) - 1
    width = len(quarters) * rows
    grid = every_choice(width, top).reshape(-1, len(quarters), rows)
    keep = np.ones(len(grid), dtype=bool)
    for publication in ledger:
        columns = [quarters.index(q) for q in publication.quarters]
        summed = grid[:, columns, :].sum(axis=1)
        for cell, value in publication.printed.items():
            label = cell.split("\t")[1]
            shown = summed.sum(axis=1) if label == "სულ" else summed[:, ROWS.index(label)]
            if isinstance(value, int):
                keep &= shown == value
            elif value.startswith("<"):
                keep &= (shown >= 1) & (shown <= K - 1)
            else:
                keep &= shown >= 1
    return grid[keep]


def recovered(ledger: list[Publication], data: dict[str, tuple[int, ...]], top: int) -> list[str]:
    """The small counts the attacker pins to one value: each quarter's, and each printed <k."""
    quarters = tuple(data)
    found = consistent(ledger, quarters, top)
    truth = np.array([data[q] for q in quarters])
    assert (found == truth).all(axis=(1, 2)).any(), "the true counts must fit what was printed"
    pinned = []
    for q, r in itertools.product(range(len(quarters)), range(truth.shape[1])):
        if 0 < truth[q, r] < K and len(set(found[:, q, r])) == 1:
            pinned.append(f"{quarters[q]} {ROWS[r]} = {truth[q, r]}")
    for publication in ledger:  # and every printed "<k": a sum of quarters' counts
        columns = [quarters.index(q) for q in publication.quarters]
        summed = found[:, columns, :].sum(axis=1)
        for cell, value in publication.printed.items():
            label = cell.split("\t")[1]
            small = value == f"<{K}" and label != "სულ"
            if small and len(set(summed[:, ROWS.index(label)])) == 1:
                pinned.append(f"{publication.quarters} {label} <{K}")
    return pinned


def test_a_year_minus_three_published_quarters_does_not_give_the_fourth_quarters_small_count():
    data = {"Q1": (5, 7, 3), "Q2": (6, 6, 4), "Q3": (8, 4, 3), "Q4": (1, 9, 3)}
    ledger: list[Publication] = []
    quarters = [publish(ledger, data, (q,)) for q in ("Q1", "Q2", "Q3")]
    year = publish(ledger, data, tuple(data))
    assert [t.rows[0][1] for t in quarters] == [5, 6, 8], "nothing small in them: all printed"
    assert year.rows[0][1] != 20, "20 − 5 − 6 − 8 would be the one woman of the fourth quarter"
    assert year.rows[-1][1] == 59, "hiding a part is enough: the year's total stays printed"


def test_a_quarter_published_after_its_year_recovers_nothing():
    data = {"Q1": (5, 7), "Q2": (1, 9)}
    ledger: list[Publication] = []
    publish(ledger, data, ("Q1",))
    publish(ledger, data, ("Q1", "Q2"))
    publish(ledger, data, ("Q2",))
    assert recovered(ledger, data, top=12) == []


def test_without_the_ledger_the_same_outputs_give_the_small_count_away():
    """The attack the audit stops, shown working when each output is suppressed alone."""
    data = {"Q1": (5, 7), "Q2": (1, 9)}
    alone: list[Publication] = []
    for quarters in (("Q1",), ("Q1", "Q2")):
        publish([], data, quarters)
        ledger: list[Publication] = []
        publish(ledger, data, quarters)
        alone += ledger
    assert recovered(alone, data, top=12) == ["Q2 ქალი = 1"]


def test_a_quarter_printed_again_after_a_late_paper_form_does_not_give_that_form_away():
    """The same quarter before and after one late form: the difference is that form."""
    ledger: list[Publication] = []
    before = publish(ledger, {"Q1": (5, 7, 4)}, ("Q1",))
    after = publish(ledger, {"Q1": (6, 7, 4)}, ("Q1",))  # one woman's form typed in late
    assert [row[1] for row in before.rows] == [5, 7, 4, 16]
    women, total = after.rows[0][1], after.rows[-1][1]
    assert not (isinstance(women, int) and isinstance(total, int)), "6 − 5 and 17 − 16: her form"


def test_asking_again_for_the_same_output_hides_the_same_cells_and_no_more():
    data = {"Q1": (5, 7, 3), "Q2": (6, 6, 4), "Q3": (8, 4, 3), "Q4": (1, 9, 3)}
    ledger: list[Publication] = []
    first = [publish(ledger, data, (q,)) for q in data]
    year = publish(ledger, data, tuple(data))
    for _ in range(3):
        assert publish(ledger, data, tuple(data)) == year
        assert [publish(ledger, data, (q,)) for q in data] == first


def test_nothing_is_hidden_that_nothing_could_reveal():
    data = {"Q1": (5, 7, 3), "Q2": (6, 6, 4)}
    ledger: list[Publication] = []
    publish(ledger, data, ("Q1",))
    publish(ledger, data, ("Q2",))
    year = publish(ledger, data, ("Q1", "Q2"))
    assert [row[1] for row in year.rows] == [11, 13, 7, 31]


counts = st.tuples(*[st.integers(0, 5)] * 2)
OUTPUTS = [("Q1",), ("Q2",), ("Q3",), ("Q1", "Q2", "Q3")]
publications = st.lists(st.sampled_from(OUTPUTS), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(q1=counts, q2=counts, q3=counts, order=publications)
def test_any_sequence_of_quarter_and_year_outputs_leaves_every_small_count_open(q1, q2, q3, order):
    data = {"Q1": q1, "Q2": q2, "Q3": q3}
    ledger: list[Publication] = []
    for quarters in order:
        publish(ledger, data, quarters)
    assert recovered(ledger, data, top=8) == []


late = st.tuples(*[st.integers(0, 2)] * 2)
moments = st.lists(st.sampled_from(["before", "after"]), min_size=2, max_size=5)


@settings(max_examples=40, deadline=None)
@given(counts=counts, added=late, order=moments)
def test_a_quarter_printed_before_and_after_late_forms_never_tells_what_they_said(
    counts, added, order
):
    """The attacker holds the quarter's outputs from before and after a few late paper
    forms and solves for both versions at once: neither a small count of either version
    nor what the late forms added (when that is 1 or 2 people) may come out as one value."""
    versions = {"before": counts, "after": tuple(a + b for a, b in zip(counts, added, strict=True))}
    ledger: list[Publication] = []
    for moment in order:
        publish(ledger, {"Q1": versions[moment]}, ("Q1",))
    # every choice of both versions (0 … 8 each row) that prints what was printed
    grid = every_choice(4, 8).reshape(-1, 2, 2)
    keep = np.ones(len(grid), dtype=bool)
    for publication in ledger:
        seen = publication.truth["Q1"]
        version = 0 if [seen[f"gender\t{r}\tრაოდენობა"] for r in ROWS[:2]] == list(counts) else 1
        if versions["before"] == versions["after"]:
            version = 0
        shown = grid[:, version, :]
        for cell, value in publication.printed.items():
            label = cell.split("\t")[1]
            figure = shown.sum(axis=1) if label == "სულ" else shown[:, ROWS.index(label)]
            if isinstance(value, int):
                keep &= figure == value
            elif value.startswith("<"):
                keep &= (figure >= 1) & (figure <= K - 1)
            else:
                keep &= figure >= 1
    found = grid[keep]
    truth = np.array([versions["before"], versions["after"]])
    assert (found == truth).all(axis=(1, 2)).any()
    used = {0} | ({1} if "after" in order and versions["before"] != versions["after"] else set())
    for v, r in itertools.product(sorted(used), range(2)):
        if 0 < truth[v, r] < K:
            assert len(set(found[:, v, r])) > 1, f"version {v} row {r} = {truth[v, r]}"
    if used == {0, 1} and "before" in order:
        for r in range(2):
            change = found[:, 1, r] - found[:, 0, r]
            if 0 < abs(truth[1, r] - truth[0, r]) < K:
                assert len(set(change)) > 1, f"the late forms' row {r}: {truth[1, r] - truth[0, r]}"
