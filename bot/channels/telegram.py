"""The Telegram adapter: updates in, engine-neutral events out, replies back as messages.

It is thin on purpose: everything a citizen experiences is decided in ``bot.dialogue``;
here we only translate, and make sure a failure still ends with a kind word.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from starlette.routing import BaseRoute
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes, TypeHandler

from bot.channels.port import ChannelLimits, Needs, StaffOutbox
from bot.channels.retrying import patiently
from bot.channels.telegram_calls import call, message
from bot.channels.telegram_json import JsonRequest
from bot.channels.telegram_outbox import TelegramOutbox, TelegramSender
from bot.channels.telegram_updates import PersonOrderedUpdates
from bot.channels.telegram_webhook import ALLOWED_UPDATES, path_for, telegram_routes
from bot.channels.tls import shared_context
from bot.dialogue.events import (
    ANALYST_COMMANDS,
    CITIZEN_COMMANDS,
    Incoming,
    Outcome,
    Press,
    Reply,
    Sender,
    Text,
    Unsupported,
    command,
)
from bot.dialogue.router import ANALYST, NATIONAL, PAPER, Router
from bot.questionnaire.i18n import Locale
from bot.settings import StartupError

CHANNEL = "telegram"
COMMANDS = CITIZEN_COMMANDS
log = logging.getLogger(__name__)


def translate(
    update: Update,
    analyst_ids: frozenset[int] = frozenset(),
    staff_ids: frozenset[int] = frozenset(),
    national_ids: frozenset[int] = frozenset(),
) -> Incoming | None:
    """The update as a neutral event, once; ``None`` for updates no person sent to us."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return None
    if update.callback_query is not None:
        event: object = Press(update.callback_query.data or "")
    elif update.message is None:
        return None
    elif update.message.text is None:
        event = Unsupported()
    elif not update.message.text.startswith("/"):
        event = Text(update.message.text)
    else:
        name, _, rest = update.message.text.partition(" ")
        event = command(name[1:].split("@", 1)[0], rest, staff=True)
    roles = {PAPER} if user.id in staff_ids else set()
    roles |= {ANALYST} if user.id in analyst_ids else set()
    roles |= {NATIONAL} if user.id in national_ids else set()
    sender = Sender(CHANNEL, str(user.id), str(update.update_id), chat=str(chat.id))
    private = chat.type == ChatType.PRIVATE
    return Incoming(sender, event, private, frozenset(roles))  # type: ignore[arg-type]


class ChatReplies:
    """The analysts' desk answering in a Telegram chat (``StaffReplies``)."""

    def __init__(self, bot: Bot, chat_id: int) -> None:
        self.bot, self.chat_id = bot, chat_id

    async def say(self, text: str) -> object:
        return await patiently(partial(self.bot.send_message, self.chat_id, text))

    async def edit(self, sent: object, text: str) -> None:
        await patiently(partial(sent.edit_text, text))  # type: ignore[attr-defined]

    async def files(self, paths: Sequence[Path]) -> None:
        for path in paths:
            with path.open("rb") as handle:
                await self.bot.send_document(self.chat_id, handle, filename=path.name)

    async def busy(self) -> None:
        await self.bot.send_chat_action(self.chat_id, ChatAction.UPLOAD_DOCUMENT)


