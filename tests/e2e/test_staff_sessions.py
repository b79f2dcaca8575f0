"""Sessions as someone who found a browser left signed in, or who signs in again on it: the
earlier session ends when the same browser signs in again, and a session cannot be used to
guess the account's password at /password without the sign-in's waits and lock."""

from __future__ import annotations

from datetime import timedelta

import httpx

from bot.application.staff_accounts import LOCK_AFTER, Role
from storage.staff import AuditFilter
from tests.support.staff import HOME, sign_in


async def test_signing_in_again_on_the_same_browser_ends_the_earlier_session(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        earlier = http.cookies["staff_session"]
        await sign_in(http, clerk)
        assert http.cookies["staff_session"] != earlier
        now = await http.get(f"/staff/{HOME}/")
    async with httpx.AsyncClient(base_url=staff_console.url) as copy:
        copy.cookies.set("staff_session", earlier)
        kept = await copy.get(f"/staff/{HOME}/")
    assert now.status_code == 200
    assert kept.status_code == 303 and "/staff/sign-in" in kept.headers["location"]


async def test_guessing_the_old_password_at_password_is_slowed_then_locked(staff_console, clock):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        answers = []
        for number in range(LOCK_AFTER):
            clock.now += timedelta(minutes=5)  # past any wait: only the count stops it
            answers.append(
                await http.post_form(
                    f"/staff/{HOME}/password",
                    {
                        "old": f"guess {number}",
                        "new": "a new long password",
                        "again": "a new long password",
                    },
                )
            )
        after = await http.get(f"/staff/{HOME}/password")
    assert all(a.status_code == 400 for a in answers[:-1])
    assert after.status_code == 303 and "/staff/sign-in" in after.headers["location"]
    log = await staff_console.accounts.audit_log(AuditFilter(municipality=HOME))
    assert (clerk.email, "sign_in_locked") in {(e.who, e.action) for e in log}
    refused = await staff_console.accounts.sign_in(clerk.email, clerk.password)
    assert refused.outcome == "locked"  # the right password too, until the lock ends
