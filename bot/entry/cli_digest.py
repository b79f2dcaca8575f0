"""``feedback-bot digest``: the weekly digest for any week, printed or sent to the staff chats."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.application.digests import digest_for
from bot.application.digests import plain_text as plain_text  # the command line's, too
from bot.channels.port import Delivery, StaffOutbox
from bot.config.settings import Settings
from bot.questionnaire.content import Content
from storage import Database

log = logging.getLogger(__name__)


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    digest = commands.add_parser("digest")
    digest.add_argument("--week")
    how = digest.add_mutually_exclusive_group(required=True)
    how.add_argument("--print", action="store_true")
    how.add_argument("--send", action="store_true")
    digest.add_argument("--include-test-channels", action="store_true")
    digest.add_argument("--form")


async def digest_messages(
    settings: Settings,
    content: Content,
    database: Database,
    week_text: str | None,
    include_test_channels: bool = False,
    municipality: str | None = None,
    form_id: str | None = None,
) -> list[str]:
    from datetime import datetime

    from bot.entry.cli_input import week as parse_cli_week
    from reporting.digest import last_week

    today = datetime.now(settings.zone).date()
    week = parse_cli_week(week_text) if week_text else last_week(today)
    return await digest_for(
        content,
        database,
        week,
        include_test_channels,
        municipality,
        form_id=form_id,
        language=settings.language,
        headline=settings.headline_counts,
    )


async def send_to_staff(settings: Settings, messages: list[str]) -> int:
    if settings.telegram_bot_token is None:
        from bot.questionnaire.content import bundled_locale, load_locale

        raise SystemExit(load_locale(bundled_locale(settings.language)).t("cli.missing_token"))
    from telegram.ext import AIORateLimiter, ExtBot

    from bot.channels.telegram.outbox import TelegramOutbox

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
    subject: str | None = None,
) -> int:
    """The same texts and files to every chat (or address); how many got them all."""
    delivered = 0
    for chat in chats:
        sent = await outbox.post(str(chat), texts, files, html, subject=subject)
        delivered += sent is Delivery.SENT
    return delivered
