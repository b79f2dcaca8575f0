"""Running the bot until asked to stop: every configured channel (see
``bot.channels.registry``) on one HTTP server, with the scheduled work beside them."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
import signal
import socket
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from datetime import datetime

import uvicorn
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from starlette.applications import Starlette
from starlette.routing import BaseRoute
from starlette.types import Scope

from bot.channels.port import Channel, Needs
from bot.channels.registry import configured
from bot.common.once_a_minute import OnceAMinute, Overloaded, install
from bot.config.settings import Settings
from bot.entry.jobs import Jobs
from bot.entry.jobs_backup import backup_tick
from bot.wiring.bootstrap import Runtime, StartupError
from bot.wiring.http_limits import Limits, slash_redirects
from bot.wiring.http_server import (
    ACCEPT_BATCH,
    HEAD_SIZE,
    LISTEN_QUEUE,
    Bounds,
    Guard,
    protocol,
    raise_open_file_limit,
)
from bot.wiring.metrics import Metrics, backups_in, watch_router
from bot.wiring.metrics_http import Health, Labelled, label_of, labelled
from bot.wiring.results import routes_for as results_routes_for
from bot.wiring.results import stop_warming as results_stop_warming
from bot.wiring.results import warm as results_warm

log = logging.getLogger(__name__)
LIBRARY_OVERLOAD = {
    "Invalid HTTP request received.": "malformed HTTP requests answered with 400",
    "socket.accept() out of system resource": "out of open files: new connections wait",
}
"""What uvicorn and asyncio log per event, as one line a minute (``bot.common.once_a_minute``)."""
PURGE_EVERY_SECONDS = 60
"""Upkeep without the scheduler: the ballot box is mixed when due, so it is checked often."""


async def serve(runtime: Runtime, stop: asyncio.Event | None = None, webhook: bool = False) -> None:
    """Serves every municipality's configured channels until ``stop`` is set (or
    SIGINT/SIGTERM): several bots and pages in one process, on one HTTP server.

    ``webhook``: Telegram updates arrive over HTTP at each bot's webhook address instead of
    being polled, so several processes can share the work behind a load balancer.
    """
    locale = runtime.content.locale
    opened = _open_channels(runtime, webhook)
    channels = [channel for _place, found in opened for channel in found]
    if not channels:
        raise StartupError(locale.t("cli.no_channel"))
    if webhook and not any(place.settings.telegram_bot_token for place, _ in opened):
        raise StartupError(locale.t("cli.webhook_url_missing"))
    stop = stop or _stop_on_signals()
    metrics = _metrics(runtime, opened)
    async with contextlib.AsyncExitStack() as stack:
        for channel in channels:
            stack.push_async_callback(channel.stop)
        # Other municipalities' routes first: their /m/<code> before the home's /m/<token>.
        routes = [  # the results pages first, beside each municipality's web questionnaire
            label_of(route, "results", place.municipality.scope)
            for place, _found in reversed(opened)
            for route in results_routes_for(place)
        ]
        routes += [
            label_of(route, c.name, place.municipality.scope)
            for place, found in reversed(opened)
            for c in found
            for route in c.routes()
        ]
        if runtime.settings.console and routes:  # the staff console beside the web page
            routes = [*_console(runtime), *routes]
        if routes or metrics:  # /metrics needs the server even when no channel does
            await stack.enter_async_context(_http(runtime, routes, metrics))
        await _mix_at_start(runtime)
        for channel in channels:
            await channel.start()
        if runtime.settings.scheduled_jobs:
            await stack.enter_async_context(
                _scheduled(runtime, [_jobs(place, found, metrics) for place, found in opened])
            )
        else:
            await stack.enter_async_context(_purging(runtime))
        await stop.wait()
    log.info("the bot has stopped")


async def _mix_at_start(runtime: Runtime) -> None:
    """The ballot box, mixed at start when due. The pages are already served by then, so a
    database that stops answering in that moment must not stop them: /healthz says 503 and
    the minute's upkeep mixes the box once the database is back."""
    try:
        await runtime.mix_if_due()
    except Exception:
        log.warning("ballot box not checked at start; the upkeep tries again", exc_info=True)


def _console(runtime: Runtime) -> list[BaseRoute]:
    """The staff console (``bot.staff``) for every municipality, under ``/staff/``."""
    from datetime import timedelta

    from bot.application.staff_accounts import StaffAccounts
    from bot.staff.console import Console

    settings = runtime.settings
    idle = timedelta(minutes=settings.staff_idle_minutes)
    accounts = StaffAccounts(runtime.database.staff, runtime.clock, idle)
    places = {place.code: place for place in runtime.everywhere}
    return Console(places, settings, accounts).routes()


