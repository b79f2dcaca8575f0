"""Telegram webhook mode: several bot processes behind a load balancer, one database."""

from __future__ import annotations

import aiohttp
import pytest

from tests.conftest import free_port
from tests.support.citizen import Citizen
from tests.support.flows import EXPECTED, complete, draft_count, stored_responses
from tests.support.process import kill_hard, start_bot

pytestmark = pytest.mark.both_databases

PUBLIC_URL = "https://feedback.example.ge/telegram/webhook"


def webhook_env(settings_env: dict[str, str]) -> dict[str, str]:
    return {**settings_env, "TELEGRAM_WEBHOOK_URL": PUBLIC_URL, "WEBHOOK_PORT": str(free_port())}


def address(env: dict[str, str]) -> str:
    return f"http://127.0.0.1:{env['WEBHOOK_PORT']}/telegram/webhook"


async def test_two_processes_taking_turns_complete_one_citizens_questionnaire(
    fake_api, settings_env, tmp_path, running_runtime_for
):
    envs = [webhook_env(settings_env), webhook_env(settings_env)]
    processes = [await start_bot(fake_api, env, tmp_path, webhook=True) for env in envs]
    try:
        assert fake_api.webhook["url"] == PUBLIC_URL
        assert len(fake_api.webhook["secret_token"]) >= 32
        fake_api.webhook_targets = [address(env) for env in envs]
        await complete(Citizen(fake_api, 556677001))
        runtime = await running_runtime_for(settings_env)
        [response] = await stored_responses(runtime)
        assert response["answers"] == EXPECTED
        assert await draft_count(runtime) == 0
        assert set(fake_api.webhook_answers) == {200}
        async with aiohttp.ClientSession() as http:
            for env in envs:
                health = address(env).replace("/telegram/webhook", "/healthz")
                async with http.get(health) as response:
                    assert response.status == 200
    finally:
        for process in processes:
            await kill_hard(process)


async def test_webhook_call_without_the_secret_token_is_refused(
    fake_api, settings_env, tmp_path, running_runtime_for
):
    env = webhook_env(settings_env)
    process = await start_bot(fake_api, env, tmp_path, webhook=True)
    try:
        update = Citizen(fake_api, 556677002).message_update(text="/start")
        update["update_id"] = 1
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
                async with http.post(address(env), json=update, headers=headers) as response:
                    assert response.status == 403
        assert fake_api.sent(556677002) == []
        assert await draft_count(await running_runtime_for(settings_env)) == 0
    finally:
        await kill_hard(process)
