"""SQLite turns run on the event loop (``storage.turns.sqlite``): a busy database never
blocks it."""

from __future__ import annotations

import asyncio
import sqlite3

from bot.config.settings import Settings
from bot.dialogue.events import Incoming, Sender, Start
from bot.wiring.bootstrap import build_runtime
from tests.support.flows import draft_count


def as_settings(env: dict[str, str]) -> Settings:
    return Settings(_env_file=None, **{key.lower(): value for key, value in env.items()})


async def test_a_turn_waits_for_another_writer_without_blocking_the_bot(settings_env, clock):
    """SQLite: while another process holds the write lock, the citizen's answer waits for
    it (and is then kept), and the bot goes on with everything else in the meantime."""
    runtime = await build_runtime(as_settings(settings_env), clock=clock)
    other = sqlite3.connect(runtime.database.engine.url.database, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
        answer = asyncio.create_task(
            runtime.router.handle(Incoming(Sender("telegram", "77", update_key="u1"), Start()))
        )
        ticks = 0
        while ticks < 20:  # the loop keeps turning while the answer waits
            await asyncio.sleep(0.01)
            ticks += 1
        assert not answer.done(), "the answer must wait for the other writer"
        other.execute("COMMIT")
        outcome = await asyncio.wait_for(answer, 10)
        assert "კითხვა 1 / 10" in outcome.replies[-1].text
        assert await draft_count(runtime) == 1
    finally:
        other.close()
        await runtime.close()
