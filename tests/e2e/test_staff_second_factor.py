"""The console's second factor and lock-outs, as an attacker and a member of staff meet
them: no admin without a code from the phone (not even one promoted later), a code that
signs in once only, the factor added later on the Password page, an account a stranger
locked opened again by an admin, and the Staff page saying only what really happened."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pyotp

from bot.application.staff_accounts import LOCK_AFTER, Role
from storage.staff import AuditFilter
from tests.e2e.test_staff_sign_in import attempt
from tests.support.staff import HOME, PASSWORD, Console, Member, csrf_in


async def actions(console: Console) -> set[tuple[str, str]]:
    entries = await console.accounts.audit_log(AuditFilter(municipality=HOME))
    return {(e.action, e.object) for e in entries}


async def test_a_clerk_without_a_code_cannot_be_made_an_admin(staff_console: Console):
    admin = await staff_console.account(Role.ADMIN)
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(admin) as http:
        promoted = await http.post_form(
            f"/staff/{HOME}/people/role", {"email": clerk.email, "role": "admin"}
        )
        assert promoted.status_code == 400
        assert "პაროლი" in promoted.text and clerk.email in promoted.text
    roles = {a.email: a.role for a in await staff_console.accounts.accounts(HOME)}
    assert roles[clerk.email] == "clerk"


async def test_an_admin_without_a_code_signs_in_to_nothing(staff_console: Console):
    """An account made admin before a code was required (or by hand in the database)."""
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.runtime.database.staff() as store:
        found = await store.account_by_email(clerk.email)
        await store.change_account(found.id, role="admin")
        await store.commit()
    async with staff_console.anonymous() as http:
        answer = await attempt(http, clerk.email, PASSWORD)
        assert answer.status_code == 403 and "feedback-bot staff link" in answer.text
        assert "staff_session" not in {c.name for c in http.cookies.jar}
        people = await http.get(f"/staff/{HOME}/people")
        assert people.status_code == 303 and "/staff/sign-in" in people.headers["location"]
    assert ("sign_in_needs_code", "") in await actions(staff_console)


async def test_a_code_once_used_does_not_sign_in_again(staff_console: Console):
    admin = await staff_console.account(Role.ADMIN)
    code = admin.code()
    async with staff_console.anonymous() as http:
        assert (await attempt(http, admin.email, PASSWORD, code)).status_code == 303
    async with staff_console.anonymous() as thief:  # saw the code over a shoulder
        replayed = await attempt(thief, admin.email, PASSWORD, code)
        assert replayed.status_code == 401
        assert "staff_session" not in {c.name for c in thief.cookies.jar}
    async with staff_console.client(admin) as http:  # the next code works
        assert (await http.get(f"/staff/{HOME}/people")).status_code == 200


async def test_two_sign_ins_sent_together_with_one_code_open_one_session(
    staff_console: Console,
):
    admin = await staff_console.account(Role.ADMIN)
    code = admin.code()
    clients = [staff_console.anonymous() for _ in range(2)]
    forms = [await c.get("/staff/sign-in") for c in clients]
    data = [
        {"csrf": csrf_in(f.text), "email": admin.email, "password": PASSWORD, "code": code}
        for f in forms
    ]
    answers = await asyncio.gather(
        *(c.post("/staff/sign-in", data=d) for c, d in zip(clients, data, strict=True))
    )
    for c in clients:
        await c.aclose()
    assert sorted(a.status_code for a in answers) == [303, 401]


async def test_a_clerk_adds_a_code_on_the_password_page_and_can_then_be_made_admin(
    staff_console: Console,
):
    admin = await staff_console.account(Role.ADMIN)
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        page = await http.get(f"/staff/{HOME}/password")
        assert page.status_code == 200 and "<svg" in page.text
        secret = page.text.split('name="totp_secret" value="')[1].split('"')[0]
        code = staff_console.totp(secret)
        form = {"totp_secret": secret, "code": code}
        wrong = await http.post_form(
            f"/staff/{HOME}/password/code", {**form, "password": "not my password"}
        )
        assert wrong.status_code == 400 and 'role="alert"' in wrong.text
        bad = await http.post_form(
            f"/staff/{HOME}/password/code", {**form, "code": "000000", "password": PASSWORD}
        )
        assert bad.status_code == 400
        added = await http.post_form(f"/staff/{HOME}/password/code", {**form, "password": PASSWORD})
        assert added.status_code == 303
        after = await http.get(added.headers["location"])
        assert 'name="totp_secret"' not in after.text and 'role="status"' in after.text
    assert ("added_second_factor", "") in await actions(staff_console)
    async with staff_console.anonymous() as http:  # the password alone is not enough now
        assert (await attempt(http, clerk.email, PASSWORD)).status_code == 401
        assert (await attempt(http, clerk.email, PASSWORD, code)).status_code == 401
    async with staff_console.client(admin) as http:
        promoted = await http.post_form(
            f"/staff/{HOME}/people/role", {"email": clerk.email, "role": "admin"}
        )
        assert promoted.status_code == 303
    new_admin = Member(
        clerk.email,
        Role.ADMIN,
        HOME,
        PASSWORD,
        secret,
        staff_console.runtime.clock,
        [pyotp.TOTP(secret).timecode(staff_console.runtime.clock())],
    )
    async with staff_console.client(new_admin) as http:
        assert (await http.get(f"/staff/{HOME}/people")).status_code == 200


async def test_an_admin_opens_an_account_a_stranger_locked(staff_console: Console):
    admin = await staff_console.account(Role.ADMIN)
    clerk = await staff_console.account(Role.CLERK)
    clock = staff_console.runtime.clock
    async with staff_console.anonymous() as stranger:
        for _ in range(LOCK_AFTER):
            clock.now += timedelta(minutes=5)  # waited out each delay
            await attempt(stranger, clerk.email, "a wrong guess")
        assert (await attempt(stranger, clerk.email, PASSWORD)).status_code == 429
    async with staff_console.client(admin) as http:
        page = await http.get(f"/staff/{HOME}/people")
        assert "დაკეტილია" in page.text and "/people/unlock" in page.text
        opened = await http.post_form(f"/staff/{HOME}/people/unlock", {"email": clerk.email})
        assert opened.status_code == 303
        notice = await http.get(opened.headers["location"])
        assert "განიბლოკა" in notice.text and clerk.email in notice.text
    async with staff_console.anonymous() as http:
        assert (await attempt(http, clerk.email, PASSWORD)).status_code == 303
    assert ("account_unlocked", clerk.email) in await actions(staff_console)


async def test_the_staff_page_says_only_what_was_done(staff_console: Console):
    admin = await staff_console.account(Role.ADMIN)
    odd = await staff_console.account(Role.CLERK, email="nino+clerk@ambrolauri.test")
    async with staff_console.client(admin) as http:
        for forged in (
            "?changed=Your+account+is+closed.+Call+555+12+34",
            "?removed=director@ambrolauri.test",
            f"?changed={odd.email}x",
        ):
            page = await http.get(f"/staff/{HOME}/people{forged}")
            assert page.status_code == 200 and 'class="notice"' not in page.text, forged
        changed = await http.post_form(
            f"/staff/{HOME}/people/role", {"email": odd.email, "role": "viewer"}
        )
        assert changed.headers["location"].endswith("?changed=nino%2Bclerk%40ambrolauri.test")
        page = await http.get(changed.headers["location"])
        assert f"{odd.email}-ის როლი შეიცვალა" in page.text
        removed = await http.post_form(f"/staff/{HOME}/people/remove", {"email": odd.email})
        page = await http.get(removed.headers["location"])
        assert f"ანგარიში {odd.email} წაიშალა" in page.text
