"""Scheduled jobs, driven by an injected clock against the fake Bot API: each runs once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from telegram.ext import AIORateLimiter, ExtBot

from bot.config.settings import Settings
from bot.wiring.bootstrap import build_runtime
from tests.conftest import Clock
from tests.support import seed_000
from tests.support.jobs import telegram_jobs

pytestmark = pytest.mark.both_databases

STAFF_CHATS = (-100700, -100800)
ANALYST = 640000001


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["STAFF_CHAT_IDS"] = ",".join(map(str, STAFF_CHATS))
    settings_env["ANALYST_IDS"] = str(ANALYST)
    return settings_env


async def make_jobs(settings_env, clock):
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in settings_env.items()})
    runtime = await build_runtime(settings, clock=clock)
    bot = ExtBot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_base_url,
        rate_limiter=AIORateLimiter(),
    )
    await bot.initialize()
    return runtime, bot, telegram_jobs(runtime, bot)


async def close(runtime, bot):
    await bot.shutdown()
    await runtime.close()


async def seed_week(runtime, days: list[date]) -> None:
    answers = seed_000.answers()
    async with runtime.database.transaction() as tx:
        for n, day in enumerate(days):
            await tx.responses.add("social_services_v1", "telegram", answers[n], day)
        await tx.commit()


def digests(api, chat_id) -> list[str]:
    return [c.params["text"] for c in api.sent(chat_id) if "კვირის მიმოხილვა" in c.params["text"]]


async def test_monday_digest_is_sent_once_with_last_weeks_figures(fake_api, settings_env):
    clock = Clock()
    clock.now = datetime(2025, 9, 8, 5, 5, tzinfo=UTC)  # Monday 09:05 in Tbilisi
    runtime, bot, jobs = await make_jobs(settings_env, clock)
    try:
        await seed_week(
            runtime, [date(2025, 9, 1), date(2025, 9, 3), date(2025, 9, 7), date(2025, 9, 8)]
        )
        assert await jobs.tick() == ["digest:2025-W36"]
        assert await jobs.tick() == []
        for chat in STAFF_CHATS:
            [text] = digests(fake_api, chat)
            assert "01.09.2025 – 07.09.2025" in text and "პასუხები: <b>3</b>" in text
    finally:
        await close(runtime, bot)


async def test_a_missed_monday_is_caught_up_once_on_tuesday(fake_api, settings_env):
    clock = Clock()
    clock.now = datetime(2025, 9, 8, 4, 59, tzinfo=UTC)  # Monday 08:59: not yet
    runtime, bot, jobs = await make_jobs(settings_env, clock)
    try:
        assert await jobs.tick() == []
        clock.now = datetime(2025, 9, 9, 6, 0, tzinfo=UTC)  # the bot comes back on Tuesday
        assert await jobs.tick() == ["digest:2025-W36"]
        assert await jobs.tick() == []
        assert len(digests(fake_api, STAFF_CHATS[0])) == 1
    finally:
        await close(runtime, bot)


async def test_two_schedulers_on_one_database_send_each_digest_once(fake_api, settings_env):
    clock = Clock()
    clock.now = datetime(2025, 9, 8, 5, 30, tzinfo=UTC)
    first = await make_jobs(settings_env, clock)
    second = await make_jobs(settings_env, clock)
    try:
        results = await asyncio.gather(first[2].tick(), second[2].tick())
        assert sorted(map(len, results)) == [0, 1]
        for chat in STAFF_CHATS:
            assert len(digests(fake_api, chat)) == 1
    finally:
        await close(*first[:2])
        await close(*second[:2])


@pytest.mark.parametrize(
    ("first_month", "day_after", "label"),
    [
        # the municipality's quarters (default): June–August ends, the report goes on 1 September
        (None, datetime(2025, 9, 1, 5, 1, tzinfo=UTC), "2025Q1"),
        # calendar quarters: July–September ends, the report goes on 1 October
        ("1", datetime(2025, 10, 1, 5, 1, tzinfo=UTC), "2025Q3"),
    ],
)
async def test_quarterly_report_goes_to_analysts_and_the_public_one_to_staff(
    fake_api, settings_env, first_month, day_after, label
):
    if first_month:
        settings_env["QUARTER_START_MONTH"] = first_month
    clock = Clock()
    clock.now = day_after  # 09:01 in Tbilisi, the day after the quarter ends
    runtime, bot, jobs = await make_jobs(settings_env, clock)
    try:
        await seed_week(runtime, [date(2025, 8, 1)] * 5)
        assert f"report:{label}" in await jobs.tick()
        assert sorted(fake_api.documents(ANALYST)) == [
            f"report_{label}.docx",
            f"report_{label}.html",
            f"report_{label}.xlsx",
        ]
        assert sorted(fake_api.documents(STAFF_CHATS[0])) == [
            f"report_{label}_public.docx",
            f"report_{label}_public.html",
            f"report_{label}_public.xlsx",
        ]
        assert f"report:{label}" not in await jobs.tick()
    finally:
        await close(runtime, bot)


async def test_a_new_install_sends_no_report_of_a_quarter_long_past(fake_api, settings_env):
    clock = Clock()
    clock.now = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)  # Thursday, long after 1 October
    runtime, bot, jobs = await make_jobs(settings_env, clock)
    try:
        assert await jobs.tick() == ["digest:2025-W46"]  # Monday's digest is 3 days late
        assert fake_api.documents(ANALYST) == {}
    finally:
        await close(runtime, bot)


@pytest.mark.postgresql  # several processes need PostgreSQL; SQLite refuses a second one
async def test_two_bot_processes_on_one_database_send_the_digest_once(
    fake_api, settings_env, tmp_path
):
    from tests.support.process import start_bot

    env = {
        **settings_env,
        "SCHEDULED_JOBS": "true",
        "DIGEST_CRON": "* * * * *",
        "QUARTERLY_CRON": "0 9 1 1 *",
        "LOG_LEVEL": "DEBUG",  # APScheduler says when a tick is done at DEBUG only
    }
    first = await start_bot(fake_api, env, tmp_path)
    second = await start_bot(fake_api, env, tmp_path)
    try:
        await fake_api.wait_until(lambda: digests(fake_api, STAFF_CHATS[0]), limit=120)
        for process in (first, second):  # both have ticked: a second digest would be here
            await ticked(process)
        assert len(digests(fake_api, STAFF_CHATS[0])) == 1
        assert len(digests(fake_api, STAFF_CHATS[1])) == 1
    finally:
        for process in (first, second):
            process.terminate()
            await process.wait()


async def ticked(process: asyncio.subprocess.Process) -> None:
    """Waits until the process's scheduler has run its first tick to the end."""
    assert process.stderr is not None
    async with asyncio.timeout(120):
        while b"Jobs.tick" not in (line := await process.stderr.readline()) or (
            b"executed successfully" not in line
        ):
            assert line, "the bot process ended before its first tick"
