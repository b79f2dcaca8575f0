"""Running the bot until asked to stop: Telegram (long polling), the Messenger webhook, or
both, with the scheduled work beside them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import datetime

import uvicorn
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from telegram import Bot
from telegram.error import InvalidToken

from bot.analyst import Analyst
from bot.bootstrap import Runtime, StartupError
from bot.channels.messenger.channel import MessengerChannel
from bot.channels.messenger.graph import GraphClient
from bot.channels.messenger.webhook import webhook_app
from bot.channels.telegram import (
    CHANNEL,
    TelegramChannel,
    build_application,
    register_commands,
)
from bot.channels.telegram_analyst import AnalystDesk
from bot.jobs import Jobs

log = logging.getLogger(__name__)
PURGE_EVERY_SECONDS = 3600


async def serve(runtime: Runtime, stop: asyncio.Event | None = None) -> None:
    """Serves every configured channel until ``stop`` is set (or SIGINT/SIGTERM)."""
    settings, locale = runtime.settings, runtime.content.locale
    if settings.telegram_bot_token is None and not settings.messenger:
        raise StartupError(locale.t("cli.no_channel"))
    stop = stop or _stop_on_signals()
    async with contextlib.AsyncExitStack() as stack:
        bot = None
        if settings.telegram_bot_token is not None:
            bot = await stack.enter_async_context(_telegram(runtime))
        messenger = None
        if settings.messenger:
            messenger = await stack.enter_async_context(_messenger(runtime))
        if settings.scheduled_jobs:
            if bot is None:
                log.warning(locale.t("cli.no_telegram_for_staff"))
            stack.enter_context(_scheduled(runtime, bot, messenger))
        else:
            await stack.enter_async_context(_purging(runtime))
        await stop.wait()
    log.info(locale.t("cli.stopped"))


@contextlib.asynccontextmanager
async def _telegram(runtime: Runtime) -> AsyncIterator[Bot]:
    settings, locale = runtime.settings, runtime.content.locale
    assert settings.telegram_bot_token is not None
    channel = TelegramChannel(
        runtime.conversation,
        locale,
        desk=_analyst_desk(runtime),
        paper=runtime.paper,
        staff_ids=frozenset(settings.staff_ids),
    )
    application = build_application(
        settings.telegram_bot_token.get_secret_value(), settings.telegram_base_url, channel
    )
    try:
        await application.initialize()
    except InvalidToken:
        raise StartupError(locale.t("cli.missing_token")) from None
    try:
        await register_commands(application, locale, settings.analyst_ids, settings.staff_ids)
        await application.start()
        await application.updater.start_polling(
            poll_interval=0.0, allowed_updates=["message", "callback_query"]
        )
        log.info(locale.t("cli.started", username=application.bot.username))
        yield application.bot
        await application.updater.stop()
        await application.stop()
    finally:
        await application.shutdown()


class _Server(uvicorn.Server):
    """Leaves SIGINT and SIGTERM to us: stopping is decided in one place for all channels."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def _messenger(runtime: Runtime) -> AsyncIterator[MessengerChannel]:
    settings, locale = runtime.settings, runtime.content.locale
    assert settings.messenger_page_token and settings.messenger_app_secret
    assert settings.messenger_verify_token
    graph = GraphClient(
        settings.messenger_graph_url, settings.messenger_page_token.get_secret_value()
    )
    channel = MessengerChannel(runtime.conversation, graph, locale)
    app = webhook_app(
        channel.receive,
        settings.messenger_app_secret.get_secret_value().encode(),
        settings.messenger_verify_token.get_secret_value(),
    )
    config = uvicorn.Config(
        app,
        host=settings.webhook_host,
        port=settings.webhook_port,
        log_level="warning",
        access_log=False,
        lifespan="off",
    )
    listening = _listen(runtime)
    server = _Server(config)
    serving = asyncio.create_task(server.serve(sockets=[listening]))
    try:
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        if serving.done():
            serving.result()
        port = listening.getsockname()[1]
        log.info(locale.t("cli.messenger_started", host=settings.webhook_host, port=port))
        await _set_profile(channel, runtime)
        yield channel
    finally:
        server.should_exit = True
        await serving
        listening.close()
        await graph.close()


def _listen(runtime: Runtime) -> socket.socket:
    """The webhook's socket, bound here so a busy port is a clear message, not an exit
    from inside the server (``WEBHOOK_PORT=0`` takes any free port)."""
    host, port = runtime.settings.webhook_host, runtime.settings.webhook_port
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError:
        raise StartupError(
            runtime.content.locale.t("cli.webhook_failed", host=host, port=port)
        ) from None


async def _set_profile(channel: MessengerChannel, runtime: Runtime) -> None:
    try:
        await channel.graph.set_profile(channel.profile(runtime.settings.municipality_name))
    except Exception as error:
        log.warning(runtime.content.locale.t("cli.messenger_profile_failed", reason=error))


@contextlib.contextmanager
def _scheduled(
    runtime: Runtime, bot: Bot | None, messenger: MessengerChannel | None
) -> Iterator[None]:
    """Ticks every minute, and once at start so that a run missed while down is caught up."""
    jobs = Jobs(runtime, bot, messenger)
    scheduler = AsyncIOScheduler(timezone=runtime.settings.zone)
    scheduler.add_job(
        jobs.tick,
        IntervalTrigger(minutes=1),
        next_run_time=datetime.now(runtime.settings.zone),
        max_instances=1,
        coalesce=True,
    )
    scheduler.start()
    try:
        yield
    finally:
        scheduler.shutdown(wait=False)


@contextlib.asynccontextmanager
async def _purging(runtime: Runtime) -> AsyncIterator[None]:
    task = asyncio.create_task(_purge_regularly(runtime))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _analyst_desk(runtime: Runtime) -> AnalystDesk:
    async def first_delivery(update_key: str) -> bool:
        return await runtime.first_delivery(CHANNEL, update_key)

    return AnalystDesk(
        analyst=Analyst(runtime.database, runtime.content.questionnaire),
        locale=runtime.content.locale,
        analyst_ids=frozenset(runtime.settings.analyst_ids),
        make_report=runtime.make_report,
        today=runtime.today,
        first_delivery=first_delivery,
    )


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return stop


async def _purge_regularly(runtime: Runtime) -> None:
    while True:
        try:
            removed = await runtime.purge()
            if removed:
                log.info("%d expired draft(s) deleted", removed)
        except Exception:
            log.exception("purging expired drafts failed; will try again")
        await asyncio.sleep(PURGE_EVERY_SECONDS)
