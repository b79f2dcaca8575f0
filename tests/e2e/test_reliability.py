"""Duplicates, crashes, expiry and an incomplete Bot API server."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import text

from bot.config.settings import Settings
from bot.entry.runner import serve
from bot.wiring.bootstrap import build_runtime
from tests.conftest import wait_for_polling
from tests.support.citizen import Citizen
from tests.support.flows import answer_up_to_summary, draft_count, stored_responses


async def test_update_delivered_twice_is_answered_once(running_bot):
    citizen = Citizen(running_bot.api, 430000001)
    await citizen.send("/start")
    await citizen.press("ზამთრის თბობა")
    assert len(await citizen.press("ქალი")) == 1
    assert await citizen.deliver_again(citizen.last_update) == []
    for label in ("სხვა", "სრულად"):
        await citizen.press(label)
    [question] = await citizen.send("3")
    assert "კითხვა 6 / 10" in question
    assert await citizen.deliver_again(citizen.last_update) == []
    _help, at = await citizen.send("/help")
    assert "კითხვა 6 / 10" in at


async def test_send_pressed_twice_by_redelivery_stores_one_response(running_bot):
    citizen = Citizen(running_bot.api, 430000002)
    await answer_up_to_summary(citizen)
    await citizen.press("გაგზავნა")
    assert await citizen.deliver_again(citizen.last_update) == []
    assert len(await stored_responses(running_bot.runtime)) == 1


async def test_crash_in_a_handler_ends_with_an_apology_and_an_anonymous_log(running_bot, caplog):
    caplog.set_level(logging.INFO)
    citizen = Citizen(running_bot.api, 430000003, username="crash_user_xyz")
    await citizen.send("/start")
    async with running_bot.runtime.database.engine.begin() as connection:
        await connection.execute(text("DROP TABLE drafts"))
    [apology] = await citizen.press("ზამთრის თბობა")
    assert "ბოდიში" in apology
    assert "handling a Telegram update failed" in caplog.text
    for identifier in ("430000003", "crash_user_xyz", "ნინო", "ბერიძე", "winter_heating"):
        assert identifier not in caplog.text


async def test_abandoned_draft_expires_after_the_configured_days(running_bot, clock):
    citizen = Citizen(running_bot.api, 430000004)
    await citizen.send("/start")
    await citizen.press("ზამთრის თბობა")
    clock.now += timedelta(days=6)
    [offer] = await citizen.send("/start")
    assert "გააგრძელოთ" in offer
    await citizen.press("გაგრძელება")
    clock.now += timedelta(days=7, minutes=1)
    intro, _question = await citizen.send("/start")
    assert "ანონიმური" in intro


async def test_purge_deletes_expired_drafts_but_never_responses(running_bot, clock):
    await answer_up_to_summary(Citizen(running_bot.api, 430000005))
    await Citizen(running_bot.api, 430000006).send("/start")
    done = Citizen(running_bot.api, 430000007)
    await answer_up_to_summary(done)
    await done.press("გაგზავნა")
    clock.now += timedelta(days=8)
    assert await running_bot.runtime.purge() == 2
    assert await draft_count(running_bot.runtime) == 0
    assert len(await stored_responses(running_bot.runtime)) == 1


async def test_bot_starts_when_the_server_lacks_set_my_commands(fake_api, settings_env, caplog):
    fake_api.unsupported.add("setMyCommands")
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in settings_env.items()})
    runtime = await build_runtime(settings)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(runtime, stop))
    try:
        await wait_for_polling(fake_api, serving)
        replies = await Citizen(fake_api, 430000008).send("/start")
        assert "კითხვა 1 / 10" in replies[-1]
        assert "setMyCommands" in caplog.text
    finally:
        stop.set()
        await serving
        await runtime.close()