class TelegramChannel:
    """Updates in (polling or webhook), the router between, messages out."""

    name = CHANNEL
    limits = ChannelLimits()

    def __init__(
        self,
        router: Router,
        locale: Locale,
        analyst_ids: frozenset[int] = frozenset(),
        staff_ids: frozenset[int] = frozenset(),
        national_ids: frozenset[int] = frozenset(),
    ) -> None:
        self.router = router
        self.locale = locale
        self.analyst_ids = analyst_ids
        self.staff_ids = staff_ids
        self.national_ids = national_ids

    application: Application
    needs: Needs
    sender: TelegramSender

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        incoming = translate(update, self.analyst_ids, self.staff_ids, self.national_ids)
        if incoming is None:
            return
        chat_id = int(incoming.sender.chat or 0)
        outcome = await self.router.handle(incoming, ChatReplies(context.bot, chat_id))
        await self._respond(update, context, outcome, tidy=outcome.tidy)

    # --- the channel port ------------------------------------------------------------
    def attach(self, application: Application, needs: Needs) -> None:
        self.application, self.needs = application, needs
        self.sender = TelegramSender(application.bot, self.locale)

    def routes(self) -> Sequence[BaseRoute]:
        if not self.needs.webhook:
            return ()
        path = path_for(self.needs.scope)
        return telegram_routes(self.application, webhook_secret(self.needs), path)

    async def start(self) -> None:
        application, settings = self.application, self.needs.settings
        try:
            await application.initialize()
        except InvalidToken:
            raise StartupError(self.locale.t("cli.missing_token")) from None
        await register_commands(application, self.locale, settings.analyst_ids, settings.staff_ids)
        await application.start()
        if self.needs.webhook:
            await application.bot.set_webhook(
                settings.telegram_webhook_url,
                secret_token=webhook_secret(self.needs),
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info(self.locale.t("cli.webhook_set"))
        else:
            await application.updater.start_polling(
                poll_interval=0.0, allowed_updates=ALLOWED_UPDATES
            )
        log.info(self.locale.t("cli.started", username=application.bot.username))

    async def stop(self) -> None:
        application = self.application
        try:
            if application.updater and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
        finally:
            await application.shutdown()

    async def send(self, address: str, reply: Reply) -> bool:
        return await self.sender.send(address, reply)

    async def remind(self, address: str) -> bool:
        return await self.sender.remind(address)

    def staff_outbox(self) -> StaffOutbox:
        return TelegramOutbox(self.application.bot)

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
        bot = context.bot
        if query is not None:
            await patiently(
                partial(call, bot, "answerCallbackQuery", {"callback_query_id": query.id})
            )
            pressed = query.message
            where = {"chat_id": chat.id, "message_id": pressed.message_id} if pressed else None
            if outcome.in_place and where and await _redrawn(bot, where, outcome):
                return
            with contextlib.suppress(TelegramError):  # only tidies the chat
                if where and outcome.edit:
                    edit = {**where, "text": outcome.edit}
                    await patiently(partial(call, bot, "editMessageText", edit))
                elif where and tidy:
                    await patiently(partial(call, bot, "editMessageReplyMarkup", where))
        for reply in outcome.replies:
            await patiently(
                partial(call, bot, "sendMessage", message(chat.id, reply.text, reply.buttons))
            )

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


async def _redrawn(bot: Bot, where: dict[str, Any], outcome: Outcome) -> bool:
    """A tick shown on the pressed message itself: one message per question, not one
    per tick. False when it cannot be edited (too old, deleted): then it is sent anew."""
    [reply] = outcome.replies
    edit = {**message(where["chat_id"], reply.text, reply.buttons), **where}
    try:
        await patiently(partial(call, bot, "editMessageText", edit))
    except TelegramError:
        return False
    return True


def build_application(
    token: str, base_url: str, channel: TelegramChannel, rate_limit: bool = True
) -> Application:
    """``rate_limit``: keep under Telegram's 30 messages a second (off only for a local Bot
    API server without that limit, or to measure the bot itself)."""
    tls = {"verify": shared_context()}
    builder = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .request(JsonRequest(connection_pool_size=256, httpx_kwargs=tls))
        .get_updates_request(JsonRequest(httpx_kwargs=tls))
        .concurrent_updates(PersonOrderedUpdates())
    )
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


def webhook_secret(needs: Needs) -> str:
    """The configured secret token, or one derived from the feedback secret: the same in
    every process, so the last one to start sets the right one."""
    configured = needs.settings.telegram_webhook_secret
    if configured is not None:
        return configured.get_secret_value()
    return needs.keyer.webhook_token(needs.scope)


def open_channel(needs: Needs) -> TelegramChannel:
    """The registry's entry: the channel on a python-telegram-bot application."""
    settings = needs.settings
    if needs.webhook and not settings.telegram_webhook_url:
        raise StartupError(needs.locale.t("cli.webhook_url_missing"))
    assert settings.telegram_bot_token is not None
    channel = TelegramChannel(
        needs.router,
        needs.locale,
        analyst_ids=frozenset(settings.analyst_ids),
        staff_ids=frozenset(settings.staff_ids),
        national_ids=frozenset(settings.national_analyst_ids),
    )
    application = build_application(
        settings.telegram_bot_token.get_secret_value(),
        settings.telegram_base_url,
        channel,
        rate_limit=settings.telegram_rate_limit,
    )
    channel.attach(application, needs)
    return channel
