"""No log line carries what a citizen wrote, whatever fails (bot.wiring.log_privacy)."""

from __future__ import annotations

import io
import logging
import subprocess
import sys

from bot.wiring import log_privacy
from storage.transaction import SqlDrafts
from tests.support.citizen import Citizen
from tests.support.flows import STEPS, SUGGESTION, step_update

WRITTEN = "ჩემი მეზობელი ნინო ბერიძე"


async def test_a_failing_turn_logs_where_it_failed_but_not_the_draft_the_error_quoted(
    running_bot, monkeypatch
):
    """asyncpg's error for a value it cannot encode quotes the value: the draft's answers."""
    saved = SqlDrafts.save

    async def failing(self, key, version, draft, now):  # type: ignore[no-untyped-def]
        if WRITTEN in str(draft.answers):
            raise ValueError(f"invalid input for query argument $3: {draft.answers!r}")
        return await saved(self, key, version, draft, now)

    monkeypatch.setattr(SqlDrafts, "save", failing)
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    log_privacy.install([handler])
    logging.getLogger().addHandler(handler)
    try:
        citizen = Citizen(running_bot.api, 431000001)
        await citizen.send("/start")
        for step in STEPS[: STEPS.index(("send", SUGGESTION))]:
            await citizen.deliver(await step_update(citizen, step))
        [apology] = await citizen.send(WRITTEN)
    finally:
        logging.getLogger().removeHandler(handler)
    assert "ბოდიში" in apology
    log = written.getvalue()
    assert "ValueError" in log and "failing" in log, "the log still says where it failed"
    assert "ნინო" not in log and "winter_heating" not in log


def test_the_command_lines_logging_withholds_every_exceptions_message():
    """The handlers ``feedback-bot`` logs through, as it sets them up."""
    script = (
        "import logging\n"
        "from bot.entry.cli import _configure_logging\n"
        "_configure_logging('INFO')\n"
        "try:\n"
        "    try:\n"
        f"        raise KeyError({WRITTEN!r})\n"
        "    except KeyError as error:\n"
        f"        raise RuntimeError('could not save ' + {WRITTEN!r}) from error\n"
        "except RuntimeError as error:\n"
        "    logging.getLogger('bot').exception('a turn failed')\n"
        "    logging.getLogger('bot').warning('refused: %s', error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert "a turn failed" in done.stderr and "KeyError" in done.stderr
    assert "refused: RuntimeError" in done.stderr
    assert "ნინო" not in done.stderr
