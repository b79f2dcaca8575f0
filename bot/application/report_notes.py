"""The note a report carries about its own figures: which form versions they combine, and
that retention deleted the texts of the period (``bot.application.retention``). Internal
and public reports (``reports``, ``public_figures``) print the same note."""

from __future__ import annotations

from bot.questionnaire.periods import Period
from storage import Database


async def period_notes(
    database: Database, code: str | None, kept_months: int, versions: str | None, period: Period
) -> str | None:
    """The versions' note, and the retention rule's when it deleted texts of ``period``."""
    from reporting.build import report_texts
    from storage.retention import Retention

    run = await Retention(database, code or database.home).latest()
    if run is None or period.start >= run.before:
        return versions
    said = report_texts().t(
        "retention_note",
        before=run.before.strftime("%d.%m.%Y"),  # as the report writes its dates
        on=run.on.strftime("%d.%m.%Y"),
        months=kept_months,
    )
    return f"{versions} {said}" if versions else said
