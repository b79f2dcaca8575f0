"""``feedback-bot digest``: the weekly digest for any week, printed or sent to the staff chats."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.channels.port import Delivery, StaffOutbox
from bot.questionnaire.content import Content
from bot.settings import Settings
from reporting.periods import Period
from storage import Database

log = logging.getLogger(__name__)


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    digest = commands.add_parser("digest", help="the weekly digest for staff")
    digest.add_argument("--week", help="ISO week, e.g. 2025-W36 (default: last week)")
    how = digest.add_mutually_exclusive_group(required=True)
    how.add_argument("--print", action="store_true", help="print it, send nothing")
    how.add_argument("--send", action="store_true", help="send it to STAFF_CHAT_IDS now")
    digest.add_argument(
        "--include-test-channels", action="store_true", help="count console answers too"
    )


async def digest_messages(
    settings: Settings,
    content: Content,
    database: Database,
    week_text: str | None,
    include_test_channels: bool = False,
) -> list[str]:
    from datetime import datetime

    from bot.cli_input import week as parse_cli_week
    from reporting.digest import last_week

    today = datetime.now(settings.zone).date()
    week = parse_cli_week(week_text) if week_text else last_week(today)
    return await digest_for(content, database, week, include_test_channels)


async def digest_for(
    content: Content, database: Database, week: Period, include_test_channels: bool = False
) -> list[str]:
    from reporting.build import gather, report_texts
    from reporting.categories import load_categoriser
    from reporting.digest import DigestWriter

    categoriser = load_categoriser()
    await database.empty_box()  # the digest counts only mixed forms: mix all that wait
    inputs = await gather(database, content.questionnaire, categoriser, week, include_test_channels)
    writer = DigestWriter(content.questionnaire, content.locale, report_texts(), categoriser)
    return writer.messages(week, inputs.frame, inputs.previous)


async def send_to_staff(settings: Settings, messages: list[str]) -> int:
    if settings.telegram_bot_token is None:
        from bot.questionnaire.content import bundled_locale, load_locale

        raise SystemExit(load_locale(bundled_locale(settings.language)).t("cli.missing_token"))
    from telegram.ext import AIORateLimiter, ExtBot

    from bot.channels.telegram_outbox import TelegramOutbox

    bot = ExtBot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_base_url,
        rate_limiter=AIORateLimiter(max_retries=5),
    )
    async with bot:
        return await post_to_each(TelegramOutbox(bot), settings.staff_chat_ids, messages, html=True)


async def post_to_each(
    outbox: StaffOutbox,
    chats: Iterable[int | str],
    texts: Sequence[str] = (),
    files: Sequence[Path] = (),
    html: bool = False,
) -> int:
    """The same texts and files to every chat; how many chats got them all."""
    delivered = 0
    for chat in chats:
        delivered += await outbox.post(str(chat), texts, files, html) is Delivery.SENT
    return delivered
