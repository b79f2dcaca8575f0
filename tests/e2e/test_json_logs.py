"""LOG_FORMAT=json: every event one JSON line, for journald and log shippers, still private."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.citizen import Citizen
from tests.support.process import start_bot

WRITTEN = "ნინო ბერიძე, სოფელი ჭრები"


async def test_a_bot_run_with_json_logs_writes_one_json_object_per_line(
    fake_api, settings_env, tmp_path
):
    env = {**settings_env, "LOG_FORMAT": "json"}
    process = await start_bot(fake_api, env, tmp_path)
    try:
        citizen = Citizen(fake_api, 431000777)
        await citizen.send("/start")
    finally:
        process.terminate()
        _, stderr = await process.communicate()
    lines = [line for line in stderr.decode().splitlines() if line.strip()]
    events = [json.loads(line) for line in lines]  # a line that is not JSON fails here
    assert {"time", "level", "logger", "message"} <= set(events[0])
    assert any(event["message"] == "the bot has stopped" for event in events)
    assert all(event["time"].endswith("Z") for event in events)
    assert "431000777" not in stderr.decode()


def test_a_traceback_is_one_json_line_with_its_frames_and_no_message():
    script = (
        "import logging\n"
        "from bot.entry.cli import _configure_logging\n"
        "_configure_logging('INFO', 'json')\n"
        "try:\n"
        f"    raise KeyError({WRITTEN!r})\n"
        "except KeyError as error:\n"
        "    logging.getLogger('bot.x').exception('a turn failed')\n"
        "    logging.getLogger('bot.x').warning('refused: %s', error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    failed, refused = [json.loads(line) for line in done.stderr.splitlines()]
    assert failed["message"] == "a turn failed" and failed["level"] == "ERROR"
    assert "Traceback" in failed["error"] and "KeyError" in failed["error"]
    assert refused["message"] == "refused: KeyError" and failed["logger"] == "bot.x"
    assert "ნინო" not in done.stderr
