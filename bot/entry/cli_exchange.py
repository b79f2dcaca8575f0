"""``feedback-bot import | export | qr``: data in and out of the anonymous dataset."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.application.municipalities import Municipality
from bot.config.settings import Settings
from bot.entry.cli_input import CliError, between, existing_file, output_file, output_folder
from bot.questionnaire.content import Content
from storage import Database

if TYPE_CHECKING:
    from bot.application.offer import Bases  # segno: loaded only by the commands that draw codes

EXCHANGE_COMMANDS = {"import", "export", "qr"}
FORM_CHANNELS = ("paper", "google_forms")
CHUNK = 5000
"""Rows inserted per statement: one transaction for the file, memory for a chunk only."""
PROBLEMS_SHOWN = 50


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imported = commands.add_parser("import")
    imported.add_argument("file", type=Path)
    imported.add_argument(
        "--channel",
        choices=FORM_CHANNELS,
    )
    imported.add_argument("--dry-run", action="store_true")
    imported.add_argument("--form")
    exported = commands.add_parser("export")
    exported.add_argument("--from", dest="start")
    exported.add_argument("--to", dest="end")
    exported.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    exported.add_argument("--out", type=Path, required=True)
    exported.add_argument("--include-test-channels", action="store_true")
    exported.add_argument("--form")
    qr = commands.add_parser("qr")
    qr.add_argument("--out", type=Path, required=True)
    qr.add_argument("--form")


def check_exchange(arguments: argparse.Namespace) -> None:
    """Mistakes found before the database is opened."""
    if arguments.command == "import":
        existing_file(arguments.file)
    elif arguments.command == "export":
        between(arguments.start, arguments.end)
        output_file(arguments.out)
    elif arguments.command == "qr":
        output_folder(arguments.out)


async def run_exchange(
    arguments: argparse.Namespace,
    settings: Settings,
    content: Content,
    database: Database,
    municipality: Municipality,
) -> list[str]:
    """One municipality's data in or out (``settings`` are that municipality's)."""
    # pandas, openpyxl, matplotlib and segno: loaded for these commands only, never by `run`.
    from bot.application.offer import entries, write_all
    from bot.application.results import address
    from bot.exchange.export import export
    from bot.questionnaire.numbering import numbered_count

    t = content.locale.t
    if arguments.command == "qr":
        bases = await link_bases(settings, municipality.scope)
        if not bases.links(None):
            raise SystemExit(t("qr.no_username"))
        from bot.application.chosen_form import chosen_form

        form = await chosen_form(
            arguments.form, content, database, settings.language, municipality.code
        )
        loaded = form.title is not None  # a loaded form: its links name it
        found = entries(
            form.questionnaire,
            form.locale,
            bases,
            form.questionnaire.form_id if loaded else None,
            form.title,
        )
        count = numbered_count(form.questionnaire)
        results = address(settings, municipality.scope)  # where the sheet says results go up
        paths = write_all(
            found, form.locale, settings.municipality_name, arguments.out, count, results
        )
        return [t("qr.written", count=len(paths), path=arguments.out)]
    if arguments.command == "export":
        start, end = between(arguments.start, arguments.end)
        path = arguments.out.with_suffix(f".{arguments.format}")
        from bot.application.chosen_form import chosen_form

        form = await chosen_form(
            arguments.form, content, database, settings.language, municipality.code
        )
        await database.empty_box()  # as a report does: the forms still waiting are counted too
        count = await export(
            database,
            form.questionnaire,
            form.locale,
            path,
            start,
            end,
            arguments.include_test_channels,
            municipality.code,
            scope=form.scope,
        )
        lines = [t("exchange.exported", count=count, path=path)]
        if form.differences:
            lines.append(t("forms.versions_differ", details="; ".join(form.differences)))
        return lines
    return await import_file(arguments, settings, content, database, municipality)


async def import_file(
    arguments: argparse.Namespace,
    settings: Settings,
    content: Content,
    database: Database,
    municipality: Municipality,
) -> list[str]:
    """Streams the file into one transaction, a chunk at a time; any bad row rolls it all
    back, and every bad row (up to 50) is named."""
    from datetime import datetime

    from bot.exchange.headers import CHANNEL, HeaderProblem, find_columns
    from bot.exchange.imports import Importer, ImportRow
    from bot.exchange.sources import open_table

    t = content.locale.t
    table = open_table(arguments.file)
    header = next(table.rows(), None)
    if header is None:
        raise SystemExit(t("exchange.empty_file"))
    from bot.application.chosen_form import chosen_form

    form = await chosen_form(
        arguments.form, content, database, settings.language, municipality.code
    )
    try:
        columns = find_columns(header, form.questionnaire, form.locale)
    except HeaderProblem as problem:
        raise SystemExit(problem.text) from None
    channel = arguments.channel
    if channel is None and not columns.own and CHANNEL not in columns.index:
        channel = _ask_channel(t)
    importer = Importer(form.questionnaire, form.locale, frozenset(form.versions))
    today = datetime.now(settings.zone).date()
    problems: list[str] = []
    fresh = valid = masked = 0
    async with database.analysis(municipality.code) as analysis:
        batch: list[ImportRow] = []
        for item in importer.rows(table, columns, channel, settings.zone, today):
            if not isinstance(item, ImportRow):
                problems.append(t("exchange.row_problem", row=item.number, reason=item.reason))
                continue
            valid += 1
            if problems or arguments.dry_run:
                continue
            batch.append(item)
            if len(batch) >= CHUNK:
                stored = await _store(analysis, batch)
                fresh, masked = fresh + len(stored), masked + sum(r.masked for r in stored)
                batch = []
        if problems:
            shown = problems[:PROBLEMS_SHOWN] + (["…"] if len(problems) > PROBLEMS_SHOWN else [])
            raise SystemExit("\n".join([*shown, t("exchange.nothing_stored", count=len(problems))]))
        if arguments.dry_run:
            return [t("exchange.valid", count=valid)]
        stored = await _store(analysis, batch)
        fresh, masked = fresh + len(stored), masked + sum(r.masked for r in stored)
        await analysis.commit()
    lines = [t("exchange.stored", stored=fresh, skipped=valid - fresh)]
    if masked:
        lines.append(t("exchange.masked", count=masked))
    return lines


async def _store(analysis, batch):  # type: ignore[no-untyped-def]
    """Stores the rows of ``batch`` not imported before, and returns them."""
    seen = await analysis.imported(row.row_hash for row in batch)
    fresh = [row for row in batch if row.row_hash not in seen]
    await analysis.add_imported_many(
        [(r.row_hash, r.version, r.channel, r.answers, r.day) for r in fresh]
    )
    return fresh


def _ask_channel(t) -> str:  # type: ignore[no-untyped-def]
    """In a terminal, the clerk is asked; in a script, told which option to add."""
    if not sys.stdin.isatty():
        raise CliError("exchange.channel_needed")
    print(t("exchange.ask_channel"), end=" ", file=sys.stderr, flush=True)
    answer = sys.stdin.readline().strip()
    if answer not in {"1", "2"}:
        raise CliError("exchange.channel_needed")
    return FORM_CHANNELS[int(answer) - 1]


async def link_bases(settings: Settings, scope: str | None) -> Bases:
    """Where a municipality's links (QR sheets, desk slips) open its questionnaire."""
    from bot.application.offer import Bases

    return Bases(
        telegram=await _bot_username(settings),
        messenger=settings.messenger_page_name,
        web=web_address(settings.web_base_url, scope),
    )


def web_address(base: str | None, scope: str | None) -> str | None:
    """The municipality's web questionnaire: ``WEB_BASE_URL`` for the home one, its
    ``m/<code>/`` below it for the others (its QR codes point there)."""
    if base is None or scope is None:
        return base
    return f"{base.rstrip('/')}/m/{scope}/"


async def _bot_username(settings: Settings) -> str | None:
    """From the settings, or asked from the Bot API when a token is configured."""
    if settings.bot_username:
        return settings.bot_username
    if settings.telegram_bot_token is None:
        return None
    from telegram import Bot

    async with Bot(
        settings.telegram_bot_token.get_secret_value(), base_url=settings.telegram_base_url
    ) as bot:
        return bot.username
