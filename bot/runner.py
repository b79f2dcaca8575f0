"""Running the bot until asked to stop: Telegram (long polling or webhook), the Messenger
webhook, or both, with the scheduled work beside them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import datetime

import httpx
import uvicorn
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Bot
from telegram.error import InvalidToken
from telegram.ext import Application

from bot.analyst import Analyst
from bot.bootstrap import Runtime, StartupError
from bot.channels.messenger.channel import MessengerChannel
from bot.channels.messenger.graph import GraphClient
from bot.channels.messenger.webhook import messenger_routes
from bot.channels.telegram import (
    CHANNEL,
    TelegramChannel,
    build_application,
    register_commands,
)
from bot.channels.telegram_analyst import AnalystDesk
from bot.channels.telegram_webhook import ALLOWED_UPDATES, telegram_routes
from bot.jobs import Jobs

log = logging.getLogger(__name__)
PURGE_EVERY_SECONDS = 3600


async def serve(runtime: Runtime, stop: asyncio.Event | None = None, webhook: bool = False) -> None:
    """Serves every configured channel until ``stop`` is set (or SIGINT/SIGTERM).

    ``webhook``: Telegram updates arrive over HTTP at ``TELEGRAM_WEBHOOK_URL`` instead of
    being polled, so several processes can share the work behind a load balancer.
    """
    settings, locale = runtime.settings, runtime.content.locale
    if settings.telegram_bot_token is None and not settings.messenger:
        raise StartupError(locale.t("cli.no_channel"))
    if webhook and (settings.telegram_bot_token is None or not settings.telegram_webhook_url):
        raise StartupError(locale.t("cli.webhook_url_missing"))
    stop = stop or _stop_on_signals()
    async with contextlib.AsyncExitStack() as stack:
        routes: list[Route] = []
        application = None
        if settings.telegram_bot_token is not None:
            application = await stack.enter_async_context(_telegram(runtime, polling=not webhook))
            if webhook:
                routes += telegram_routes(application, _webhook_secret(runtime))
        messenger = None
        if settings.messenger:
            messenger = await stack.enter_async_context(_messenger(runtime))
            routes += _messenger_routes(runtime, messenger)
        if routes:
            await stack.enter_async_context(_http(runtime, routes))
        if messenger is not None:
            await _set_profile(messenger, runtime)
        if webhook and application is not None:
            await _set_webhook(application, runtime)
        bot = application.bot if application is not None else None
        if settings.scheduled_jobs:
            if bot is None:
                log.warning(locale.t("cli.no_telegram_for_staff"))
            stack.enter_context(_scheduled(runtime, bot, messenger))
        else:
            await stack.enter_async_context(_purging(runtime))
        await stop.wait()
    log.info(locale.t("cli.stopped"))


@contextlib.asynccontextmanager
async def _telegram(runtime: Runtime, polling: bool) -> AsyncIterator[Application]:
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
        settings.telegram_bot_token.get_secret_value(),
        settings.telegram_base_url,
        channel,
        rate_limit=settings.telegram_rate_limit,
    )
    try:
        await application.initialize()
    except InvalidToken:
        raise StartupError(locale.t("cli.missing_token")) from None
    try:
        await register_commands(application, locale, settings.analyst_ids, settings.staff_ids)
        await application.start()
        if polling:
            await application.updater.start_polling(
                poll_interval=0.0, allowed_updates=ALLOWED_UPDATES
            )
        log.info(locale.t("cli.started", username=application.bot.username))
        yield application
        if polling:
            await application.updater.stop()
        await application.stop()
    finally:
        await application.shutdown()


def _webhook_secret(runtime: Runtime) -> str:
    configured = runtime.settings.telegram_webhook_secret
    if configured is not None:
        return configured.get_secret_value()
    return runtime.conversation.keyer.webhook_token()


async def _set_webhook(application: Application, runtime: Runtime) -> None:
    """Every process sets the same address and secret, so the last one to start is right."""
    await application.bot.set_webhook(
        runtime.settings.telegram_webhook_url,
        secret_token=_webhook_secret(runtime),
        allowed_updates=ALLOWED_UPDATES,
    )
    log.info(runtime.content.locale.t("cli.webhook_set"))


@contextlib.asynccontextmanager
async def _messenger(runtime: Runtime) -> AsyncIterator[MessengerChannel]:
    settings = runtime.settings
    assert settings.messenger_page_token is not None
    graph = GraphClient(
        settings.messenger_graph_url, settings.messenger_page_token.get_secret_value()
    )
    try:
        yield MessengerChannel(runtime.conversation, graph, runtime.content.locale)
    finally:
        await graph.close()


def _messenger_routes(runtime: Runtime, channel: MessengerChannel) -> list[Route]:
    settings = runtime.settings
    assert settings.messenger_app_secret and settings.messenger_verify_token
    return messenger_routes(
        channel.receive,
        settings.messenger_app_secret.get_secret_value().encode(),
        settings.messenger_verify_token.get_secret_value(),
    )


async def _set_profile(channel: MessengerChannel, runtime: Runtime) -> None:
    """A Graph API that cannot be reached at all stops the start (the page could not be
    answered); one that answers with an error leaves the profile as it was."""
    try:
        await channel.graph.set_profile(channel.profile(runtime.settings.municipality_name))
    except httpx.TransportError as error:
        reason = str(error) or type(error).__name__
        text = runtime.content.locale.t("cli.graph_unreachable", reason=reason)
        raise StartupError(text) from None
    except Exception as error:
        log.warning(runtime.content.locale.t("cli.messenger_profile_failed", reason=error))


class _Server(uvicorn.Server):
    """Leaves SIGINT and SIGTERM to us: stopping is decided in one place for all channels."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def _http(runtime: Runtime, routes: list[Route]) -> AsyncIterator[None]:
    """The webhooks' HTTP server (uvicorn); requests in flight finish before it stops."""
    health = Route("/healthz", _healthy, methods=["GET"])
    config = uvicorn.Config(
        Starlette(routes=[*routes, health]), log_level="warning", access_log=False, lifespan="off"
    )
    listening = _listen(runtime)
    server = _Server(config)
    serving = asyncio.create_task(server.serve(sockets=[listening]))
    try:
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        if serving.done():
            serving.result()
        host, port = runtime.settings.webhook_host, listening.getsockname()[1]
        log.info(runtime.content.locale.t("cli.webhook_listening", host=host, port=port))
        yield
    finally:
        server.should_exit = True
        await serving
        listening.close()


async def _healthy(_request: Request) -> Response:
    """For the load balancer: this process is up and serving."""
    return PlainTextResponse("ok")


def _listen(runtime: Runtime) -> socket.socket:
    """The webhooks' socket, bound here so a busy port is a clear message, not an exit
    from inside the server (``WEBHOOK_PORT=0`` takes any free port)."""
    host, port = runtime.settings.webhook_host, runtime.settings.webhook_port
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError:
        raise StartupError(
            runtime.content.locale.t("cli.webhook_failed", host=host, port=port)
        ) from None


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
        analyst=Analyst(runtime.database, runtime.content.questionnaire, runtime.settings.quarters),
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
