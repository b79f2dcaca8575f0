"""One gentle reminder for an unfinished questionnaire, never more, never after the end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram.ext import ExtBot

from tests.support.citizen import Citizen
from tests.support.flows import complete
from tests.support.jobs import telegram_jobs

pytestmark = pytest.mark.both_databases

REMINDER = "ბოლომდე არ შეავსეთ"


def reminders(api, chat_id: int) -> list[str]:
    return [c.params["text"] for c in api.sent(chat_id) if REMINDER in c.params["text"]]


async def test_unfinished_questionnaire_gets_one_reminder_that_continues_it(running_bot, clock):
    api, runtime = running_bot.api, running_bot.runtime
    unfinished = Citizen(api, 650000001)
    await unfinished.send("/start")
    await unfinished.press("ზამთრის თბობა")
    stopped = Citizen(api, 650000002)
    await stopped.send("/start")
    await stopped.send("/stop")
    finished = Citizen(api, 650000003)
    await complete(finished)
    bot = ExtBot(
        runtime.settings.telegram_bot_token.get_secret_value(),
        base_url=runtime.settings.telegram_base_url,
    )
    async with bot:
        jobs = telegram_jobs(runtime, bot)
        clock.now += timedelta(hours=23)
        assert "reminders:1" not in await jobs.tick()
        clock.now += timedelta(hours=2)
        assert "reminders:1" in await jobs.tick()
        clock.now += timedelta(days=2)
        assert not any(run.startswith("reminders") for run in await jobs.tick())
    assert len(reminders(api, 650000001)) == 1
    assert reminders(api, 650000002) == [] and reminders(api, 650000003) == []
    message = api.messages[(650000001, api.sent(650000001)[-1].result_id)]
    [question] = await unfinished.press("გაგრძელება", message=message)
    assert "კითხვა 2 / 10" in question


async def test_answering_again_after_the_reminder_does_not_bring_a_second_one(running_bot, clock):
    api, runtime = running_bot.api, running_bot.runtime
    citizen = Citizen(api, 650000004)
    await citizen.send("/start")
    bot = ExtBot(
        runtime.settings.telegram_bot_token.get_secret_value(),
        base_url=runtime.settings.telegram_base_url,
    )
    async with bot:
        jobs = telegram_jobs(runtime, bot)
        clock.now += timedelta(hours=25)
        await jobs.tick()
        await citizen.press("ზამთრის თბობა")
        clock.now += timedelta(hours=25)
        await jobs.tick()
    assert len(reminders(api, 650000004)) == 1


class TestDisabled:
    @pytest.fixture
    def settings_env(self, settings_env: dict[str, str]) -> dict[str, str]:
        settings_env["REMINDER_AFTER_HOURS"] = "0"
        return settings_env

    async def test_zero_hours_turns_reminders_off(self, running_bot, clock):
        api, runtime = running_bot.api, running_bot.runtime
        await Citizen(api, 650000009).send("/start")
        bot = ExtBot(
            runtime.settings.telegram_bot_token.get_secret_value(),
            base_url=runtime.settings.telegram_base_url,
        )
        async with bot:
            clock.now += timedelta(days=3)
            await telegram_jobs(runtime, bot).tick()
        assert reminders(api, 650000009) == []


async def test_the_reminder_counts_from_the_last_answer_not_the_first(running_bot, clock):
    api, runtime = running_bot.api, running_bot.runtime
    citizen = Citizen(api, 650000005)
    await citizen.send("/start")
    clock.now += timedelta(hours=20)
    await citizen.press("ზამთრის თბობა")
    bot = ExtBot(
        runtime.settings.telegram_bot_token.get_secret_value(),
        base_url=runtime.settings.telegram_base_url,
    )
    async with bot:
        jobs = telegram_jobs(runtime, bot)
        clock.now += timedelta(hours=5)  # a day after /start, five hours after the answer
        await jobs.tick()
        assert reminders(api, 650000005) == []
        clock.now += timedelta(hours=20)
        assert "reminders:1" in await jobs.tick()
    assert len(reminders(api, 650000005)) == 1