def _open_channels(runtime: Runtime, webhook: bool) -> list[tuple[Runtime, list[Channel]]]:
    """Each municipality's channels, built from its own settings."""
    hub: dict[str, object] = {}
    opened = []
    for place in runtime.everywhere:
        needs = Needs(
            place.settings,
            place.router,
            place.content.locale,
            place.conversation.keyer,
            webhook,
            scope=place.municipality.scope,
            hub=hub,
        )
        opened.append((place, [r.open(needs) for r in configured(place.settings)]))
    return opened


def _metrics(runtime: Runtime, opened: list[tuple[Runtime, list[Channel]]]) -> Metrics | None:
    """The process's figures (``METRICS=on``), counting every municipality's updates."""
    if not runtime.settings.metrics:
        return None
    folder = runtime.settings.backup_dir
    backups = backups_in(folder) if folder is not None else None
    metrics = Metrics(lambda: runtime.database.box_overdue(runtime.today()), backups)
    for place, _found in opened:
        watch_router(place.router, metrics)
    return metrics


def _jobs(place: Runtime, channels: Sequence[Channel], metrics: Metrics | None = None) -> Jobs:
    """The municipality's jobs, with its staff's outboxes: its bot's chats, its e-mail."""
    from bot.channels.email_outbox import email_outbox

    outbox = next((o for c in channels if (o := c.staff_outbox()) is not None), None)
    mail = email_outbox(place.settings)
    if outbox is None and mail is None:
        log.warning(
            "%s: neither a Telegram bot nor STAFF_EMAILS; the weekly digest and the quarterly "
            "report are not sent to staff",
            place.code,
        )
    return Jobs(place, outbox, channels, mail, record=metrics.job if metrics else None)


def _telegram_calls(runtime: Runtime) -> Callable[[Scope], bool]:
    """Whether a request carries one of this installation's Telegram secret tokens: the
    webhook's calls, which come from Telegram's few addresses on up to 40 connections."""
    from bot.channels.telegram.channel import secret_token

    tokens = [
        secret_token(place.settings, place.conversation.keyer, place.municipality.scope).encode()
        for place in runtime.everywhere
        if place.settings.telegram_bot_token
    ]

    def vouched(scope: Scope) -> bool:
        given = dict(scope.get("headers") or ()).get(b"x-telegram-bot-api-secret-token")
        return given is not None and any(hmac.compare_digest(given, t) for t in tokens)

    return vouched


