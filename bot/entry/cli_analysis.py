"""``feedback-bot report | applications | notes | comments``: analysts' work from a terminal."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.application.analyst import Analyst, AnalystError
from bot.application.municipalities import Municipality, load_municipalities, pick
from bot.config.settings import Settings
from bot.entry.cli_analyst import dispatch, report_period
from bot.entry.cli_card import CARD_COMMANDS, check_card, run_card
from bot.entry.cli_card import add_commands as add_card_commands
from bot.entry.cli_changes import CHANGES_COMMANDS, run_changes
from bot.entry.cli_changes import add_commands as add_changes_commands
from bot.entry.cli_codes import CODES_COMMANDS, check_codes, run_codes
from bot.entry.cli_codes import add_commands as add_codes_commands
from bot.entry.cli_digest import add_commands as add_digest_commands
from bot.entry.cli_digest import digest_messages, plain_text, send_to_staff
from bot.entry.cli_exchange import EXCHANGE_COMMANDS, check_exchange, run_exchange
from bot.entry.cli_exchange import add_commands as add_exchange_commands
from bot.entry.cli_forms import FORM_COMMANDS, check_form, run_form
from bot.entry.cli_forms import add_commands as add_form_commands
from bot.entry.cli_input import (
    REPORT_FORMATS,
    CliError,
    existing_file,
    output_folder,
    period_between,
    report_formats,
    week,
)
from bot.entry.cli_kiosk import KIOSK_COMMANDS, run_kiosk
from bot.entry.cli_kiosk import add_commands as add_kiosk_commands
from bot.questionnaire.content import Content, load_content
from storage import open_database


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    add_exchange_commands(commands)
    add_digest_commands(commands)
    add_form_commands(commands)
    add_kiosk_commands(commands)
    add_changes_commands(commands)
    add_card_commands(commands)
    add_codes_commands(commands)
    report = commands.add_parser("report")
    report.add_argument(
        "--all-municipalities",
        action="store_true",
    )
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--quarter")
    which.add_argument("--from", dest="start")
    report.add_argument("--to", dest="end")
    report.add_argument("--public", action="store_true")
    report.add_argument("--format", default=",".join(REPORT_FORMATS))
    report.add_argument("--out", type=Path, required=True)
    report.add_argument("--form")
    report.add_argument(
        "--include-test-channels",
        action="store_true",
    )

    applications = commands.add_parser("applications")
    what = applications.add_subparsers(dest="action", required=True)
    set_one = what.add_parser("set")
    set_one.add_argument("period")
    set_one.add_argument("service")
    set_one.add_argument("count")
    imported = what.add_parser("import")
    imported.add_argument("file", type=Path)

    notes = commands.add_parser("notes")
    notes.add_argument("period")
    notes.add_argument("kind", choices=["summary", "changes"])
    notes.add_argument("text")

    comments = commands.add_parser("comments")
    how = comments.add_subparsers(dest="action", required=True)
    listed = how.add_parser("list")
    listed.add_argument("period")
    listed.add_argument("--codes", action="store_true")
    category = how.add_parser("category")
    category.add_argument("id")
    category.add_argument("codes")
    publish = how.add_parser("publish")
    publish.add_argument("id")
    publish.add_argument("--no", action="store_true")

    for parser in (set_one, imported, listed, category, publish):
        parser.add_argument("--form")
    for name, parser in commands.choices.items():
        if name in ANALYSIS_COMMANDS:
            _municipality_option(parser)


def _municipality_option(parser: argparse.ArgumentParser) -> None:
    """On every leaf command (``comments list --municipality X`` as well)."""
    nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if nested:
        for child in nested[0].choices.values():
            _municipality_option(child)
        return
    parser.add_argument(
        "--municipality",
        metavar="CODE",
    )


ANALYSIS_COMMANDS = {
    "report",
    "applications",
    "notes",
    "comments",
    "digest",
    *KIOSK_COMMANDS,
    *CHANGES_COMMANDS,
    *CARD_COMMANDS,
    *EXCHANGE_COMMANDS,
    *FORM_COMMANDS,
    *CODES_COMMANDS,
}


def check_arguments(arguments: argparse.Namespace) -> None:
    """Mistakes in what was typed, found before the database is opened."""
    if arguments.command in EXCHANGE_COMMANDS:
        check_exchange(arguments)
    elif arguments.command in FORM_COMMANDS:
        check_form(arguments)
    elif arguments.command in CODES_COMMANDS:
        check_codes(arguments)
    elif arguments.command in CARD_COMMANDS:
        check_card(arguments)
    elif arguments.command == "digest" and arguments.week:
        week(arguments.week)
    elif arguments.command == "report":
        if arguments.start is not None:
            if not arguments.end:
                raise CliError("bad_quarter", value=f"--from {arguments.start}")
            period_between(arguments.start, arguments.end)
        report_formats(arguments.format)
        output_folder(arguments.out)
    elif arguments.command == "applications" and arguments.action == "import":
        existing_file(arguments.file)


async def run_analysis(arguments: argparse.Namespace, settings: Settings) -> list[str]:
    """Runs one command on one municipality's data and returns the lines to print; with
    several municipalities, ``--municipality`` must name it (never a guess)."""
    everywhere = load_municipalities(settings)
    if getattr(arguments, "all_municipalities", False):
        return await _national(arguments, settings, everywhere)
    municipality = pick(everywhere, arguments.municipality)
    home, settings = settings.municipality_code, municipality.settings
    content = municipality.own_content(load_content(settings.language))
    if arguments.command in CODES_COMMANDS | KIOSK_COMMANDS:
        from bot.wiring.bootstrap import resolve_secret

        # Slips and kiosks are keyed with the secret, and may be a new installation's first
        # command: the secret is made before the database file, as `run` would.
        resolve_secret(settings, content)
    database = await open_database(settings.database_url, home=home)
    analyst = Analyst(database, content.questionnaire, settings.quarters, municipality.code)
    try:
        if arguments.command in ("applications", "comments") and arguments.form:
            analyst, content = await _on_form(arguments.form, analyst, content, settings)
        if arguments.command == "digest":
            messages = await digest_messages(
                settings,
                content,
                database,
                arguments.week,
                arguments.include_test_channels,
                municipality.code,
                arguments.form,
            )
            if arguments.print:
                return [plain_text(message) for message in messages]
            return [str(await send_to_staff(settings, messages))]
        if arguments.command in EXCHANGE_COMMANDS:
            return await run_exchange(arguments, settings, content, database, municipality)
        if arguments.command in KIOSK_COMMANDS:
            return await run_kiosk(arguments, settings, content, database, municipality)
        if arguments.command in CARD_COMMANDS:
            return await run_card(arguments, settings, content, database, municipality)
        if arguments.command in CHANGES_COMMANDS:
            return await run_changes(arguments, settings, content, database, municipality)
        if arguments.command in CODES_COMMANDS:
            return await run_codes(arguments, settings, content, database, municipality)
        if arguments.command in FORM_COMMANDS:
            return await run_form(arguments, content, database, municipality.code)
        return await dispatch(arguments, settings, analyst, content)
    except AnalystError as error:
        if error.key == "bad_period":
            if arguments.command == "report":
                raise CliError("bad_quarter", value=arguments.quarter or "") from None
            raise CliError("bad_period", value=getattr(arguments, "period", "")) from None
        raise
    finally:
        await database.close()


async def _on_form(
    form_id: str, analyst: Analyst, content: Content, settings: Settings
) -> tuple[Analyst, Content]:
    """The analyst of one loaded form: its services, its free texts, its labels."""
    from dataclasses import replace

    from bot.application.chosen_form import chosen_form

    form = await chosen_form(
        form_id, content, analyst.database, settings.language, analyst.municipality
    )
    on_form = Analyst(
        analyst.database,
        form.questionnaire,
        analyst.quarters,
        analyst.municipality,
        form=form.scope.form,
        scope=form.scope,
    )
    return on_form, replace(content, locale=form.locale)


async def _national(
    arguments: argparse.Namespace, settings: Settings, everywhere: list[Municipality]
) -> list[str]:
    """``report --all-municipalities``: the association's comparison (``reporting.national``)."""
    from datetime import datetime

    from bot.application.reports import Reports

    if arguments.municipality:
        raise CliError("national_one_municipality")
    content = load_content("ka")
    database = await open_database(settings.database_url, home=settings.municipality_code)
    try:
        period = report_period(
            arguments, Analyst(database, content.questionnaire, settings.quarters)
        )
        reports = Reports(
            database, content, settings, None, today=lambda: datetime.now(settings.zone).date()
        )
        formats = report_formats(arguments.format)
        paths = await reports.national(everywhere, period, arguments.out, formats)
    except AnalystError as error:
        if error.key == "bad_period":
            raise CliError("bad_quarter", value=arguments.quarter or "") from None
        raise
    finally:
        await database.close()
    return [str(path) for path in paths]
