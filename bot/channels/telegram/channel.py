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
)
from telegram.constants import ChatAction
from telegram.error import InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes, TypeHandler

from bot.channels.port import ChannelLimits, Needs, StaffOutbox
from bot.channels.retrying import patiently
from bot.channels.telegram.arrival import CHANNEL, Arrival, Roles
from bot.channels.telegram.calls import call, message
from bot.channels.telegram.outbox import TelegramOutbox, TelegramSender
from bot.channels.telegram.payloads import JsonRequest
from bot.channels.telegram.polled import Polled, PollingBot
from bot.channels.telegram.updates import PersonOrderedUpdates
from bot.channels.telegram.webhook import ALLOWED_UPDATES, path_for, telegram_routes
from bot.channels.tls import shared_context
from bot.config.settings import Settings, StartupError
from bot.dialogue.events import ANALYST_COMMANDS, CITIZEN_COMMANDS, Outcome, Reply
from bot.dialogue.router import Router
from bot.questionnaire.i18n import Locale
from bot.questionnaire.identity import Keyer

COMMANDS = CITIZEN_COMMANDS
log = logging.getLogger(__name__)


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
        self.roles = Roles(analyst_ids, staff_ids, national_ids)

    application: Application
    needs: Needs
    sender: TelegramSender

    async def on_polled(self, polled: Polled, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A polled update (failures go to ``on_error``)."""
        if polled.arrival is not None:
            await self.answer(polled.arrival, context.bot)

    async def answer(self, arrival: Arrival, bot: Bot | None = None) -> None:
        """``bot``: the client to answer with (the application's unless given)."""
        bot = bot or self.application.bot
        outcome = await self.router.handle(arrival.incoming, ChatReplies(bot, arrival.chat_id))
        await self._respond(bot, arrival, outcome)

    async def answer_safely(self, arrival: Arrival) -> None:
        """An update that came over HTTP: a failure is logged and apologised for, as
        ``on_error`` does for polled ones."""
        try:
            await self.answer(arrival)
        except Exception:
            log.error("handling a Telegram update failed", exc_info=True)
            await self._apologise(arrival)

    # --- the channel port ------------------------------------------------------------
    def attach(self, application: Application, needs: Needs) -> None:
        self.application, self.needs = application, needs
        self.sender = TelegramSender(application.bot, self.locale)

    def routes(self) -> Sequence[BaseRoute]:
        if not self.needs.webhook:
            return ()
        path = path_for(self.needs.scope)
        return telegram_routes(self, webhook_secret(self.needs), path)

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
            log.info("Telegram was given the webhook address (TELEGRAM_WEBHOOK_URL)")
        else:
            await application.updater.start_polling(
                poll_interval=0.0, allowed_updates=ALLOWED_UPDATES
            )
        log.info("the bot is running (@%s); Ctrl-C stops it", application.bot.username)

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

    async def _respond(self, bot: Bot, arrival: Arrival, outcome: Outcome) -> None:
        """Answers the pressed button, edits its message (or, ``tidy``, removes its buttons),
        then sends the replies; each call is retried through passing network trouble."""
        if arrival.query_id is not None:
            answered = {"callback_query_id": arrival.query_id}
            await patiently(partial(call, bot, "answerCallbackQuery", answered))
            pressed = arrival.pressed
            where = {"chat_id": arrival.chat_id, "message_id": pressed} if pressed else None
            if outcome.in_place and where and await _redrawn(bot, where, outcome):
                return
            with contextlib.suppress(TelegramError):  # only tidies the chat
                if where and outcome.edit:
                    edit = {**where, "text": outcome.edit}
                    await patiently(partial(call, bot, "editMessageText", edit))
                elif where and outcome.tidy:
                    await patiently(partial(call, bot, "editMessageReplyMarkup", where))
        for reply in outcome.replies:
            said = message(arrival.chat_id, reply.text, reply.buttons)
            await patiently(partial(call, bot, "sendMessage", said))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Logs the failure without who or what was said, and apologises to the citizen."""
        log.error("handling a Telegram update failed", exc_info=context.error)
        arrival = update.arrival if isinstance(update, Polled) else None
        if arrival is not None:
            await self._apologise(arrival, context.bot)

    async def _apologise(self, arrival: Arrival, bot: Bot | None = None) -> None:
        bot = bot or self.application.bot
        try:
            if arrival.query_id is not None:
                await call(bot, "answerCallbackQuery", {"callback_query_id": arrival.query_id})
            await call(
                bot, "sendMessage", message(arrival.chat_id, self.locale.t("session.apology"))
            )
        except Exception as error:  # never more than this warning: the update is handled
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
    files = base_url.removesuffix("/bot") + "/file/bot" if base_url.endswith("/bot") else None
    bot = PollingBot(
        token,
        base_url=base_url,
        **({"base_file_url": files} if files else {}),
        request=JsonRequest(connection_pool_size=256, httpx_kwargs=tls),
        polling=JsonRequest(httpx_kwargs=tls),
        rate_limiter=AIORateLimiter(max_retries=3) if rate_limit else None,
        roles=channel.roles,
    )
    builder = Application.builder().bot(bot).concurrent_updates(PersonOrderedUpdates())
    application = builder.build()
    application.add_handler(TypeHandler(Polled, channel.on_polled))
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
        log.warning("the Bot API server refused the command list (setMyCommands); going on")


def webhook_secret(needs: Needs) -> str:
    """The configured secret token, or one derived from the feedback secret: the same in
    every process, so the last one to start sets the right one."""
    return secret_token(needs.settings, needs.keyer, needs.scope)


def secret_token(settings: Settings, keyer: Keyer, scope: str | None) -> str:
    configured = settings.telegram_webhook_secret
    if configured is not None:
        return configured.get_secret_value()
    return keyer.webhook_token(scope)


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