class _Server(uvicorn.Server):
    """Leaves SIGINT and SIGTERM to us: stopping is decided in one place for all channels."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def _http(
    runtime: Runtime, served: Sequence[BaseRoute | Labelled], metrics: Metrics | None = None
) -> AsyncIterator[None]:
    """The webhooks' HTTP server (uvicorn), bounded (``bot.wiring.http_server``); requests in
    flight finish before it stops. ``/healthz`` asks the database; ``/metrics`` when on."""
    settings = runtime.settings
    _believe_no_one_outside(runtime)
    once = OnceAMinute(logging.getLogger("bot.http"))
    bounds = _bounds(settings).for_files(raise_open_file_limit())
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    health = Health(runtime.database, once, metrics, token)
    routes = labelled(served)
    app = Starlette(routes=[*(r.route for r in routes), *health.routes()])
    slash_redirects(app.router, settings.web_base_url)
    words, vouched = runtime.content.locale, _telegram_calls(runtime)
    busy, too_large = words.t("web.busy"), words.t("web.body_too_large")
    limited = Limits(
        app, bounds.max_requests, busy, once, vouched=vouched, too_large_text=too_large
    )
    config = uvicorn.Config(
        health.counted(limited, routes),
        http=protocol(Guard(bounds, once)),
        backlog=ACCEPT_BATCH,  # asyncio's accepts per wake-up; the queue is LISTEN_QUEUE
        timeout_keep_alive=bounds.keep_alive,
        h11_max_incomplete_event_size=HEAD_SIZE,
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=list(settings.forwarded_allow_ips) or None,
        log_level="warning",
        access_log=False,
        lifespan="off",
        log_config=None,  # uvicorn's errors go through the bot's handlers (bot.wiring.log_privacy)
    )
    listening = _listen(runtime)
    server = _Server(config)
    quiet = install(
        [logging.getLogger("uvicorn.error"), logging.getLogger("asyncio")],
        Overloaded(once, LIBRARY_OVERLOAD),
    )
    serving = asyncio.create_task(server.serve(sockets=[listening]))
    try:
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        if serving.done():
            serving.result()
        listening.listen(LISTEN_QUEUE)  # asyncio listened with the accept batch's size
        host, port = settings.webhook_host, listening.getsockname()[1]
        log.info("the webhook server is listening: http://%s:%d", host, port)
        yield
    finally:
        server.should_exit = True
        await serving
        listening.close()
        quiet()


def _believe_no_one_outside(runtime: Runtime) -> None:
    """``FORWARDED_ALLOW_IPS=*`` is refused on an address others can reach: uvicorn then
    believes the left-most ``X-Forwarded-For`` entry, which the client writes itself, and
    one script passes for any number of citizens. A warning would sit in a log nobody reads
    while the per-address limits count forged addresses; on loopback only this machine's
    own proxy can connect."""
    host = runtime.settings.webhook_host
    if "*" in runtime.settings.forwarded_allow_ips and not _loopback(host):
        raise StartupError(runtime.content.locale.t("cli.forwarded_from_anyone", host=host))


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _bounds(settings: Settings) -> Bounds:
    return Bounds(
        max_connections=settings.http_max_connections,
        max_requests=settings.http_max_requests,
        header_timeout=settings.http_header_timeout,
        body_timeout=settings.http_body_timeout,
    )


def _listen(runtime: Runtime) -> socket.socket:
    """The webhooks' socket, bound here so a busy port is a clear message, not an exit
    from inside the server (``WEBHOOK_PORT=0`` takes any free port)."""
    host, port = runtime.settings.webhook_host, runtime.settings.webhook_port
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=LISTEN_QUEUE)
    except OSError:
        raise StartupError(
            runtime.content.locale.t("cli.webhook_failed", host=host, port=port)
        ) from None


@contextlib.asynccontextmanager
async def _scheduled(runtime: Runtime, every: Sequence[Jobs]) -> AsyncIterator[None]:
    """Ticks every minute, and once at start so that a run missed while down is caught up:
    each municipality's jobs in its own time zone and calendar, then the shared upkeep.

    A stop lets the tick in hand finish: cancelled, it would leave a claimed digest unsent
    and APScheduler would log the cancellation as an error with its traceback."""
    scheduler = AsyncIOScheduler(timezone=runtime.settings.zone)
    in_hand: set[asyncio.Task[object]] = set()
    scheduler.add_job(
        _tick_all,
        IntervalTrigger(minutes=1),
        args=[runtime, every, in_hand],
        name="Jobs.tick (every municipality)",
        next_run_time=datetime.now(runtime.settings.zone),
        max_instances=1,
        coalesce=True,
    )
    scheduler.start()
    try:
        yield
    finally:
        scheduler.pause()
        if in_hand:
            await asyncio.wait(set(in_hand))
        for jobs in every:
            await results_stop_warming(jobs.runtime)
        scheduler.shutdown(wait=False)


async def _tick_all(
    runtime: Runtime, every: Sequence[Jobs], in_hand: set[asyncio.Task[object]]
) -> None:
    task = asyncio.current_task()
    assert task is not None
    in_hand.add(task)
    try:
        for jobs in every:  # first, in the background: the results pages' figures
            try:
                results_warm(jobs.runtime)
            except Exception:  # the scheduled work and the backup go on without them
                log.exception("results of %s could not be prepared", jobs.runtime.code)
        for jobs in every:
            try:
                await jobs.tick(purge=False)
            except Exception:
                log.exception("scheduled work of %s failed; will try again", jobs.runtime.code)
        try:
            await (every[0].recorded("upkeep", runtime.purge()) if every else runtime.purge())
        finally:  # a failed backup is logged and counted as a failed job; the next is at its time
            with contextlib.suppress(Exception):
                backup = backup_tick(runtime)
                await (every[0].recorded("backup", backup) if every else backup)
    finally:
        in_hand.discard(task)


@contextlib.asynccontextmanager
async def _purging(runtime: Runtime) -> AsyncIterator[None]:
    task = asyncio.create_task(_purge_regularly(runtime))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return stop


async def _purge_regularly(runtime: Runtime) -> None:
    """First after a minute, not at start: a purge that read the clock before a test moved it
    back could otherwise delete a draft made just after (seen under load)."""
    while True:
        await asyncio.sleep(PURGE_EVERY_SECONDS)
        try:
            removed = await runtime.purge()
            if removed:
                log.info("%d expired draft(s) deleted", removed)
            for place in runtime.everywhere:  # forms loaded or retired meanwhile
                await place.refresh_forms()
        except Exception:
            log.exception("purging expired drafts failed; will try again")
