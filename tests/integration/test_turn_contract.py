"""The turn port's contract (``bot.dialogue.store``, ``storage.turns``), held the same way
against every path a database may be opened with and against the in-memory fake.

Paths: ``general`` (SQLAlchemy's session), ``fast`` (SQLite's or PostgreSQL's own, as the
bot runs), ``memory`` (``tests/support/memory_store.py``). Each test runs on SQLite and on
PostgreSQL; the fake needs only one of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial

import pytest

from bot.dialogue.store import StaleDraft, UnitOfWork
from bot.questionnaire.model import Draft
from storage import open_database
from tests.support.memory_store import MemoryStore

pytestmark = pytest.mark.both_databases

NOW = datetime(2025, 9, 8, 9, 0, tzinfo=UTC)
EARLIER = NOW - timedelta(days=1)
DAY = date(2025, 9, 8)
KEY = "ab" * 32
"""A draft key as the conversation makes them (hex: its first digits are the lock's id)."""

Units = Callable[[], AbstractAsyncContextManager[UnitOfWork]]


@dataclass
class Path:
    turn: Units
    """A turn of this process."""
    other: Units
    """A turn of another process on the same database."""
    waiting: Callable[[], Awaitable[int]]
    """Forms in the ballot box."""
    locks: bool
    """The draft is locked for the turn (another turn waits); else checked at the commit."""


@pytest.fixture(params=["general", "fast", "memory"])
async def path(request: pytest.FixtureRequest, database_kind: str) -> AsyncIterator[Path]:
    if request.param == "memory":
        if database_kind != "sqlite":
            pytest.skip("the fake has no database: one run is enough")
        store = MemoryStore()

        async def in_box() -> int:
            return len(store.state.box)

        yield Path(store.transaction, store.transaction, in_box, locks=False)
        return
    url = request.getfixturevalue("database_url")
    fast = request.param == "fast"
    mine = await open_database(url, fast_turns=fast)
    theirs = await open_database(url, migrate=False, fast_turns=fast)
    checks = fast and database_kind == "postgresql"
    try:
        yield Path(
            partial(mine.turn, stale=StaleDraft),
            partial(theirs.turn, stale=StaleDraft),
            mine.forms_waiting,
            locks=not checks,
        )
    finally:
        await theirs.close()
        await mine.close()


async def answer(turn: Units, update: str, mark: str, key: str = KEY) -> None:
    """A turn as the router runs it: worked out again while the draft changes meanwhile."""
    for _ in range(5):
        try:
            async with turn() as uow:
                if not await uow.deliveries.first("telegram", update, NOW, key):
                    return
                found = await uow.drafts.load(key, EARLIER)
                answers = dict(found[1].answers) if found else {}
                await uow.drafts.save(key, "v1", Draft("q", {**answers, mark: "yes"}), NOW)
                await uow.commit()
                return
        except StaleDraft:
            continue
    raise AssertionError("never saved")


async def draft(path: Path, key: str = KEY) -> Draft | None:
    async with path.turn() as uow:
        found = await uow.drafts.load(key, EARLIER)
    return None if found is None else found[1]


@pytest.mark.parametrize("with_draft", [False, True], ids=["no draft", "a draft's turn"])
async def test_an_update_delivered_again_is_handled_once(path: Path, with_draft: bool) -> None:
    lock = KEY if with_draft else None
    async with path.turn() as uow:
        assert await uow.deliveries.first("telegram", "u1", NOW, lock)
        await uow.commit()
    async with path.turn() as uow:
        assert not await uow.deliveries.first("telegram", "u1", NOW, lock)
    async with path.turn() as uow:
        assert await uow.deliveries.first("messenger", "u1", NOW, lock), "per channel"


async def test_an_update_is_not_recorded_unless_its_turn_commits(path: Path) -> None:
    async with path.turn() as uow:
        assert await uow.deliveries.first("telegram", "u1", NOW, KEY)
    async with path.turn() as uow:
        assert await uow.deliveries.first("telegram", "u1", NOW, KEY)


async def test_a_draft_is_saved_loaded_and_deleted(path: Path) -> None:
    """Answers come back as given (Georgian text, a list of choices: the fast paths
    prepare and read values as SQLAlchemy would, ``storage.statements.for_driver``)."""
    await answer(path.turn, "u1", "gender")
    await answer(path.turn, "u2", "age")
    kept = await draft(path)
    assert kept is not None and kept.position == "q" and set(kept.answers) == {"gender", "age"}
    given = {"name": "ნინო", "needs": ["food", "heating"], "age": "71"}
    async with path.turn() as uow:
        assert await uow.deliveries.first("telegram", "u3", NOW, KEY)
        await uow.drafts.load(KEY, EARLIER)
        await uow.drafts.save(KEY, "v2", Draft("needs", given), NOW)
        await uow.commit()
    async with path.other() as uow:
        assert await uow.drafts.load(KEY, NOW) == ("v2", Draft("needs", given)), "as saved"
    async with path.turn() as uow:
        assert await uow.drafts.delete(KEY)
        await uow.commit()
    assert await draft(path) is None
    async with path.turn() as uow:
        assert not await uow.drafts.delete(KEY)


async def test_a_draft_not_answered_since_is_gone_when_loaded(path: Path) -> None:
    await answer(path.turn, "u1", "gender")
    async with path.turn() as uow:
        assert await uow.drafts.load(KEY, NOW + timedelta(seconds=1)) is None
        await uow.commit()
    assert await draft(path) is None


async def test_nothing_of_a_turn_is_kept_without_its_commit(path: Path) -> None:
    async with path.turn() as uow:
        assert await uow.deliveries.first("telegram", "u1", NOW, KEY)
        await uow.drafts.save(KEY, "v1", Draft("q", {"gender": "f"}), NOW)
        await uow.counts.add("sender", DAY)
        await uow.responses.drop_in_box("v1", "telegram", {"gender": "f"}, DAY)
    assert await draft(path) is None
    assert await path.waiting() == 0
    async with path.turn() as uow:
        assert await uow.counts.on("sender", DAY) == 0


async def test_a_draft_another_turn_changed_meanwhile_is_never_written_over(path: Path) -> None:
    """The same person's next message, handled by another process between this turn's
    read and its commit: both answers are kept. A path that locks the draft makes the
    other turn wait; one that does not raises ``StaleDraft`` (nothing of the turn kept),
    and the turn, worked out again, builds on the other's answer."""
    await answer(path.turn, "u0", "first")
    theirs: asyncio.Task[None] | None = None
    tries = 0
    while tries < 5:
        tries += 1
        try:
            async with path.turn() as mine:
                assert await mine.deliveries.first("telegram", "mine", NOW, KEY)
                found = await mine.drafts.load(KEY, EARLIER)
                assert found is not None
                if theirs is None:
                    theirs = asyncio.create_task(answer(path.other, "theirs", "theirs"))
                    if not path.locks:
                        await theirs  # nothing holds it up: it commits first
                    else:
                        for _ in range(20):  # it runs as far as the lock lets it
                            await asyncio.sleep(0)
                answers = {**found[1].answers, "mine": "yes"}
                await mine.drafts.save(KEY, "v1", Draft("q", answers), NOW)
                await mine.commit()
            break
        except StaleDraft:
            continue
    assert theirs is not None
    await asyncio.wait_for(theirs, 30)
    kept = await draft(path)
    assert kept is not None and set(kept.answers) == {"first", "mine", "theirs"}
    assert tries == (1 if path.locks else 2), "worked out again exactly once"


async def test_the_daily_count_counts_each_committed_send(path: Path) -> None:
    for _ in range(2):
        async with path.turn() as uow:
            await uow.counts.add("sender", DAY)
            await uow.commit()
    async with path.turn() as uow:
        assert await uow.counts.on("sender", DAY) == 2
        assert await uow.counts.on("sender", DAY + timedelta(days=1)) == 0
        assert await uow.counts.on("someone else", DAY) == 0


async def test_a_form_dropped_in_the_box_waits_there(path: Path) -> None:
    async with path.turn() as uow:
        assert await uow.deliveries.first("telegram", "send", NOW, KEY)
        await uow.responses.drop_in_box("v1", "telegram", {"gender": "f"}, DAY)
        await uow.drafts.delete(KEY)
        await uow.commit()
    assert await path.waiting() == 1
