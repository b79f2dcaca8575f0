"""kill -9 at any point and start again: the citizen goes on where they were."""

from __future__ import annotations

import asyncio
import re
import signal

import pytest

from bot.questionnaire.content import load_content
from bot.questionnaire.numbering import question_numbers
from tests.support.citizen import Citizen
from tests.support.flows import EXPECTED, STEPS, step_update, stored_responses
from tests.support.process import kill_hard, start_bot

pytestmark = pytest.mark.both_databases
SHOWN = list(question_numbers(load_content("ka").questionnaire).values())
"""The question numbers in the order asked: 1 … 9, 9ა, 10."""


async def take(citizen: Citizen, step: tuple[str, str]) -> list[str]:
    kind, value = step
    return await (citizen.press(value) if kind == "press" else citizen.send(value))


def position(prompt: str) -> int:
    """Which of STEPS the question on screen is answered by (the summary is the last)."""
    found = re.search(r"კითხვა (\d+ა?) / \d+", prompt)
    return SHOWN.index(found.group(1)) if found else len(STEPS) - 1


async def test_kill_9_at_every_question_with_an_answer_in_flight_loses_and_repeats_nothing(
    fake_api, settings_env, tmp_path, running_runtime_for
):
    """Each answer is killed in flight (at a different moment each time), then the bot is
    started again and the citizen asks to continue: they are at that question or the next,
    never elsewhere, and the one stored response has every answer once."""
    citizen = Citizen(fake_api, 450000001)
    bot = await start_bot(fake_api, settings_env, tmp_path)
    await citizen.send("/start")
    at = 0
    try:
        for attempt in range(len(STEPS) * 2):
            await fake_api.push(await step_update(citizen, STEPS[at]))
            await asyncio.sleep((attempt % 4) * 0.02)
            await kill_hard(bot)
            bot = await start_bot(fake_api, settings_env, tmp_path)
            runtime = await running_runtime_for(settings_env)
            if at == len(STEPS) - 1 and await stored_responses(runtime):
                break
            await citizen.send("/start")
            await citizen.press("გაგრძელება")
            now = position(citizen.received[-1]["text"])
            assert now in (at, at + 1), f"was at {at}, came back at {now}"
            at = now
        else:
            raise AssertionError("the questionnaire never completed")
    finally:
        bot.send_signal(signal.SIGTERM)
        await bot.wait()
    [response] = await stored_responses(runtime)
    assert response["answers"] == EXPECTED


async def test_buttons_sent_before_a_restart_still_work(fake_api, settings_env, tmp_path):
    citizen = Citizen(fake_api, 450000004)
    bot = await start_bot(fake_api, settings_env, tmp_path)
    await citizen.send("/start")
    for step in STEPS[:4]:
        await take(citizen, step)
    await kill_hard(bot)
    bot = await start_bot(fake_api, settings_env, tmp_path)
    try:
        replies = await take(citizen, STEPS[4])
        assert replies and "ბოდიში" not in replies[0] and "კითხვა 6" in replies[-1]
    finally:
        bot.send_signal(signal.SIGTERM)
        await bot.wait()


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


async def test_a_form_a_crash_left_in_the_ballot_box_is_counted_as_soon_as_the_bot_is_back(
    fake_api, settings_env, tmp_path, running_runtime_for
):
    """Killed between the commit of "send" and the mixing, the form waits in the box; the
    next start mixes it (it is due: the box holds its batch) before serving, not a minute
    later, so a report asked for right away counts it."""
    runtime = await running_runtime_for(settings_env)
    async with runtime.database.transaction() as tx:
        await tx.responses.drop_in_box(
            runtime.content.questionnaire.version,
            "telegram",
            EXPECTED,
            runtime.today(),
        )
        await tx.commit()
    assert await stored_responses(runtime) == []
    bot = await start_bot(fake_api, settings_env, tmp_path)
    try:
        [response] = await stored_responses(runtime)
        assert response["answers"] == EXPECTED
    finally:
        bot.send_signal(signal.SIGTERM)
        await bot.wait()
