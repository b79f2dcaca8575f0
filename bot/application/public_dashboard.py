"""The dashboard of staff who may not see raw counts (viewers, national analysts).

They may pass the page on, so it prints only what is public already: the last ended
quarter's figures as its public results page prints them, and the scales' shares of the
quarters before it, each asked of the one public figures service (``PublicFigures``,
audited against every earlier public output and kept in the ledger as ``results_page``,
the same entry the results page makes). Nothing of the quarter in progress is shown: a
live count printed today and again tomorrow would tell, by difference, what the one form
in between answered, whatever each day's suppression hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.application.chosen_form import chosen_form
from bot.application.dashboard import QUARTERS_SHOWN, Dashboard, Place, Rate, Scale
from bot.application.public_figures import PublicFigures
from bot.questionnaire.periods import Period

if TYPE_CHECKING:
    from bot.application.public_figures import PublicOutput
    from bot.questionnaire.model import Question
    from reporting.dashboard import Counted, Share
    from reporting.document import Cell, Table


async def public_dashboard(place: Place, figures: PublicFigures, today: date) -> Dashboard:
    """The last ended quarter's public figures; ``figures``: the municipality's own."""
    quarter = place.settings.quarters.last_complete(today)
    quarters = [quarter]
    for _ in range(QUARTERS_SHOWN - 1):
        quarters.insert(0, quarters[0].previous())
    made = [await figures.for_period(q, output="results_page") for q in quarters]
    tables = made[-1].tables
    channels = _counted(tables.get("channels"), 1)
    form = await chosen_form(
        None, place.content, place.database, place.settings.language, place.code
    )
    scales = [
        Scale(form.locale.t(f"questions.{q.id}.text"), _shares(q, quarters, made))
        for q in form.questionnaire.answerable()
        if q.kind.scored
    ]
    return Dashboard(
        period=quarter,
        forms=channels.total,
        waiting=None,
        weeks=None,
        services=_counted(tables.get("services"), 2, drop_zero=True),
        channels=channels,
        confirmed=_counted(tables.get("confirmation"), 1),
        scales=scales,
        rate=_rate(tables.get("services")),
        to_look=None,
        k=place.settings.public_min_count,
    )


def _counted(table: Table | None, column: int, drop_zero: bool = False) -> Counted:
    """A printed public table's column as the dashboard's one-way table, its marks kept
    (nothing is worked out again: what the table hides stays hidden)."""
    from reporting.dashboard import SECONDARY, Counted
    from reporting.document import shown
    from reporting.svg_charts import Bar

    if table is None or table.withheld or not table.rows:
        return Counted((), SECONDARY, True)
    body = table.rows[:-1] if table.total_row else table.rows
    bars = tuple(
        Bar(str(row[0]), _number(row[column]), shown(row[column]))
        for row in body
        if not (drop_zero and row[column] == 0)
    )
    total = shown(table.rows[-1][column]) if table.total_row else ""
    return Counted(bars, total)


def _rate(services: Table | None) -> Rate | None:
    """The response rate as the public table prints it: only when every service's
    applications are entered and no count it would give back is hidden (else ``–``)."""
    from reporting.document import Percent, shown

    if services is None or services.withheld or not services.rows:
        return None
    total = services.rows[-1]
    if not isinstance(total[3], Percent):
        return None
    return Rate(round(total[3] * 100), shown(total[1]), complete=True)


def _shares(
    question: Question, quarters: Sequence[Period], made: list[PublicOutput]
) -> list[Share]:
    """Per quarter, the two best answers' share from the shares its public table prints;
    none when either is hidden."""
    from reporting.dashboard import Share
    from reporting.document import NONE, Percent, shown

    best = [question.options.index(c) for c in sorted(question.options, key=int)[-2:]]
    found = []
    for quarter, output in zip(quarters, made, strict=True):
        table = output.tables.get(question.id)
        if table is None or table.withheld or len(table.rows) <= max(best):
            found.append(Share(quarter.label, NONE, None))
            continue
        parts = [table.rows[i][2] for i in best]
        whole = all(isinstance(p, Percent) for p in parts)
        percent = round(100 * sum(float(p) for p in parts)) if whole else None
        found.append(Share(quarter.label, shown(table.rows[-1][1]), percent))
    return found


def _number(cell: Cell) -> int | None:
    return cell if isinstance(cell, int) and not isinstance(cell, bool) else None
