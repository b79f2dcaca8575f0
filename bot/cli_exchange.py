"""``feedback-bot import | export``: data in and out of the anonymous dataset."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from bot.municipalities import Municipality
from bot.questionnaire.content import Content
from bot.settings import Settings
from storage import Database

EXCHANGE_COMMANDS = {"import", "export", "qr"}


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imported = commands.add_parser("import", help="import a .csv or .xlsx (ours or Google Forms)")
    imported.add_argument("file", type=Path)
    imported.add_argument("--channel", help="channel of the rows (default: google_forms)")
    imported.add_argument("--dry-run", action="store_true", help="validate only")
    exported = commands.add_parser("export", help="write all (or a period's) responses")
    exported.add_argument("--from", dest="start", type=date.fromisoformat, default=date.min)
    exported.add_argument("--to", dest="end", type=date.fromisoformat, default=date.max)
    exported.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    exported.add_argument("--out", type=Path, required=True)
    exported.add_argument(
        "--include-test-channels", action="store_true", help="export console answers too"
    )
    qr = commands.add_parser("qr", help="QR codes, printable A4 sheets and links for each service")
    qr.add_argument("--out", type=Path, required=True)


async def run_exchange(
    arguments: argparse.Namespace,
    settings: Settings,
    content: Content,
    database: Database,
    municipality: Municipality,
) -> list[str]:
    """One municipality's data in or out (``settings`` are that municipality's)."""
    # pandas, openpyxl, matplotlib and segno: loaded for these commands only, never by `run`.
    from tqdm import tqdm

    from bot.exchange.export import export
    from bot.exchange.files import read_table
    from bot.exchange.imports import Importer
    from bot.offer import Bases, entries, write_all

    t = content.locale.t
    if arguments.command == "qr":
        bases = Bases(
            telegram=await _bot_username(settings),
            messenger=settings.messenger_page_name,
            web=web_address(settings.web_base_url, municipality.scope),
        )
        if not bases.links(None):
            raise SystemExit(t("qr.no_username"))
        found = entries(content.questionnaire, content.locale, bases)
        paths = write_all(found, content.locale, settings.municipality_name, arguments.out)
        return [t("qr.written", count=len(paths), path=arguments.out)]
    if arguments.command == "export":
        path = arguments.out.with_suffix(f".{arguments.format}")
        count = await export(
            database,
            content.questionnaire,
            content.locale,
            path,
            arguments.start,
            arguments.end,
            arguments.include_test_channels,
            municipality.code,
        )
        return [t("exchange.exported", count=count, path=path)]
    table = read_table(arguments.file)
    importer = Importer(content.questionnaire, content.locale)
    rows, problems = importer.parse(table, arguments.channel)
    if problems:
        lines = [t("exchange.row_problem", row=p.number, reason=p.reason) for p in problems]
        raise SystemExit("\n".join([*lines, t("exchange.nothing_stored", count=len(problems))]))
    if arguments.dry_run:
        return [t("exchange.valid", count=len(rows))]
    async with database.analysis(municipality.code) as analysis:
        seen = await analysis.imported(row.row_hash for row in rows)
        fresh = [row for row in rows if row.row_hash not in seen]
        for row in tqdm(fresh, unit="row", disable=None, leave=False):
            await analysis.add_imported(
                row.row_hash, row.version, row.channel, row.answers, row.day
            )
        await analysis.commit()
    return [t("exchange.stored", stored=len(fresh), skipped=len(rows) - len(fresh))]


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
