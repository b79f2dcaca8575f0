"""Telegram webhook mode: several bot processes behind a load balancer, one database."""

from __future__ import annotations

import asyncio
import sys

import aiohttp
import pytest

from tests.conftest import free_port
from tests.support.citizen import Citizen
from tests.support.flows import (
    EXPECTED,
    answer_through_an_outage,
    complete,
    draft_count,
    stored_responses,
)
from tests.support.process import kill_hard, process_env, start_bot

PUBLIC_URL = "https://feedback.example.ge/telegram/webhook"


def webhook_env(settings_env: dict[str, str]) -> dict[str, str]:
    return {**settings_env, "TELEGRAM_WEBHOOK_URL": PUBLIC_URL, "WEBHOOK_PORT": str(free_port())}


def address(env: dict[str, str]) -> str:
    return f"http://127.0.0.1:{env['WEBHOOK_PORT']}/telegram/webhook"


@pytest.mark.postgresql
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


@pytest.mark.both_databases
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


async def test_a_malformed_body_with_the_right_secret_is_answered_400_and_logged_in_one_line(
    fake_api, settings_env, tmp_path
):
    env = webhook_env(settings_env)
    process = await start_bot(fake_api, env, tmp_path, webhook=True)
    try:
        headers = {"X-Telegram-Bot-Api-Secret-Token": fake_api.webhook["secret_token"]}
        async with aiohttp.ClientSession() as http:
            for body in ("[]", '{"message": 5}', '{"update_id": 7, "message": 5}', "nonsense"):
                async with http.post(address(env), data=body, headers=headers) as response:
                    assert response.status == 400, body
            good = Citizen(fake_api, 556677003).message_update(text="/start")
            good["update_id"] = 8
            async with http.post(address(env), json=good, headers=headers) as response:
                assert response.status == 200
    finally:
        process.terminate()
        _, stderr = await process.communicate()
    log = stderr.decode()
    assert "Traceback" not in log
    assert log.count("not an update was refused") == 4


async def test_a_second_process_on_one_sqlite_file_is_refused_in_one_line(
    fake_api, settings_env, tmp_path
):
    first = await start_bot(fake_api, webhook_env(settings_env), tmp_path, webhook=True)
    try:
        second = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.entry.cli",
            "run",
            "--webhook",
            env=process_env({**webhook_env(settings_env), "LOG_LEVEL": "WARNING"}),
            cwd=tmp_path,
            stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await asyncio.wait_for(second.communicate(), 120)
        assert second.returncode != 0
        lines = stderr.decode().strip().splitlines()
        assert len(lines) == 1 and "PostgreSQL" in lines[0] and "Traceback" not in lines[0]
        assert first.returncode is None  # the first one goes on serving
    finally:
        await kill_hard(first)


@pytest.mark.postgresql
async def test_a_webhook_update_that_fails_gets_the_apology_and_the_answer_is_taken_after(
    fake_api, settings_env, tmp_path, postgres_server
):
    """Read from its JSON and answered outside the framework's dispatch, a failing update
    still ends with a kind word, and Telegram is told it arrived."""
    env = webhook_env(settings_env)
    process = await start_bot(fake_api, env, tmp_path, webhook=True)
    try:
        fake_api.webhook_targets = [address(env)]
        replies = await answer_through_an_outage(Citizen(fake_api, 556677010), postgres_server)
        assert "კითხვა 5 /" in replies[-1], "the same answer, taken once the database is back"
        assert set(fake_api.webhook_answers) == {200}
    finally:
        await kill_hard(process)
