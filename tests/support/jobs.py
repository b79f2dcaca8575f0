"""The scheduled jobs as a bot process builds them for Telegram, on a given Bot API client."""

from __future__ import annotations

from telegram import Bot

from bot.channels.telegram.outbox import TelegramOutbox, TelegramSender
from bot.entry.jobs import Jobs
from bot.wiring.bootstrap import Runtime


class _TelegramReminders(TelegramSender):
    name = "telegram"


def telegram_jobs(runtime: Runtime, bot: Bot) -> Jobs:
    sender = _TelegramReminders(bot, runtime.content.locale)
    return Jobs(runtime, TelegramOutbox(bot), [sender])  # type: ignore[list-item]
