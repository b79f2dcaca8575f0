"""Storage keeps no order of arrival, at seven forms a week (each form emptied on its own).

Sixty forms sent one after another into one day, each counted against its sender's daily
limit and each emptied alone: the attacker reads where every response and every limit row
lies in a copy of the database (SQLite's file, byte by byte; PostgreSQL's heap positions and
transaction ids) and asks whether the rows lie in the order they came, forwards or backwards,
across the table or within a page. By chance half of all pairs do; in order of arrival all,
in SQLite's page order none. Between 0.3 and 0.7, chance strays outside once in more than
100,000 runs with sixty rows.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from storage.database import open_database
from tests.support.attacks import concordance, physical_places

pytestmark = pytest.mark.both_databases

FORMS = 60
DAY = date(2026, 6, 1)


def mark(number: int) -> str:
    return f"ფორმა ნომერი {number:03d}!"


def key(number: int) -> str:
    """A daily-limit key as the bot makes them: a keyed hash, in no order of its own."""
    return hashlib.sha256(f"sender {number}".encode()).hexdigest()


async def send_one_at_a_time(database) -> None:
    """What a turn and its after-commit do: the form into the box, the count, the mixing."""
    for number in range(FORMS):
        async with database.turn() as tx:
            await tx.responses.drop_in_box("v1", "telegram", {"s": mark(number)}, DAY)
            await tx.commit()
        async with database.turn() as tx:
            await tx.counts.add(key(number), DAY)
            await tx.commit()
        assert (await database.empty_box_if_due(DAY, batch=1)).forms == 1


def in_chance(share: float) -> bool:
    return 0.3 <= share <= 0.7


async def test_responses_and_limit_rows_lie_in_no_order_of_arrival(database_url):
    database = await open_database(database_url)
    try:
        await send_one_at_a_time(database)
        await database.checkpoint()
        marks = [mark(n) for n in range(FORMS)]
        keys = [key(n) for n in range(FORMS)]
        responses = await physical_places(database, database_url, "responses", "answers", marks)
        limits = await physical_places(database, database_url, "submission_counts", "key", keys)
        for arrival, places in ((marks, responses), (keys, limits)):
            assert in_chance(concordance(arrival, places, same_page=False))
            if max(sum(p[0] == q[0] for q in places.values()) for p in places.values()) > 7:
                assert in_chance(concordance(arrival, places, same_page=True))
        if database.engine.dialect.name == "postgresql":
            async with database.engine.connect() as connection:
                for table in ("responses", "submission_counts"):
                    xmins = await connection.execute(
                        text(f"SELECT DISTINCT xmin::text FROM {table}")
                    )
                    assert len(xmins.all()) == 1, f"{table}: one transaction for the group"
    finally:
        await database.close()


async def test_opt_ins_leave_with_their_month_and_pair_with_no_day(database_url):
    """One citizen a day for six days sends a form and opts in. The forms leave the box when
    their day ends; the opt-ins keep only their month and leave together when it ends, so no
    subscriber's row lies next to (or just after, in transaction ids) the day of its form."""
    database = await open_database(database_url)
    days = [DAY + timedelta(days=n) for n in range(6)]
    try:
        for number, day in enumerate(days):
            async with database.turn() as tx:
                await tx.responses.drop_in_box("v1", "telegram", {"s": mark(number)}, day)
                await tx.subscribers.subscribe("telegram", f"5500{number}", day)
                await tx.commit()
            await database.empty_box_if_due(day + timedelta(days=1), batch=5)
        async with database.engine.connect() as connection:
            waiting = (await connection.execute(text("SELECT day FROM ballot_box"))).all()
        assert {str(d)[:10] for (d,) in waiting} == {"2026-06-01"}, "only the month waits"
        await database.empty_box_if_due(date(2026, 7, 1), batch=5)
        async with database.engine.connect() as connection:
            count = (await connection.execute(text("SELECT count(*) FROM subscribers"))).scalar()
            assert count == 6
            if database.engine.dialect.name == "postgresql":
                subscribers = await connection.execute(
                    text("SELECT DISTINCT xmin::text FROM subscribers")
                )
                assert len(subscribers.all()) == 1, "the month's subscribers are one group"
    finally:
        await database.close()
