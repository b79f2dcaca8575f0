"""The Telegram adapter: updates in, engine-neutral events out, replies back as messages.

It is thin on purpose: everything a citizen experiences is decided in ``bot.dialogue``;
here we only translate, and make sure a failure still ends with a kind word.
"""

from __future__ import annotations

import contextlib
import logging
from functools import partial

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes, TypeHandler

from bot.channels.retrying import patiently
from bot.channels.telegram_analyst import COMMANDS as ANALYST_COMMANDS
from bot.channels.telegram_analyst import AnalystDesk, command_of
from bot.dialogue.conversation import Conversation
from bot.dialogue.events import (
    Event,
    Help,
    Outcome,
    Press,
    Reply,
    Sender,
    Start,
    Stop,
    Text,
    UnknownCommand,
    Unsubscribe,
    Unsupported,
    command,
)
from bot.dialogue.paper import PaperDesk
from bot.i18n import Locale

CHANNEL = "telegram"
PAPER_CHANNEL_KEY = "telegram"
"""Deliveries of staff updates are deduplicated with the citizens' (same update ids)."""
COMMANDS = ("start", "help", "stop", "unsubscribe")
log = logging.getLogger(__name__)


def translate(update: Update) -> Event | None:
    """The event an update stands for; ``None`` for updates a citizen did not send to us."""
    if update.callback_query is not None:
        return Press(update.callback_query.data or "")
    message = update.message
    if message is None:
        return None
    if message.text is None:
        return Unsupported()
    if not message.text.startswith("/"):
        return Text(message.text)
    name, _, rest = message.text.partition(" ")
    return command(name[1:].split("@", 1)[0], rest)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in reply.buttons
        ]
    )


class TelegramChannel:
    def __init__(
        self,
        conversation: Conversation,
        locale: Locale,
        desk: AnalystDesk | None = None,
        paper: PaperDesk | None = None,
        staff_ids: frozenset[int] = frozenset(),
    ) -> None:
        self.conversation = conversation
        self.locale = locale
        self.desk = desk
        self.paper = paper
        self.staff_ids = staff_ids

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if self.desk is not None and command_of(update) is not None:
            await self.desk.handle(update, context)
            return
        if await self._paper(update, context):
            return
        event = translate(update)
        chat, user = update.effective_chat, update.effective_user
        if event is None or chat is None or user is None:
            return
        if chat.type != ChatType.PRIVATE:
            if isinstance(event, (Start, Stop, Help, Unsubscribe, UnknownCommand)):
                private_only = Outcome((Reply(self.locale.t("session.private_only")),))
                await self._respond(update, context, private_only)
            return
        sender = Sender(CHANNEL, str(user.id), str(update.update_id), chat=str(chat.id))
        outcome = await self.conversation.handle(sender, event)
        await self._respond(update, context, outcome)

    async def _respond(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        outcome: Outcome,
        tidy: bool = False,
    ) -> None:
        """Answers the pressed button, edits its message (or, ``tidy``, removes its buttons),
        then sends the replies; each call is retried through passing network trouble."""
        chat, query = update.effective_chat, update.callback_query
        assert chat is not None
        if query is not None:
            await patiently(query.answer)
            with contextlib.suppress(TelegramError):  # only tidies the chat
                if outcome.edit:
                    await patiently(partial(query.edit_message_text, outcome.edit))
                elif tidy:
                    await patiently(partial(query.edit_message_reply_markup, None))
        for reply in outcome.replies:
            send = partial(context.bot.send_message, chat.id, reply.text)
            await patiently(partial(send, reply_markup=keyboard(reply)))

    async def _paper(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """Staff typing in paper forms; ``True`` when the update was theirs to handle."""
        chat, user = update.effective_chat, update.effective_user
        if self.paper is None or chat is None or user is None:
            return False
        text = update.message.text if update.message and update.message.text else ""
        command = text.split(" ", 1)[0].split("@", 1)[0].lower()
        sender = Sender(PAPER_CHANNEL_KEY, str(user.id), str(update.update_id))
        private = chat.type == ChatType.PRIVATE
        if command in {"/paper", "/done"}:
            if not private:
                log.info("%s refused: not a private chat", command)
                refused = Outcome((Reply(self.locale.t("paper.private_only")),))
                await self._respond(update, context, refused)
                return True
            if user.id not in self.staff_ids:
                log.info("%s refused: the sender is not staff", command)
                refused = Outcome((Reply(self.locale.t("paper.refused")),))
                await self._respond(update, context, refused)
                return True
            outcome = await (self.paper.begin if command == "/paper" else self.paper.finish)(sender)
        elif private and user.id in self.staff_ids and await self.paper.is_open(sender):
            event = translate(update)
            if not isinstance(event, Text | Press):
                return False
            outcome = await self.paper.handle(sender, event)
        else:
            return False
        await self._respond(update, context, outcome, tidy=True)
        return True

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Logs the failure without who or what was said, and apologises to the citizen."""
        log.error("handling a Telegram update failed", exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        try:
            if update.callback_query is not None:
                await update.callback_query.answer()
            await context.bot.send_message(
                update.effective_chat.id, self.locale.t("session.apology")
            )
        except TelegramError as error:
            log.warning("the apology could not be sent either: %s", type(error).__name__)


def build_application(
    token: str, base_url: str, channel: TelegramChannel, rate_limit: bool = True
) -> Application:
    """``rate_limit``: keep under Telegram's 30 messages a second (off only for a local Bot
    API server without that limit, or to measure the bot itself)."""
    builder = Application.builder().token(token).base_url(base_url)
    if base_url.endswith("/bot"):
        builder = builder.base_file_url(base_url.removesuffix("/bot") + "/file/bot")
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    application = builder.build()
    application.add_handler(TypeHandler(Update, channel.on_update))
    application.add_error_handler(channel.on_error)
    return application


async def register_commands(
    application: Application,
    locale: Locale,
    analyst_ids: tuple[int, ...] = (),
    staff_ids: tuple[int, ...] = (),
) -> None:
    """Citizens see their three commands; each analyst's private chat also the analysts'.

    Optional: a self-hosted or test Bot API server may not implement setMyCommands.
    """
    citizen = [BotCommand(name, locale.t(f"commands.{name}")) for name in COMMANDS]
    analyst = citizen + [
        BotCommand(name, locale.t(f"analyst.commands.{name}")) for name in ANALYST_COMMANDS
    ]
    paper = [BotCommand(name, locale.t(f"paper.commands.{name}")) for name in ("paper", "done")]
    menus: dict[int, list[BotCommand]] = {chat_id: citizen + paper for chat_id in staff_ids}
    for chat_id in analyst_ids:
        menus[chat_id] = analyst + (paper if chat_id in staff_ids else [])
    try:
        await application.bot.set_my_commands(citizen)
        for chat_id, commands in menus.items():
            await application.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
    except TelegramError:
        log.warning(locale.t("cli.commands_unsupported"))
