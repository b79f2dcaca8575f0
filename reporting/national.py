"""The national view for the association: every municipality side by side.

Load (each municipality's data, one at a time) -> pure figures -> a table in which no small
municipality's respondent can be singled out -> Word, HTML, Excel. Suppression is applied
per municipality (its own ``PUBLIC_MIN_COUNT``) and per cell: a count of 1 … k-1 is "<k",
the national total is protected by secondary suppression (``reporting.suppression``), and a
percentage or a category of a small group is not printed at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.questionnaire.model import SATISFACTION
from bot.questionnaire.periods import Period
from reporting import metrics, render, suppression
from reporting.document import Report, Section, Table
from reporting.roles import Roles

if TYPE_CHECKING:
    from bot.questionnaire.i18n import Locale
    from bot.questionnaire.model import Questionnaire
    from storage import Database
    from storage.analysis import VersionScope

HIDDEN = "x"
TOP = 3


@dataclass(frozen=True)
class Place:
    """A municipality as the comparison needs it: whose data, its name, its own k."""

    code: str
    name: str
    k: int


@dataclass(frozen=True)
class Figures:
    """One municipality's figures for the period, before anything is hidden."""

    name: str
    k: int
    responses: int
    applications: int | None
    rate: float | None
    satisfied: int
    rated: int
    mean: float | None
    categories: dict[str, int]


def cells(rows: Sequence[Figures], labels: dict[str, str], k_total: int) -> list[list[str]]:
    """The printed table: a row per municipality, then the national total."""
    counts = {(i, 0): row.responses for i, row in enumerate(rows)}
    total = (len(rows), 0)
    counts[total] = sum(row.responses for row in rows)
    hidden = _hide_responses(rows, counts, total)
    table = []
    for i, row in enumerate(rows):
        small = 0 < row.responses < row.k
        # A hidden count's rate would give it back (rate × applications).
        rate = "—" if row.rate is None else _share(row.rate)
        table.append(
            [
                row.name,
                _count((i, 0), counts, hidden, row.k),
                "—" if row.applications is None else str(row.applications),
                HIDDEN if (i, 0) in hidden and row.rate is not None else rate,
                *_satisfaction(row, small),
                HIDDEN if small else _categories(row, labels),
            ]
        )
    table.append(["", _count(total, counts, hidden, k_total), "", "", "", "", ""])
    return table


def _hide_responses(
    rows: Sequence[Figures], counts: dict[tuple[int, int], int], total: tuple[int, int]
) -> frozenset[tuple[int, int]]:
    """Each municipality's count hidden below its own k; then enough others that the
    national total gives none of them away (``suppression.choose``)."""
    forced = [(i, 0) for i, row in enumerate(rows) if 0 < row.responses < row.k]
    line = (total, tuple((i, 0) for i in range(len(rows))))
    k = max((row.k for row in rows), default=3)
    chosen = suppression.choose(counts, [line], k, forced=forced)
    return chosen.all | frozenset(forced)


def _count(
    cell: tuple[int, int], counts: dict[tuple[int, int], int], hidden: frozenset, k: int
) -> str:
    value = counts[cell]
    if cell not in hidden:
        return str(value)
    return f"<{k}" if 0 < value < k else HIDDEN


def _satisfaction(row: Figures, small: bool) -> list[str]:
    """The share satisfied and the mean, only when neither the satisfied nor the others
    are a small group (either would single someone out)."""
    if row.rated == 0 and not small:
        return ["—", "—"]
    values = {(0, 0): row.satisfied, (0, 1): row.rated - row.satisfied, (0, 2): row.rated}
    line = ((0, 2), ((0, 0), (0, 1)))
    if small or suppression.choose(values, [line], row.k).all:
        return [HIDDEN, HIDDEN]
    mean = "—" if row.mean is None else f"{row.mean:.1f}"
    return [_share(row.satisfied / row.rated), mean]


def _categories(row: Figures, labels: dict[str, str]) -> str:
    shown = [(code, n) for code, n in row.categories.items() if n >= row.k][:TOP]
    return "; ".join(f"{labels.get(code, code)} ({n})" for code, n in shown) or "—"


def _share(value: float) -> str:
    return f"{round(value * 100)}%"


async def gather_all(
    database: Database, builtin: Questionnaire, everywhere: Sequence[Place], period: Period
) -> list[Figures]:
    """Each municipality's figures of the built-in form, one municipality at a time."""
    from reporting.build import gather
    from reporting.categories import load_categoriser

    categoriser = load_categoriser()
    roles = Roles.of(builtin)
    satisfaction = builtin.with_role(SATISFACTION)
    found = []
    for place in everywhere:
        data = await gather(
            database,
            builtin,
            categoriser,
            period,
            municipality=place.code,
            scope=await _builtin_scope(database, builtin, place.code),
        )
        totals = metrics.totals(data.frame, data.applications, roles)
        spread = metrics.distribution(data.frame, satisfaction) if satisfaction else None
        best = sorted(satisfaction.options, key=int)[-2:] if satisfaction else []
        found.append(
            Figures(
                name=place.name,
                k=place.k,
                responses=totals.responses,
                applications=totals.applications,
                rate=totals.rate,
                satisfied=sum(spread.counts[c] for c in best) if spread else 0,
                rated=spread.answered if spread else 0,
                mean=spread.mean if spread else None,
                categories=metrics.suggestions(
                    data.frame, list(categoriser.labels), roles.suggestions
                ).by_category
                if len(data.frame)
                else {},
            )
        )
    return found


async def _builtin_scope(
    database: Database, builtin: Questionnaire, municipality: str
) -> VersionScope:
    """The social-services form's responses only: a kindergarten's or a water office's
    answers (a form the municipality loaded) are not social services, and counting them
    would swell the responses and the response rate."""
    async with database.forms(municipality) as forms:
        selection = await forms.selection(builtin.form_id, builtin)
    assert selection is not None, "the built-in form is every municipality's"
    return selection.scope


async def write_national(
    database: Database,
    builtin: Questionnaire,
    everywhere: Sequence[Place],
    period: Period,
    formats: Sequence[str],
    directory: Path,
    left_out: Sequence[str] = (),
) -> list[Path]:
    """Load -> figures -> the printed table -> the same renderers as the municipal report.
    ``left_out``: municipalities not compared (the period is not one of their quarters)."""
    from reporting.build import report_texts
    from reporting.categories import load_categoriser

    figures = await gather_all(database, builtin, everywhere, period)
    labels = dict(load_categoriser().labels)
    k = max((place.k for place in everywhere), default=3)
    report = document(report_texts(), period, cells(figures, labels, k), k, left_out)
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
