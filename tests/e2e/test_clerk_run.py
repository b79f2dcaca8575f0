"""``feedback-bot run`` as a clerk leaves it: a quiet log in one language, a tidy folder."""

from __future__ import annotations

import asyncio
import signal
import sys

from tests.conftest import free_port
from tests.support.process import process_env

GEORGIAN = range(0x10A0, 0x1100)


async def test_a_clean_stop_leaves_no_lock_file_and_the_scheduler_says_nothing_at_info(
    settings_env, tmp_path
):
    env = process_env(settings_env)
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "DATABASE_URL", "FEEDBACK_SECRET"):
        env.pop(name, None)
    env |= {
        "WEB_ENABLED": "true",
        "WEBHOOK_PORT": str(free_port()),
        "LOG_LEVEL": "INFO",
        "SCHEDULED_JOBS": "true",
    }
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
    lines: list[str] = []
    try:
        async with asyncio.timeout(120):  # a first start migrates a new database
            while not any("web browser" in line for line in lines):
                line = (await process.stderr.readline()).decode()
                assert line, "the bot stopped before it served: " + "".join(lines)
                lines.append(line)
        assert (tmp_path / "feedback.db.lock").exists(), "held while the bot runs"
    finally:
        process.send_signal(signal.SIGTERM)
        _, rest = await asyncio.wait_for(process.communicate(), 60)
    lines += rest.decode().splitlines(keepends=True)
    assert process.returncode == 0, "".join(lines)
    assert not (tmp_path / "feedback.db.lock").exists()
    assert (tmp_path / "feedback.db").exists()
    assert not [line for line in lines if "apscheduler" in line], "".join(lines)
    assert any("the bot has stopped" in line for line in lines), "".join(lines)
    ours = [line for line in lines if " bot." in line and "web browser" not in line]
    assert ours and not [line for line in ours if any(ord(c) in GEORGIAN for c in line)], (
        "the operator's log is in English"
    )
