"""``feedback-bot changes add | list | status``: the municipality's "what we changed"
entries, written by analysts (``bot.application.changes``; the staff console will call the
same service). The results page, its feed and the subscribers' news print them."""

from __future__ import annotations

import argparse
from datetime import datetime
from functools import partial

from bot.application.changes import Changes, category_labels
from bot.application.municipalities import Municipality
from bot.config.settings import Settings
from bot.questionnaire.changes import ChangeEntry
from bot.questionnaire.content import Content
from storage import Database

CHANGES_COMMANDS = {"changes"}


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    changes = commands.add_parser("changes")
    what = changes.add_subparsers(dest="action", required=True)
    add = what.add_parser("add")
    add.add_argument("--asked", required=True)
    add.add_argument("--decided", required=True)
    add.add_argument("--status", default="planned")
    add.add_argument("--categories", action="append", default=[])
    what.add_parser("list")
    status = what.add_parser("status")
    status.add_argument("id")
    status.add_argument("status")


async def run_changes(
    arguments: argparse.Namespace,
    settings: Settings,
    content: Content,
    database: Database,
    municipality: Municipality,
) -> list[str]:
    t = content.locale.t
    changes = Changes(
        partial(database.transaction, municipality.code),
        lambda: datetime.now(settings.zone).date(),
    )
    if arguments.action == "add":
        entry = await changes.add(
            arguments.asked, arguments.decided, arguments.status, arguments.categories
        )
        return [t("changes.added", id=entry)]
    if arguments.action == "status":
        await changes.set_status(arguments.id, arguments.status)
        return [t("changes.moved", id=arguments.id.strip(), status=_status(content, arguments))]
    found = await changes.all()
    return [_line(content, entry) for entry in found] or [t("changes.none")]


def _status(content: Content, arguments: argparse.Namespace) -> str:
    from bot.questionnaire.changes import Status

    found = Status.typed(arguments.status)
    return content.locale.t(f"changes.status.{found.value}") if found else arguments.status


def _line(content: Content, entry: ChangeEntry) -> str:
    t, labels = content.locale.t, category_labels()
    categories = ", ".join(labels.get(code, code) for code in entry.categories) or "—"
    status = t(f"changes.status.{entry.status.value}")
    return (
        f"{entry.id}\t{entry.on:%d.%m.%Y}\t{status}\t{entry.asked}\t{entry.decided}\t{categories}"
    )
