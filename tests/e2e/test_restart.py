"""kill -9 at any point and start again: the citizen goes on where they were."""

from __future__ import annotations

import signal
from dataclasses import asdict
from datetime import date

import pytest

from bot.settings import Settings
from storage import open_database
from tests.support.citizen import Citizen
from tests.support.flows import EXPECTED, NEED, SUGGESTION
from tests.support.process import kill_hard, start_bot

pytestmark = pytest.mark.both_databases

STEPS = [
    ("press", "ზამთრის თბობა"),
    ("press", "ქალი"),
    ("press", "ნათესავისგან"),
    ("press", "ნაწილობრივ"),
    ("press", "3 — მარტივი"),
    ("send", "4"),
    ("press", "5 — ძალიან კარგი"),
    ("press", "4 — ცდილობდნენ"),
    ("press", "დიახ"),
    ("send", NEED),
    ("send", SUGGESTION),
    ("press", "გაგზავნა"),
]


async def take(citizen: Citizen, step: tuple[str, str]) -> list[str]:
    kind, value = step
    return await (citizen.press(value) if kind == "press" else citizen.send(value))


@pytest.mark.parametrize("killed_after", [0, 4, 10])
async def test_kill_9_mid_questionnaire_resumes_at_same_question(
    fake_api, settings_env, tmp_path, killed_after
):
    citizen = Citizen(fake_api, 450000001)
    bot = await start_bot(fake_api, settings_env, tmp_path)
    await citizen.send("/start")
    for step in STEPS[:killed_after]:
        await take(citizen, step)
    await kill_hard(bot)
    bot = await start_bot(fake_api, settings_env, tmp_path)
    try:
        # The buttons of the message sent before the restart still work.
        replies = await take(citizen, STEPS[killed_after])
        assert replies and "ბოდიში" not in replies[0]
        for step in STEPS[killed_after + 1 :]:
            await take(citizen, step)
        assert "გმადლობთ" in citizen.received[-1]["text"]
    finally:
        bot.send_signal(signal.SIGTERM)
        await bot.wait()
    settings = Settings(_env_file=None, database_url=settings_env["DATABASE_URL"])
    database = await open_database(settings.database_url)
    async with database.analysis() as analysis:
        [found] = await analysis.responses_between(date.min, date.max)
    response = asdict(found)
    await database.close()
    assert response["answers"] == EXPECTED


async def test_restart_then_start_offers_to_continue_with_answers_kept(
    fake_api, settings_env, tmp_path
):
    citizen = Citizen(fake_api, 450000002)
    bot = await start_bot(fake_api, settings_env, tmp_path)
    await citizen.send("/start")
    for step in STEPS[:3]:
        await take(citizen, step)
    await kill_hard(bot)
    bot = await start_bot(fake_api, settings_env, tmp_path)
    try:
        [offer] = await citizen.send("/start")
        assert "გააგრძელოთ" in offer
        [question] = await citizen.press("გაგრძელება")
        assert "კითხვა 4 / 10" in question
        await citizen.press("უკან")
        assert "ახლანდელი პასუხი: ნათესავისგან" in citizen.received[-1]["text"]
    finally:
        bot.send_signal(signal.SIGINT)
        assert await bot.wait() == 0
