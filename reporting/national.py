"""The national view for the association: every municipality side by side.

Each municipality's row is read from its own audited public output of the period
(``bot.application.public_figures``, kept in its ledger as ``national``): the comparison
prints nothing that municipality's public figures hide, and two comparisons of overlapping
periods are audited like any two outputs (only quarters and years are compared). The
national total is printed only when every municipality's count is; a satisfied share and
mean only where the satisfaction table prints every count; a category only with at least
k people -> Word, HTML, Excel.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.questionnaire.model import SATISFACTION
from bot.questionnaire.periods import Period
from reporting import render
from reporting.document import Percent, Report, Section, Table
from reporting.public_tables import scale_figures

if TYPE_CHECKING:
    from bot.questionnaire.i18n import Locale
    from bot.questionnaire.model import Question, Questionnaire

HIDDEN = "x"
TOP = 3


def public_row(
    name: str, k: int, tables: Mapping[str, Table], satisfaction: Question | None
) -> list[str]:
    """A municipality's row from its audited public output (``bot.application.public_figures``):
    only what that output prints, so the comparison gives away nothing the municipality's
    own public figures hide; the satisfied share and the mean only when the satisfaction
    table prints every count (then both follow from what is printed anyway)."""
    responses = _printed(tables.get("channels"), -1, 1)
    services = tables.get("services")
    applications = _printed(services, -1, 1) if services is not None else "—"
    rate = _printed(services, -1, 3) if services is not None else "—"
    scale = tables.get(satisfaction.id) if satisfaction is not None else None
    found = [name, responses, applications, rate, *_scale(scale, satisfaction)]
    categories = tables.get("categories")
    shown = [] if categories is None or categories.withheld else categories.rows
    best = sorted(
        ((row[1], str(row[0])) for row in shown if isinstance(row[1], int) and row[1] >= k),
        key=lambda pair: -pair[0],
    )[:TOP]
    found.append("; ".join(f"{label} ({n})" for n, label in best) or "—")
    return found


def public_cells(rows: Sequence[list[str]]) -> list[list[str]]:
    """The rows and the national total: printed only when every municipality's count is
    (each is already public; a total over a hidden one would give it back)."""
    counts = [row[1] for row in rows]
    total = str(sum(map(int, counts))) if all(c.isdigit() for c in counts) else HIDDEN
    return [*rows, ["", total, "", "", "", "", ""]]


def _share(value: float) -> str:
    return f"{round(value * 100)}%"


def _printed(table: Table | None, row: int, column: int) -> str:
    if table is None or table.withheld or not table.rows:
        return HIDDEN
    value = table.rows[row][column]
    if isinstance(value, Percent):
        return _share(value)
    return "—" if value is None else str(value)


def _scale(table: Table | None, question: Question | None) -> list[str]:
    if table is None or question is None:
        return ["—", "—"]
    found = scale_figures(table, question.options)
    if found is None:  # hidden counts, or nobody answered
        empty = not table.withheld and table.rows and table.rows[-1][1] == 0
        return ["—", "—"] if empty else [HIDDEN, HIDDEN]
    satisfied, answered, mean = found
    return [_share(satisfied / answered), f"{mean:.1f}"]


async def write_public_national(
    everywhere: Sequence[tuple[str, int, Mapping[str, Table]]],
    builtin: Questionnaire,
    period: Period,
    formats: Sequence[str],
    directory: Path,
    left_out: Sequence[str] = (),
) -> list[Path]:
    """The comparison from each municipality's audited public output: (name, k, tables)."""
    from reporting.build import report_texts

    satisfaction = builtin.with_role(SATISFACTION)
    rows = [public_row(name, k, tables, satisfaction) for name, k, tables in everywhere]
    k = max((k for _name, k, _tables in everywhere), default=3)
    report = document(report_texts(), period, public_cells(rows), k, left_out)
    stem = f"national_{period.label}"
    return await asyncio.to_thread(render.files, report, formats, directory, stem)


COLUMNS = ("municipality", "responses", "applications", "rate", "satisfied", "mean", "categories")


def document(
    words: Locale, period: Period, table: list[list[str]], k: int, left_out: Sequence[str] = ()
) -> Report:
    """One table with its note: in Word and HTML the title and period head the page and
    the note is the table's legend; the spreadsheet prints them in the sheet."""
    t = words.t
    title = t("national.title")
    when = t(
        "national.period",
        start=period.start.strftime("%d.%m.%Y"),
        end=period.end.strftime("%d.%m.%Y"),
    )
    note = t("national.note", k=k)
    if left_out:
        note = f"{note} {t('national.left_out', names=', '.join(left_out))}"
    rows = [row if row[0] else [t("national.total"), *row[1:]] for row in table]
    printed = Table(
        name="national",
        title="",
        header=tuple(t(f"national.columns.{name}") for name in COLUMNS),
        rows=[tuple(_number(value) for value in row) for row in rows],
        total_row=True,
        legend=note,
        sheet=t("national.sheet"),
        sheet_above=(title, when, ""),
        sheet_below=("", note),
    )
    return Report(title=title, period=when, sections=(Section("", (printed,)),))


def _number(value: str) -> int | str | None:
    """Counts are numbers in the spreadsheet (sums and filters work); marks stay text; an
    empty cell of the total row stays empty."""
    return int(value) if value.isdigit() else value or None
