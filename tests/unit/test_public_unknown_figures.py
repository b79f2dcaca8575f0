"""An unknown figure is never printed as 0: a quarter with no application figures entered
prints its applications column empty in every public output, after the ledger audit as
before it (the audit counts an empty cell as 0 to solve its lines, and once printed that 0)."""

from __future__ import annotations

from reporting.document import Table, suppress
from reporting.ledger_audit import Publication
from reporting.public_tables import audit, true_counts

K = 3
HEADER = ("სერვისი", "განაცხადები", "უკუკავშირი", "ქალი", "კაცი")


def services(applications: int | None, female: int, male: int) -> Table:
    feedback = female + male
    rows = (
        ("ბინის ქირა", applications, feedback, female, male),
        ("სულ", applications, feedback, female, male),
    )
    return Table(
        "services",
        "სერვისები",
        HEADER,
        rows,
        counts=(1, 2, 3, 4),
        row_sums=((2, (3, 4)),),
        total_row=True,
    )


def published(ledger: list[Publication], built: Table, quarter: str) -> Table:
    tables = {"services": built}
    printed = {"services": suppress(built, K)}
    result, publication = audit(
        ledger, "report", {quarter: true_counts(tables)}, tables, printed, K
    )
    ledger.append(publication)
    return result["services"]


def test_a_quarter_without_application_figures_prints_no_applications_at_all() -> None:
    printed = published([], services(None, 40, 38), "2025-Q3")
    assert [row[1] for row in printed.rows] == [None, None]
    assert [row[2] for row in printed.rows] == [78, 78]


def test_the_same_quarter_printed_again_still_prints_no_applications() -> None:
    ledger: list[Publication] = []
    published(ledger, services(None, 40, 38), "2025-Q3")
    again = published(ledger, services(None, 40, 38), "2025-Q3")
    assert 0 not in [row[1] for row in again.rows]


def test_entered_application_figures_are_still_printed() -> None:
    printed = published([], services(185, 40, 38), "2025-Q3")
    assert [row[1] for row in printed.rows] == [185, 185]
