"""The README's first command on a fresh machine with nothing configured: the web
questionnaire, at the address it prints."""

from __future__ import annotations

import asyncio
import signal
import sys

import aiohttp

from tests.conftest import free_port
from tests.support.process import process_env


async def test_run_with_no_token_serves_the_web_questionnaire_at_the_address_it_prints(
    settings_env, tmp_path
):
    env = process_env(settings_env)
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "DATABASE_URL", "FEEDBACK_SECRET"):
        env.pop(name, None)
    port = free_port()
    env |= {"WEB_ENABLED": "true", "WEBHOOK_PORT": str(port), "LOG_LEVEL": "INFO"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.entry.cli",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    address = f"http://127.0.0.1:{port}/"
    try:
        async with asyncio.timeout(120):  # a first start migrates a new database
            while True:
                line = (await process.stderr.readline()).decode()
                assert line, "the bot stopped before it said where it listens"
                if "web browser" in line:
                    assert address in line and "the questionnaire in a web browser" in line
                    break
            async with aiohttp.ClientSession() as http:
                for _ in range(600):
                    try:
                        async with http.get(address) as response:
                            page = await response.text()
                            break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.1)
        assert response.status == 200 and "ამბროლაურის" in page and "<form" in page
        assert (tmp_path / "feedback.db").exists(), "the embedded SQLite default"
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 60) == 0
