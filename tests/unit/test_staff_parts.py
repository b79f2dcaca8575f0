"""The console's parts without a server: the delays after wrong sign-ins, the locales'
agreement on the console's words, and the audit log in the in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from argon2 import PasswordHasher

from bot.application.staff_accounts import LOCK_AFTER, LOCK_FOR, Outcome, Role, StaffAccounts
from bot.application.staff_secrets import Passwords
from bot.questionnaire.content import bundled_locale, read_yaml
from storage.staff import AuditFilter
from tests.support.memory_store import MemoryStore


def keys(tree: dict, prefix: str = "") -> set[str]:
    found = set()
    for key, value in tree.items():
        found |= keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
    return found


def test_the_console_speaks_georgian_and_english_with_the_same_keys():
    georgian = keys(read_yaml(bundled_locale("ka"))["staff"])
    english = keys(read_yaml(bundled_locale("en"))["staff"])
    assert georgian == english


def test_wrong_passwords_wait_longer_each_time_then_lock():
    from bot.application import staff_accounts

    waits = [staff_accounts.wait_after(n) for n in range(1, LOCK_AFTER + 1)]
    assert waits[0] == waits[1] == timedelta(0)
    assert all(a < b for a, b in pairwise(waits[2:]))
    assert waits[-1] == LOCK_FOR


async def test_the_audit_log_keeps_who_what_and_where_and_filters_by_them():
    store = MemoryStore()
    now = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    accounts = StaffAccounts(
        store.staff, lambda: now, passwords=Passwords(PasswordHasher(1, 1024, 1))
    )
    token = await accounts.add("ana@example.ge", Role.CLERK, "default")
    account = await accounts.finish_setup(token, "a long passphrase", None, "")
    await accounts.record(account, "typed_paper_forms", "default", "10 forms")
    await accounts.record("command-line", "account_added", "marneuli", "x@y.ge (viewer)")
    mine = await accounts.audit_log(AuditFilter(municipality="default"))
    assert [(e.who, e.action, e.object) for e in mine] == [
        ("ana@example.ge", "typed_paper_forms", "10 forms")
    ]
    assert (await accounts.sign_in("ana@example.ge", "a long passphrase")).outcome is (
        Outcome.SIGNED_IN
    )
