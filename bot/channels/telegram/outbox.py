"""Sending to Telegram chats outside a conversation: staff news, reminders, any reply.

Every call goes through ``patiently`` (5xx and timeouts tried again; 429 is the rate
limiter's); a chat that blocked the bot or is gone is reported, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot.channels.port import Delivery
from bot.channels.retrying import patiently
from bot.channels.telegram.calls import call, message
from bot.dialogue.callbacks import Resume, encode
from bot.dialogue.events import Button, Reply
from bot.questionnaire.i18n import Locale

log = logging.getLogger(__name__)


class TelegramOutbox:
    """``StaffOutbox`` on a Bot API client."""

    channel = "telegram"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def post(
        self,
        chat: str,
        texts: Sequence[str] = (),
        files: Sequence[Path] = (),
        html: bool = False,
        subject: str | None = None,
    ) -> Delivery:
        mode = ParseMode.HTML if html else None
        try:
            for text in texts:
                await patiently(partial(self.bot.send_message, int(chat), text, parse_mode=mode))
            for path in files:
                send = partial(self.bot.send_document, int(chat), path.read_bytes())
                await patiently(partial(send, filename=path.name))
        except Forbidden:
            log.warning("a chat could not be reached (Forbidden); skipped")
            return Delivery.GONE
        except BadRequest as error:
            log.warning("a chat could not be reached (%s); skipped", type(error).__name__)
            return Delivery.FAILED
        return Delivery.SENT


class TelegramSender:
    """A reply or the reminder to a citizen's chat, outside the update that asked for it."""

    def __init__(self, bot: Bot, locale: Locale) -> None:
        self.bot, self.locale = bot, locale

    async def send(self, address: str, reply: Reply) -> bool:
        params = message(int(address), reply.text, reply.buttons)
        try:
            await patiently(partial(call, self.bot, "sendMessage", params))
        except (Forbidden, BadRequest) as error:
            log.info("a message could not be delivered (%s)", type(error).__name__)
            return False
        return True

    async def remind(self, address: str) -> bool:
        t = self.locale.t
        button = Button(t("buttons.resume"), encode(Resume()))
        return await self.send(address, Reply(t("reminder.text"), ((button,),)))
