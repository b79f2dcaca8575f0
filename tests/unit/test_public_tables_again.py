"""The same quarter asked again prints what an earlier output of the same counts printed,
whichever order the ledger reads its entries in (issue 28)."""

from __future__ import annotations

import itertools

from reporting.document import Table, suppress
from reporting.ledger_audit import Publication
from reporting.public_tables import audit, lines_of, printed_cells, true_counts

K = 3


def built() -> dict[str, Table]:
    rows = (("a", 5), ("b", 4), ("c", 1), ("სულ", 10))
    return {"t": Table("t", "t", ("answer", "count"), rows, counts=(1,), total_row=True)}


def earlier_output(output: str, hide_a: bool) -> Publication:
    tables = built()
    printed = printed_cells(tables, {"t": suppress(tables["t"], K)})
    if hide_a:
        printed = {cell: "x" if cell == "t\ta\tcount" else v for cell, v in printed.items()}
    truth = {"2025Q1": true_counts(tables)}
    return Publication(output, ("2025Q1",), printed, truth, lines_of(tables), K)


def printed_again(earlier: list[Publication], output: str) -> list[object]:
    tables = built()
    truth = {"2025Q1": true_counts(tables)}
    again, _ = audit(earlier, output, truth, tables, {"t": suppress(tables["t"], K)}, K)
    return [row[1] for row in again["t"].rows]


def test_asked_again_the_quarter_prints_the_same_whatever_order_the_ledger_reads():
    card, report = earlier_output("card", False), earlier_output("report", True)
    for order in itertools.permutations([card, report]):
        assert printed_again(list(order), "report") == ["x", "x", "<3", 10]
        assert printed_again(list(order), "card") == [5, "x", "<3", 10]
        assert printed_again(list(order), "results_page") == ["x", "x", "<3", 10], (
            "another kind of output: the one that hid the most"
        )
