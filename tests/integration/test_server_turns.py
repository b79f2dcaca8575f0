"""PostgreSQL turns (``storage.turns.postgres``): an answer is one read and one write, and a
draft another process changed in between is never overwritten."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url

from bot.config.settings import Settings
from bot.dialogue.events import Incoming, Outcome, Sender, Start, Stop, Text
from bot.questionnaire.model import Draft
from bot.wiring.bootstrap import Runtime, build_runtime
from storage.schema import DraftRow
from storage.statements import for_driver
from storage.turns import StaleDraft
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


async def test_an_answer_is_one_read_and_one_write_and_the_next_one_write_only(
    settings_env: dict[str, str], postgres_server: PostgresServer, clock
) -> None:
    """What the server is asked per answer, read from its own statement log: the first
    answer reads the draft; the next one, to the process that saved it, only writes."""
    name = make_url(settings_env["DATABASE_URL"]).database
    postgres_server._psql(f"ALTER DATABASE \"{name}\" SET log_statement = 'all'")
    runtime = await build_runtime(as_settings(settings_env), clock=clock)
    log = Path(postgres_server.root) / "log"
    try:
        await runtime.router.handle(said("u1", Start()))
        first, statements = await logged(log, runtime.router.handle(said("u2", Text("1"))))
        second, then = await logged(log, runtime.router.handle(said("u3", Text("1"))))
    finally:
        await runtime.close()
    assert "კითხვა 2 / 10" in first.replies[-1].text
    assert len(statements) == 2, statements
    assert "SELECT EXISTS" in statements[0], "whether the update is new, and the draft"
    assert "WITH saved AS" in statements[1], "the draft saved and the update recorded"
    assert "კითხვა 3 / 10" in second.replies[-1].text
    assert len(then) == 1 and "WITH saved AS" in then[0], then


async def logged(log: Path, handled: Awaitable[Outcome]) -> tuple[Outcome, list[str]]:
    """The outcome, and the statements the server logged while it was worked out."""
    before = log.stat().st_size
    outcome = await handled
    with log.open(encoding="utf-8", errors="replace") as lines:
        lines.seek(before)
        return outcome, [line for line in lines if STATEMENT in line or EXECUTE in line]


@pytest.mark.parametrize("meanwhile", ["answers", "stops"])
async def test_a_draft_this_process_saved_and_another_changed_since_is_read_again(
    two_processes: list[Runtime], clock, meanwhile: str
) -> None:
    """This process keeps the draft it saved, to spare the next answer a read; another
    process answering for the person (or their /stop) in between is not written over."""
    mine, other = two_processes
    await mine.router.handle(said("u1", Start()))
    await mine.router.handle(said("u2", Text("1")))
    await other.router.handle(said("u3", Text("1") if meanwhile == "answers" else Stop()))
    outcome = await mine.router.handle(said("u4", Text("1")))
    key = mine.conversation.draft_key(Sender("telegram", USER))
    async with other.database.transaction() as tx:
        kept = await tx.drafts.load(key, clock() - timedelta(days=1))
    if meanwhile == "stops":
        assert kept is None, "a stopped questionnaire does not come back"
        assert "/ 10" not in outcome.replies[-1].text, "no question of a draft that is gone"
    else:
        assert "კითხვა 4 / 10" in outcome.replies[-1].text, "worked out from both answers"
        assert kept is not None and {"service", "gender", "info_source"} <= set(kept[1].answers)


async def test_an_update_delivered_again_to_the_process_that_answered_it_is_ignored(
    two_processes: list[Runtime], clock
) -> None:
    """The draft this process keeps is ahead of the repeated update: it changes nothing."""
    mine, _ = two_processes
    await mine.router.handle(said("u1", Start()))
    await mine.router.handle(said("u2", Text("1")))
    again = await mine.router.handle(said("u2", Text("2")))
    key = mine.conversation.draft_key(Sender("telegram", USER))
    async with mine.database.transaction() as tx:
        _, kept = await tx.drafts.load(key, clock() - timedelta(days=1))  # type: ignore[misc]
    assert again.replies == ()
    assert set(kept.answers) == {"service"} and kept.position == "gender"


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


async def test_a_turns_statements_say_what_they_changed(
    two_processes: list[Runtime], clock
) -> None:
    """The unit of work's statements go straight to the driver; what they changed still
    decides what people are told (a job run once, a draft that was there)."""
    mine, _ = two_processes
    await mine.router.handle(said("u1", Start()))
    key, now = mine.conversation.draft_key(Sender("telegram", USER)), clock()
    async with mine.database.turn() as tx:
        assert await tx.runs.claim("digest", "2026-W48", now)
        assert not await tx.runs.claim("digest", "2026-W48", now), "claimed once only"
        assert await tx.counts.on("a-key", now.date()) == 0
        await tx.counts.add("a-key", now.date())
        await tx.counts.add("a-key", now.date())
        assert await tx.counts.on("a-key", now.date()) == 2
        assert await tx.drafts.count() == 1
        assert await tx.drafts.delete(key)
        assert not await tx.drafts.delete(key)
        built_here = select(func.count()).select_from(DraftRow)  # not one of ours
        assert await tx._session.scalar(built_here) == 0
        await tx.commit()


def test_only_a_statement_built_once_goes_to_the_driver() -> None:
    """Compiled SQL is kept under a statement's id: one built per call could hand its id
    to another statement later, so it never goes there."""
    with pytest.raises(ValueError):
        for_driver(select(func.count()).select_from(DraftRow), postgresql.asyncpg.dialect())
