"""``feedback-bot codes print | list``: slips with one-use codes for the desk.

``print`` draws new random codes, keeps only their keyed hashes (``storage.codes``) and
writes the slips as an A4 PDF (``bot.application.slips``); the file appears under its name only once
the codes are stored, so a slip is never printed whose code the bot would not know.
``list`` says per service how many were printed and how many used: never which.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.application.municipalities import Municipality
from bot.config.settings import Settings
from bot.entry.cli_input import CliError, output_file
from bot.questionnaire.content import Content
from storage import Database

CODES_COMMANDS = {"codes"}


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    codes = commands.add_parser("codes")
    what = codes.add_subparsers(dest="action", required=True)
    printed = what.add_parser("print")
    printed.add_argument("--service", required=True)
    printed.add_argument("--count", default="200")
    printed.add_argument("--out", type=Path, default=Path("slips.pdf"))
    what.add_parser("list")


def check_codes(arguments: argparse.Namespace) -> None:
    """Mistakes found before the database is opened."""
    if arguments.action == "print":
        _count(arguments.count)
        output_file(arguments.out)


def _count(text: str) -> int:
    from bot.application.slips import MAX_COUNT

    try:
        count = int(text)
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_COUNT:
        raise CliError("slips.bad_count", limit=MAX_COUNT)
    return count


async def run_codes(
    arguments: argparse.Namespace,
    settings: Settings,
    content: Content,
    database: Database,
    municipality: Municipality,
) -> list[str]:
    t = content.locale.t
    if arguments.action == "list":
        async with database.transaction(municipality.code) as tx:
            tally = await tx.codes.tally()
        if not tally:
            return [t("slips.none")]
        return [
            t("slips.tally_line", service=service, issued=issued, used=used)
            for service, (issued, used) in sorted(tally.items())
        ]
    return await print_slips(arguments, settings, content, database, municipality)


async def print_slips(
    arguments: argparse.Namespace,
    settings: Settings,
    content: Content,
    database: Database,
    municipality: Municipality,
) -> list[str]:
    import asyncio

    from bot.application.slips import Slip, SlipText, slip_link, write_pdf
    from bot.common import atomic
    from bot.entry.cli_exchange import link_bases
    from bot.questionnaire import slip_codes
    from bot.questionnaire.identity import Keyer
    from bot.questionnaire.model import SERVICE
    from bot.wiring.bootstrap import resolve_secret

    t = content.locale.t
    question = content.questionnaire.with_role(SERVICE)
    services = question.options if question else ()
    if arguments.service not in services:
        raise CliError(
            "slips.unknown_service", service=arguments.service, services=", ".join(services)
        )
    bases = await link_bases(settings, municipality.scope)
    if not bases.links(None):
        raise CliError("qr.no_username")
    count = _count(arguments.count)
    codes = slip_codes.new_codes(count)
    slips = [Slip(code, slip_link(bases, arguments.service, code)) for code in codes]
    name = t(f"options.{question.id}.{arguments.service}")  # type: ignore[union-attr]
    text = SlipText.of(content.locale, settings.municipality_name, name)
    keyer = Keyer(resolve_secret(settings, content))
    keys = [keyer.code_key(municipality.scope, code) for code in codes]
    with atomic.written(arguments.out) as temporary:
        await asyncio.to_thread(write_pdf, temporary, slips, text)
        async with database.transaction(municipality.code) as tx:
            await tx.codes.issue(keys, arguments.service)
            await tx.commit()
    return [t("slips.written", count=count, service=name, path=arguments.out)]
