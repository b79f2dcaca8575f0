"""The console's parts without a server: the delays after wrong sign-ins, the locales'
agreement on the console's words, and the audit log in the in-memory store."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from argon2 import PasswordHasher

from bot.application.staff_accounts import (
    FREE_FAILURES,
    LOCK_AFTER,
    LOCK_FOR,
    Outcome,
    Role,
    StaffAccounts,
)
from bot.application.staff_secrets import Passwords
from bot.common.keyed_locks import KeyedLocks
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


def service(store: MemoryStore, now: datetime) -> StaffAccounts:
    cheap = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    return StaffAccounts(store.staff, lambda: now, passwords=cheap)


async def test_guesses_sent_all_at_once_are_counted_one_by_one():
    """A brute force that sends its guesses together gets no more tries than one that
    waits for each answer: the fourth guess onwards waits for the delay."""
    store = MemoryStore()
    now = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    accounts = service(store, now)
    token = await accounts.add("ana@example.ge", Role.CLERK, "default")
    await accounts.finish_setup(token, "a long passphrase", None, "")
    tries = [accounts.sign_in("ana@example.ge", f"guess {n}") for n in range(8)]
    outcomes = [r.outcome for r in await asyncio.gather(*tries)]
    assert outcomes.count(Outcome.WRONG) == FREE_FAILURES
    assert outcomes.count(Outcome.WAIT) == 8 - FREE_FAILURES
    assert len(accounts.attempts) == 0  # nothing kept of the addresses tried


async def test_password_hashing_runs_beside_the_event_loop_not_on_it():
    """argon2id takes about a second on a loaded server: on the loop, every citizen's page
    would wait for each sign-in."""
    seen: list[threading.Thread] = []

    class Watched(PasswordHasher):
        def verify(self, hash: str, password: str) -> bool:
            seen.append(threading.current_thread())
            return super().verify(hash, password)

    passwords = Passwords(Watched(time_cost=1, memory_cost=1024, parallelism=1))
    stored = await passwords.hashed("a long passphrase")
    assert await passwords.checked(stored, "a long passphrase")
    assert not await passwords.checked(None, "anything at all")
    assert seen and all(t is not threading.main_thread() for t in seen)


async def test_a_key_is_held_by_one_at_a_time_and_forgotten_after():
    locks = KeyedLocks()
    order: list[str] = []

    async def hold(name: str) -> None:
        async with locks.one_at_a_time("ana@example.ge"):
            order.append(f"{name} in")
            await asyncio.sleep(0)
            order.append(f"{name} out")

    await asyncio.gather(hold("a"), hold("b"), hold("c"))
    assert order == ["a in", "a out", "b in", "b out", "c in", "c out"]
    assert len(locks) == 0
