"""The bot as a separate process, the way an operator runs it."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from tests.support.fake_bot_api import FakeBotApi

START_LIMIT = 120.0
"""Seconds a bot process may take to start: generous, for a 2-core machine at load 5."""


def process_env(settings_env: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "FEEDBACK_"))}
    env.update(settings_env, PYTHONUNBUFFERED="1", NO_PROXY="127.0.0.1,localhost")
    return env


async def start_bot(
    api: FakeBotApi, settings_env: dict[str, str], cwd: Path, webhook: bool = False
) -> asyncio.subprocess.Process:
    """``feedback-bot run``; returns once it polls (or, with ``webhook``, has set its webhook)."""
    ready = "setWebhook" if webhook else "deleteWebhook"
    started = sum(call.method == ready for call in api.calls)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.entry.cli",
        "run",
        *(["--webhook"] if webhook else []),
        env=process_env(settings_env),
        cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline:
        if sum(call.method == ready for call in api.calls) > started:
            return process  # updates pushed from now on wait in the queue until fetched
        if process.returncode is not None:
            raise RuntimeError((await process.stderr.read()).decode())
        await asyncio.sleep(0.02)
    process.kill()
    raise TimeoutError("the bot process did not start polling")


async def kill_hard(process: asyncio.subprocess.Process) -> None:
    """kill -9: no clean-up, no chance to finish anything."""
    process.kill()
    await process.wait()
