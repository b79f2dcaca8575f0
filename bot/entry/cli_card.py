"""``feedback-bot publish-card --quarter 2026Q3 [--out DIR]``: the quarter's post for the
municipality's Facebook page (``bot.application.card``), a picture and its text."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from bot.application.card import Cards
from bot.application.municipalities import Municipality
from bot.application.reports import Reports
from bot.application.results import address
from bot.config.settings import Settings
from bot.entry.cli_input import CliError, output_folder
from bot.questionnaire.content import Content
from bot.questionnaire.periods import PeriodError
from storage import Database

CARD_COMMANDS = {"publish-card"}


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    card = commands.add_parser("publish-card")
    card.add_argument("--quarter", required=True)
    card.add_argument("--out", type=Path, default=Path("."))


def check_card(arguments: argparse.Namespace) -> None:
    output_folder(arguments.out)


async def run_card(
    arguments: argparse.Namespace,
    settings: Settings,
    content: Content,
    database: Database,
    municipality: Municipality,
) -> list[str]:
    """Prints the picture's and the text's paths."""
    today = datetime.now(settings.zone).date
    reports = Reports(database, content, settings, municipality.code, today=today)
    cards = Cards(reports, address(settings, municipality.scope))
    try:
        period = settings.quarters.parse(arguments.quarter)
    except PeriodError:
        raise CliError(
            "card_quarter_only", value=arguments.quarter, example=cards.example()
        ) from None
    return [str(path) for path in await cards.write(period, arguments.out)]
