"""``feedback-bot kiosk add | list | remove``: the municipality's own front-desk tablets.

A kiosk is exempt from the web questionnaire's per-address form limit (every citizen at the
front desk sends from the town hall's one address) and has its own (20 forms an hour).
``add`` prints a one-use link to open on the tablet; only keyed hashes are stored
(``storage.kiosks``, ``bot.channels.web.kiosk``); ``list`` shows each one's forms this week.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta

from bot.application.municipalities import Municipality
from bot.channels.web.kiosk import kiosk_path, new_link
from bot.config.settings import Settings
from bot.entry.cli_input import CliError
from bot.questionnaire.content import Content
from bot.questionnaire.identity import Keyer
from storage import Database

KIOSK_COMMANDS = {"kiosk"}


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    kiosk = commands.add_parser("kiosk")
    what = kiosk.add_subparsers(dest="action", required=True)
    add = what.add_parser("add")
    add.add_argument("--label", default="")
    what.add_parser("list")
    remove = what.add_parser("remove")
    remove.add_argument("id")


async def run_kiosk(
    arguments: argparse.Namespace,
    settings: Settings,
    content: Content,
    database: Database,
    municipality: Municipality,
) -> list[str]:
    t = content.locale.t
    code, scope = municipality.code, municipality.scope
    async with database.transaction(code) as uow:
        if arguments.action == "add":
            keyer = Keyer(_secret(settings, content))
            link, hashed = new_link(keyer, scope)
            today = datetime.now(settings.zone).date()
            kiosk = await uow.kiosks.add(arguments.label or t("kiosk.no_label"), hashed, today)
            await uow.commit()
            return [t("kiosk.added", id=kiosk), _address(settings) + kiosk_path(scope, link)]
        if arguments.action == "list":
            today = datetime.now(settings.zone).date()
            found = await uow.kiosks.all(today - timedelta(days=today.weekday()))
            if not found:
                return [t("kiosk.none")]
            state = {True: t("kiosk.enrolled"), False: t("kiosk.waiting")}
            return [
                f"{k.id}\t{k.added_on:%d.%m.%Y}\t{k.label}\t{state[k.enrolled]}\t"
                + t("kiosk.sent_this_week", count=k.sent_this_week)
                for k in found
            ]
        if not await uow.kiosks.remove(arguments.id):
            raise CliError("kiosk_unknown", id=arguments.id)
        await uow.commit()
        return [t("kiosk.removed", id=arguments.id)]


def _secret(settings: Settings, content: Content) -> bytes:
    from bot.wiring.bootstrap import resolve_secret

    return resolve_secret(settings, content)


def _address(settings: Settings) -> str:
    """The web questionnaire's public address, as the web channel gives it."""
    if settings.web_base_url:
        return settings.web_base_url.rstrip("/")
    return f"http://{settings.webhook_host}:{settings.webhook_port}"
