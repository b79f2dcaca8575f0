"""Storage on a real SQLite file and a real PostgreSQL server: migrations, WAL, drafts,
counts, deduplication."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

import storage
from bot.questionnaire.model import Draft
from storage import open_database

pytestmark = pytest.mark.both_databases

VERSIONS = Path(storage.__file__).parent / "migrations" / "versions"
NOW = datetime(2025, 9, 8, 9, 0, tzinfo=UTC)


async def test_migrations_create_the_tables_in_wal_mode_and_can_run_twice(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'f.db'}"
    database = await open_database(url)
    await database.migrate()
    async with database.engine.connect() as connection:
        mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar()
        tables = {
            row[0] for row in await connection.execute(text("SELECT name FROM sqlite_master"))
        }
        version = (
            await connection.execute(text("SELECT version_num FROM alembic_version"))
        ).scalar()
    await database.close()
    assert mode == "wal"
    assert {"responses", "drafts", "submission_counts", "seen_updates"} <= tables
    assert {"applications", "comment_reviews", "period_notes"} <= tables
    assert version == sorted(p.name for p in VERSIONS.glob("0*.py"))[-1][:4]


async def test_migrations_run_twice_and_reach_the_newest_version(database_url):
    database = await open_database(database_url)
    await database.migrate()
    async with database.engine.connect() as connection:
        tables = set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
        version = (
            await connection.execute(text("SELECT version_num FROM alembic_version"))
        ).scalar()
    await database.close()
    assert {"responses", "drafts", "reminders", "subscribers", "job_runs"} <= tables
    assert version == sorted(p.name for p in VERSIONS.glob("0*.py"))[-1][:4]


async def test_draft_round_trip_and_expiry(database_url):
    database = await open_database(database_url)
    draft = Draft("gender", {"service": "funeral", "suggestions": None})
    async with database.transaction() as tx:
        await tx.drafts.save("k" * 64, "v1", draft, NOW)
        await tx.commit()
    async with database.transaction() as tx:
        assert await tx.drafts.load("k" * 64, NOW - timedelta(days=7)) == ("v1", draft)
        assert await tx.drafts.load("k" * 64, NOW + timedelta(seconds=1)) is None
        await tx.commit()
    async with database.transaction() as tx:
        assert await tx.drafts.count() == 0
    await database.close()


async def test_uncommitted_work_is_rolled_back(database_url):
    database = await open_database(database_url)
    async with database.transaction() as tx:
        await tx.responses.add("v1", "telegram", {"gender": "male"}, date(2025, 9, 8))
    async with database.analysis() as analysis:
        assert await analysis.responses_between(date.min, date.max) == []
    await database.close()


async def test_an_update_is_recognised_the_second_time(database_url):
    database = await open_database(database_url)
    async with database.transaction() as tx:
        assert await tx.deliveries.first("telegram", "77", NOW)
        assert await tx.deliveries.first("messenger", "77", NOW)
        await tx.commit()
    async with database.transaction() as tx:
        assert not await tx.deliveries.first("telegram", "77", NOW)
    await database.close()


async def test_submission_counts_are_per_key_and_day(database_url):
    database = await open_database(database_url)
    day = date(2025, 9, 8)
    async with database.transaction() as tx:
        await tx.counts.add("a", day)
        await tx.counts.add("a", day)
        await tx.counts.add("b", day)
        await tx.commit()
    async with database.transaction() as tx:
        assert await tx.counts.on("a", day) == 2
        assert await tx.counts.on("b", day) == 1
        assert await tx.counts.on("a", day + timedelta(days=1)) == 0
    await database.close()


async def test_georgian_text_is_stored_readably_not_escaped(tmp_path):
    path = tmp_path / "f.db"
    database = await open_database(f"sqlite+aiosqlite:///{path}")
    async with database.transaction() as tx:
        await tx.responses.add("v1", "console", {"suggestions": "გაზარდეთ"}, date(2025, 9, 8))
        await tx.commit()
    async with database.engine.connect() as connection:
        raw = (await connection.execute(text("SELECT answers FROM responses"))).scalar()
    await database.close()
    assert "გაზარდეთ" in raw


SENT_ON = date(2025, 9, 8)


async def drop_forms(database, count: int) -> None:
    async with database.transaction() as tx:
        for number in range(count):
            answers = {"suggestions": f"ფორმა {number}"}
            await tx.responses.drop_in_box("v1", "telegram", answers, SENT_ON)
        await tx.commit()


async def test_the_ballot_box_waits_for_a_full_batch_or_the_end_of_the_forms_day(database_url):
    database = await open_database(database_url)
    await drop_forms(database, 4)
    assert (await database.empty_box_if_due(SENT_ON, batch=5)).forms == 0
    assert await database.forms_waiting() == 4
    await drop_forms(database, 1)
    assert (await database.empty_box_if_due(SENT_ON, batch=5)).forms == 5
    await drop_forms(database, 1)
    assert (await database.empty_box_if_due(SENT_ON, batch=5)).forms == 0, "its day goes on"
    next_day = SENT_ON + timedelta(days=1)
    assert (await database.empty_box_if_due(next_day, batch=5)).forms == 1, "its day ended"
    async with database.analysis() as analysis:
        assert len(await analysis.responses_between(date.min, date.max)) == 6
    await database.close()


async def test_a_mixer_that_finds_fewer_than_k_forms_leaves_them_waiting(database_url):
    """Two processes both saw a full box; the second one's DELETE finds only what arrived
    since the first emptied it, and must not store that as a batch of its own."""
    from storage import ballot

    database = await open_database(database_url)
    await drop_forms(database, 2)
    async with database.transaction() as tx:
        assert await ballot.take_forms(tx._session, ballot.Rule(5, SENT_ON)) == 0
        await tx.commit()
    assert await database.forms_waiting() == 2
    await database.close()


async def test_a_deleted_draft_takes_its_reminder_with_it(database_url):
    """/stop and "send" delete the draft: its reminder (and sealed address) must go too."""
    database = await open_database(database_url)
    key, other = "d" * 64, "e" * 64
    async with database.turn() as tx:
        for draft_key in (key, other):
            await tx.drafts.save(draft_key, "v1", Draft("gender", {"service": "funeral"}), NOW)
            await tx.reminders.plan(draft_key, "sealed", NOW)
        await tx.commit()
    async with database.turn() as tx:
        assert await tx.drafts.delete(key)
        await tx.commit()
    async with database.engine.connect() as connection:
        kept = (await connection.execute(text("SELECT draft_key FROM reminders"))).all()
    await database.close()
    assert [draft_key for (draft_key,) in kept] == [other]


async def test_imported_paper_forms_count_as_confirmed_and_online_ones_as_open(database_url):
    """The digest's "confirmed (with a slip or on paper)": paper forms staff typed into
    Google Forms and imported with ``--channel paper`` were held by a clerk, as those
    typed at the desk are; the same file's online answers were not."""
    database = await open_database(database_url)
    answers = {"service": "veterans", "satisfaction": "4"}
    rows = [
        ("p1", "social_services_v1", "paper", answers, date(2025, 7, 1)),
        ("p2", "social_services_v1", "paper", answers, date(2025, 7, 2)),
        ("g1", "social_services_v1", "google_forms", answers, date(2025, 7, 1)),
    ]
    async with database.analysis() as analysis:
        await analysis.add_imported_many(rows)
        await analysis.commit()
    async with database.analysis() as analysis:
        stored = await analysis.responses_between(date(2025, 6, 1), date(2025, 8, 31))
    await database.close()
    assert sorted((r.channel, r.confirmed) for r in stored) == [
        ("google_forms", False),
        ("paper", True),
        ("paper", True),
    ]
