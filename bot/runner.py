"""Running the Telegram bot with long polling until asked to stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from telegram.error import InvalidToken

from bot.analyst import Analyst
from bot.bootstrap import Runtime, StartupError
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


async def serve_polling(runtime: Runtime, stop: asyncio.Event | None = None) -> None:
    """Polls until ``stop`` is set, or SIGINT/SIGTERM when no event is given."""
    settings, locale = runtime.settings, runtime.content.locale
    if settings.telegram_bot_token is None:
        raise StartupError(locale.t("cli.missing_token"))
    stop = stop or _stop_on_signals()
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
    scheduler = _scheduler(runtime, application) if settings.scheduled_jobs else None
    purging = None if scheduler else asyncio.create_task(_purge_regularly(runtime))
    try:
        await register_commands(application, locale, settings.analyst_ids, settings.staff_ids)
        await application.start()
        await application.updater.start_polling(
            poll_interval=0.0, allowed_updates=["message", "callback_query"]
        )
        if scheduler is not None:
            scheduler.start()
        log.info(locale.t("cli.started", username=application.bot.username))
        await stop.wait()
        await application.updater.stop()
        await application.stop()
    finally:
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)
        if purging is not None:
            purging.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await purging
        await application.shutdown()
        log.info(locale.t("cli.stopped"))


def _scheduler(runtime: Runtime, application: object) -> AsyncIOScheduler:
    """Ticks every minute, and once at start so that a run missed while down is caught up."""
    jobs = Jobs(runtime, application.bot)  # type: ignore[attr-defined]
    scheduler = AsyncIOScheduler(timezone=runtime.settings.zone)
    scheduler.add_job(
        jobs.tick,
        IntervalTrigger(minutes=1),
        next_run_time=datetime.now(runtime.settings.zone),
        max_instances=1,
        coalesce=True,
    )
    return scheduler


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
