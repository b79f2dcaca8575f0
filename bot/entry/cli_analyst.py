"""What each analyst's command does: the report, applications, notes and the comment
register, one handler each (``cli_analysis`` parses the line and opens the database)."""

from __future__ import annotations

import argparse

from bot.application.analyst import Analyst
from bot.config.settings import Settings
from bot.entry.cli_input import period_between, report_formats
from bot.questionnaire.content import Content
from bot.questionnaire.periods import Period


def report_period(arguments: argparse.Namespace, analyst: Analyst) -> Period:
    if arguments.quarter:
        return analyst.period(arguments.quarter)
    return period_between(arguments.start, arguments.end)


async def dispatch(
    arguments: argparse.Namespace, settings: Settings, analyst: Analyst, content: Content
) -> list[str]:
    run = _HANDLERS[arguments.command, getattr(arguments, "action", None)]
    return await run(arguments, settings, analyst, content)


async def _report(
    arguments: argparse.Namespace, settings: Settings, analyst: Analyst, content: Content
) -> list[str]:
    from datetime import datetime

    from bot.application.reports import ReportOrder, Reports

    order = ReportOrder(
        report_period(arguments, analyst),
        arguments.public,
        report_formats(arguments.format),
        form_id=arguments.form,
        include_test_channels=arguments.include_test_channels,
    )
    reports = Reports(
        analyst.database,
        content,
        settings,
        analyst.municipality,
        today=lambda: datetime.now(settings.zone).date(),
    )
    return [str(path) for path in await reports.write(order, arguments.out)]


async def _set_applications(
    arguments: argparse.Namespace, settings: Settings, analyst: Analyst, content: Content
) -> list[str]:
    period = analyst.period(arguments.period)
    count = await analyst.set_applications(period, arguments.service, arguments.count)
    saved = "analyst.applications_saved"
    return [content.locale.t(saved, period=period.label, service=arguments.service, count=count)]


async def _import_applications(
    arguments: argparse.Namespace, settings: Settings, analyst: Analyst, content: Content
) -> list[str]:
    count = await analyst.import_applications(arguments.file, content.locale)
    return [content.locale.t("analyst.applications_imported", count=count)]


async def _note(
    arguments: argparse.Namespace, settings: Settings, analyst: Analyst, content: Content
) -> list[str]:
    period = analyst.period(arguments.period)
    await analyst.set_note(period, arguments.kind, arguments.text)
    return [content.locale.t("analyst.note_saved", period=period.label)]


async def _list_comments(
    arguments: argparse.Namespace, settings: Settings, analyst: Analyst, content: Content
) -> list[str]:
    """Those that need a look first; category names, or their codes with ``--codes``."""
    comments = await analyst.comments(analyst.period(arguments.period))
    look = content.locale.t("analyst.needs_look_column")

    def named(field: str, codes: tuple[str, ...]) -> str:
        labels = analyst.labels_of(field)  # a need has categories of its own
        return ",".join(codes) if arguments.codes else "; ".join(labels[c] for c in codes)

    return [
        f"#{c.id}\t{c.submitted_on:%d.%m.%Y}\t{named(c.field, c.categories)}"
        f"\t{look if c.needs_look else ''}\t{c.text}"
        for c in sorted(comments, key=lambda c: not c.needs_look)
    ]


async def _correct_categories(
    arguments: argparse.Namespace, settings: Settings, analyst: Analyst, content: Content
) -> list[str]:
    categories = await analyst.correct(arguments.id, arguments.codes)
    return [
        content.locale.t(
            "analyst.category_saved",
            id=arguments.id.lstrip("#"),
            categories=", ".join(categories),
        )
    ]


async def _publish_comment(
    arguments: argparse.Namespace, settings: Settings, analyst: Analyst, content: Content
) -> list[str]:
    await analyst.publish(arguments.id, not arguments.no)
    key = "analyst.unpublished" if arguments.no else "analyst.published"
    return [content.locale.t(key, id=arguments.id.lstrip("#"))]


_HANDLERS = {
    ("report", None): _report,
    ("applications", "set"): _set_applications,
    ("applications", "import"): _import_applications,
    ("notes", None): _note,
    ("comments", "list"): _list_comments,
    ("comments", "category"): _correct_categories,
    ("comments", "publish"): _publish_comment,
}
"""What each analyst's command (and its action) runs."""
