"""The "what we changed" entries kept in the database, on SQLite and PostgreSQL alike, and
in the in-memory unit of work the dialogue's tests use: the same answers from both."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from bot.application.changes import Changes
from bot.application.refusal import Refusal
from bot.questionnaire.changes import Status
from storage import open_database
from tests.support.memory_store import MemoryStore

pytestmark = pytest.mark.both_databases


async def exercise(changes: Changes, today: list[date]) -> None:
    first = await changes.add("რიგი მერიაში", "მიღება ორშაბათობითაც", "planned")
    today[0] = date(2025, 11, 3)
    second = await changes.add(
        "  დოკუმენტები   ერთ ვიზიტში ", "ონლაინ განაცხადი", "in-progress", ["documents_process"]
    )
    today[0] = date(2025, 12, 1)
    await changes.set_status(first, "done")
    found = await changes.all()
    assert [(e.id, e.status, e.on) for e in found] == [
        (first, Status.DONE, date(2025, 12, 1)),
        (second, Status.IN_PROGRESS, date(2025, 11, 3)),
    ], "newest first, the day its status was last set"
    assert found[1].asked == "დოკუმენტები ერთ ვიზიტში" and found[1].categories == (
        "documents_process",
    )
    for wrong in (
        lambda: changes.add("", "x", "planned"),
        lambda: changes.add("x", "x", "soon"),
        lambda: changes.add("x", "x", "done", ["no_such_category"]),
        lambda: changes.set_status("nothing", "done"),
    ):
        with pytest.raises(Refusal):
            await wrong()
    assert len(await changes.all()) == 2, "nothing kept of a refused entry"


async def test_entries_are_kept_moved_on_and_refused_alike_in_the_database(database_url):
    database = await open_database(database_url)
    today = [date(2025, 10, 1)]
    try:
        await exercise(Changes(partial(database.transaction, "default"), lambda: today[0]), today)
        other = Changes(partial(database.transaction, "oni"), lambda: today[0])
        assert await other.all() == [], "one municipality never reads another's entries"
    finally:
        await database.close()


async def test_the_in_memory_unit_of_work_keeps_entries_the_same_way():
    today = [date(2025, 10, 1)]
    await exercise(Changes(MemoryStore().transaction, lambda: today[0]), today)
