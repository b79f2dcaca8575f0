"""The staff tables on SQLite and PostgreSQL: accounts, sessions that end, set-up links that
expire and work once, and the audit log filtered by municipality, person, action and day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from storage import open_database
from storage.staff import Account, AuditEntry, AuditFilter, StaffSession

pytestmark = pytest.mark.both_databases
NOW = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)


def account(email: str, municipality: str | None = "default") -> Account:
    return Account(email[:6], email, municipality, "clerk", None, None, 0, None, NOW.date())


async def test_accounts_sessions_and_set_up_links_round_trip(database_url):
    database = await open_database(database_url)
    try:
        async with database.staff() as staff:
            await staff.add_account(account("ana@example.ge"))
            await staff.add_account(account("nat@example.ge", None))
            await staff.add_session(StaffSession("h1", "ana@ex", "csrf", NOW))
            await staff.add_setup("s1", "nat@ex", NOW + timedelta(days=3))
            await staff.commit()
        async with database.staff() as staff:
            assert [a.email for a in await staff.accounts("default")] == ["ana@example.ge"]
            assert len(await staff.accounts()) == 2
            until = NOW + timedelta(minutes=30)
            await staff.change_account("ana@ex", failures=10, locked_until=until)
            found = await staff.account_by_email("ana@example.ge")
            assert found is not None and found.locked_until == until and found.failures == 10
            session = await staff.session("h1")
            assert session is not None and session.seen_at == NOW
            assert await staff.setup_account("s1", NOW) == "nat@ex"
            assert await staff.setup_account("s1", NOW + timedelta(days=4)) is None
            assert await staff.use_setup("s1") and not await staff.use_setup("s1")
            assert await staff.remove_account("ana@ex")
            assert await staff.session("h1") is None
            await staff.commit()
    finally:
        await database.close()


async def test_the_audit_log_is_filtered_by_municipality_person_action_and_day(database_url):
    database = await open_database(database_url)
    try:
        async with database.staff() as staff:
            for at, who, place, action in (
                (NOW - timedelta(days=1), "a@x.ge", "default", "read_texts"),
                (NOW, "a@x.ge", "default", "published_text"),
                (NOW, "b@x.ge", "default", "read_texts"),
                (NOW, "c@x.ge", "marneuli", "read_texts"),
            ):
                await staff.audit(AuditEntry(at, who, "analyst", place, action, "text 17"))
            await staff.commit()
        async with database.staff() as staff:
            mine = await staff.audit_log(AuditFilter(municipality="default"))
            assert [e.who for e in mine][:1] in (["a@x.ge"], ["b@x.ge"]) and len(mine) == 3
            assert mine[-1].at == NOW - timedelta(days=1)  # newest first
            by = await staff.audit_log(AuditFilter("default", who="a@x.ge", action="read_texts"))
            assert len(by) == 1
            today = await staff.audit_log(
                AuditFilter("default", start=NOW.date(), end=date(2026, 12, 7))
            )
            assert {e.who for e in today} == {"a@x.ge", "b@x.ge"} and len(today) == 2
    finally:
        await database.close()
