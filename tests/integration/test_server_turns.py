"""PostgreSQL turns (``storage.server_turns``): an answer is one read and one write, and a
draft another process changed in between is never overwritten."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.bootstrap import Runtime, build_runtime
from bot.dialogue.events import Incoming, Sender, Start, Stop, Text
from bot.questionnaire.model import Draft, StaleDraft
from bot.settings import Settings
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.postgresql
USER = "4242"
STATEMENT, EXECUTE = "LOG:  statement:", "LOG:  execute"
"""How the server logs a statement (the first line of it)."""


def as_settings(env: dict[str, str]) -> Settings:
    return Settings(_env_file=None, **{key.lower(): value for key, value in env.items()})


@pytest.fixture
async def two_processes(settings_env: dict[str, str], clock) -> AsyncIterator[list[Runtime]]:
    settings = as_settings(settings_env)
    runtimes = [
        await build_runtime(settings, clock=clock),
        await build_runtime(settings, clock=clock),
    ]
    yield runtimes
    for runtime in runtimes:
        await runtime.close()


def said(update_key: str, event: object) -> Incoming:
    return Incoming(Sender("telegram", USER, update_key=update_key), event)  # type: ignore[arg-type]


async def test_an_answer_is_one_read_and_one_write(
    settings_env: dict[str, str], postgres_server: PostgresServer, clock
) -> None:
    """What the server is asked for one answer, read from its own statement log."""
    name = make_url(settings_env["DATABASE_URL"]).database
    postgres_server._psql(f"ALTER DATABASE \"{name}\" SET log_statement = 'all'")
    runtime = await build_runtime(as_settings(settings_env), clock=clock)
    log = Path(postgres_server.root) / "log"
    try:
        await runtime.router.handle(said("u1", Start()))
        before = log.stat().st_size
        outcome = await runtime.router.handle(said("u2", Text("1")))
        with log.open(encoding="utf-8", errors="replace") as lines:
            lines.seek(before)
            statements = [line for line in lines if STATEMENT in line or EXECUTE in line]
    finally:
        await runtime.close()
    assert "კითხვა 2 / 10" in outcome.replies[-1].text
    assert len(statements) == 2, statements
    assert "SELECT EXISTS" in statements[0], "whether the update is new, and the draft"
    assert "WITH saved AS" in statements[1], "the draft saved and the update recorded"


@pytest.mark.parametrize("then", ["save", "save and plan a reminder"])
@pytest.mark.parametrize("meanwhile", ["answers", "stops"])
async def test_a_draft_changed_by_another_process_meanwhile_is_not_overwritten(
    two_processes: list[Runtime], clock, then: str, meanwhile: str
) -> None:
    """Another process handles the same person's answer (or /stop, which deletes the
    draft) between this turn's reading and its commit: nothing of this turn is written."""
    mine, other = two_processes
    await other.router.handle(said("u1", Start()))
    key = mine.conversation.draft_key(Sender("telegram", USER))
    now = clock()
    async with mine.database.turn() as tx:
        assert await tx.deliveries.first("telegram", "mine", now, key)
        version, draft = await tx.drafts.load(key, now - timedelta(days=1))  # type: ignore[misc]
        await other.router.handle(said("u2", Text("1") if meanwhile == "answers" else Stop()))
        await tx.drafts.save(key, version, Draft("gender", {"service": "stale"}), now)
        with pytest.raises(StaleDraft):
            if then != "save":
                await tx.reminders.plan(key, "sealed", now)
            await tx.commit()
    async with other.database.transaction() as tx:
        kept = await tx.drafts.load(key, now - timedelta(days=1))
        if meanwhile == "stops":
            assert kept is None, "a stopped questionnaire does not come back"
        else:
            assert kept is not None and kept[1].answers.get("service") != "stale"
            assert kept[1].position != draft.position, "the other process's answer stays"
        assert await tx.deliveries.first("telegram", "mine", now), "not recorded: it comes again"


async def test_a_turn_holding_the_drafts_lock_keeps_an_answer_waiting_not_lost(
    two_processes: list[Runtime], clock, settings_env: dict[str, str]
) -> None:
    """A turn under the draft's lock (a channel without update numbers, such as the web)
    holds the draft's row: another process's answer waits, then is worked out again from
    what that turn saved."""
    mine, other = two_processes
    await mine.router.handle(said("u1", Start()))
    key = mine.conversation.draft_key(Sender("telegram", USER))
    now = clock()
    async with mine.database.turn() as tx:
        await tx.drafts.lock(key)
        version, _ = await tx.drafts.load(key, now - timedelta(days=1))  # type: ignore[misc]
        answer = asyncio.create_task(other.router.handle(said("u2", Text("1"))))
        await until_a_statement_waits_for_a_lock(settings_env["DATABASE_URL"], answer)
        await tx.drafts.save(key, version, Draft("gender", {"service": "mine"}), now)
        await tx.commit()
    outcome = await asyncio.wait_for(answer, 30)
    assert "კითხვა 3 / 10" in outcome.replies[-1].text
    async with other.database.transaction() as tx:
        _, kept = await tx.drafts.load(key, now - timedelta(days=1))  # type: ignore[misc]
    assert kept.answers.get("service") == "mine" and "gender" in kept.answers


async def until_a_statement_waits_for_a_lock(url: str, task: asyncio.Task) -> None:
    """Until the server shows a statement waiting for a lock (or ``task`` ended early)."""
    server = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        for _ in range(2000):
            if task.done():
                return
            if await server.fetchval("SELECT count(*) FROM pg_locks WHERE NOT granted"):
                return
            await asyncio.sleep(0.01)
        raise TimeoutError("no statement came to wait for the draft's lock")
    finally:
        await server.close()


async def test_one_update_given_to_two_processes_at_once_is_answered_once(
    two_processes: list[Runtime],
) -> None:
    await two_processes[0].router.handle(said("u1", Start()))
    answer = said("u2", Text("1"))
    outcomes = await asyncio.gather(*(p.router.handle(answer) for p in two_processes))
    answered = [outcome for outcome in outcomes if outcome.replies]
    assert len(answered) == 1, "one process answers; the other finds the update handled"


async def test_a_draft_created_meanwhile_is_not_overwritten_by_a_turn_under_the_lock(
    two_processes: list[Runtime], clock
) -> None:
    """A turn under the draft's lock read "no draft"; meanwhile another process's checked
    turn (which takes no lock) created one. Saving is refused, not an overwrite, and the
    turn is worked out again. (The dialogue's own first messages take the lock today: this
    holds the storage to it whatever a turn does.)"""
    mine, other = two_processes
    key = mine.conversation.draft_key(Sender("telegram", USER))
    now, fresh = clock(), clock() - timedelta(days=1)
    async with mine.database.turn() as tx:
        await tx.drafts.lock(key)
        assert await tx.drafts.load(key, fresh) is None
        async with other.database.turn() as theirs:
            assert await theirs.deliveries.first("telegram", "u1", now, key)
            assert await theirs.drafts.load(key, fresh) is None
            await theirs.drafts.save(key, "v", Draft("gender", {"service": "theirs"}), now)
            await theirs.commit()
        with pytest.raises(StaleDraft):
            await tx.drafts.save(key, "v", Draft("gender", {"service": "mine"}), now)
    async with other.database.transaction() as tx:
        _, kept = await tx.drafts.load(key, fresh)  # type: ignore[misc]
    assert kept.answers["service"] == "theirs", "the other process's new draft stays"
