"""Signing in to the staff console, and the attacks on it: guessing slowed and then locked,
a stolen session useless after sign-out, password change or role removal, forms without
their CSRF token refused, nothing of the set-up link usable twice."""

from __future__ import annotations

from datetime import timedelta

from bot.application.staff_accounts import LOCK_AFTER, Role
from tests.support.staff import HOME, PASSWORD, Console, csrf_in, sign_in


async def attempt(http, email: str, password: str, code: str = ""):
    form = await http.get("/staff/sign-in")
    data = {"csrf": csrf_in(form.text), "email": email, "password": password, "code": code}
    return await http.post("/staff/sign-in", data=data)


async def test_a_member_of_staff_signs_in_and_sees_their_home_page(staff_console: Console):
    analyst = await staff_console.account(Role.ANALYST)
    async with staff_console.client(analyst) as http:
        home = await http.get(f"/staff/{HOME}/")
        assert home.status_code == 200
        assert analyst.email in home.text and "ანალიტიკოსი" in home.text
        cookie = next(c for c in http.cookies.jar if c.name == "staff_session")
        assert cookie.path == "/staff/" and cookie.has_nonstandard_attr("HttpOnly")


async def test_the_session_cookie_is_http_only_and_same_site_strict(staff_console: Console):
    viewer = await staff_console.account(Role.VIEWER)
    async with staff_console.anonymous() as http:
        answer = await sign_in(http, viewer)
        header = answer.headers["set-cookie"].lower()
        assert "httponly" in header and "samesite=strict" in header and "path=/staff/" in header
        assert "secure" not in header  # plain http on 127.0.0.1; https makes it Secure


async def test_guessing_a_password_is_slowed_then_the_account_is_locked(staff_console: Console):
    clerk = await staff_console.account(Role.CLERK)
    clock = staff_console.runtime.clock
    async with staff_console.anonymous() as http:
        for _ in range(2):  # a typo or two costs nothing
            assert (await attempt(http, clerk.email, "wrong guess")).status_code == 401
        third = await attempt(http, clerk.email, "wrong guess")
        assert third.status_code == 401 and "წამში" in third.text
        right_too_soon = await attempt(http, clerk.email, PASSWORD)
        assert right_too_soon.status_code == 429  # even the right password waits
        for _failures in range(3, LOCK_AFTER):
            clock.now += timedelta(minutes=5)  # waited out each delay
            await attempt(http, clerk.email, "wrong guess")
        locked = await attempt(http, clerk.email, PASSWORD)
        assert locked.status_code == 429 and "დაკეტილია" in locked.text
        clock.now += timedelta(minutes=31)
        assert (await attempt(http, clerk.email, PASSWORD)).status_code == 303


async def test_a_stranger_cannot_tell_an_unknown_address_from_a_wrong_password(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.anonymous() as http:
        unknown = await attempt(http, "nobody@example.test", "whatever it is")
        wrong = await attempt(http, clerk.email, "whatever it is")
        assert unknown.status_code == wrong.status_code == 401


async def test_a_stolen_session_is_refused_after_sign_out(staff_console: Console):
    analyst = await staff_console.account(Role.ANALYST)
    async with staff_console.client(analyst) as http:
        stolen = http.cookies.get("staff_session")
        out = await http.post_form("/staff/sign-out")
        assert out.status_code == 303
    async with staff_console.anonymous() as thief:
        thief.cookies.set("staff_session", stolen, domain="127.0.0.1", path="/staff/")
        answer = await thief.get(f"/staff/{HOME}/")
        assert answer.status_code == 303 and "sign-in" in answer.headers["location"]


async def test_changing_the_password_ends_every_other_session(staff_console: Console):
    viewer = await staff_console.account(Role.VIEWER)
    async with staff_console.client(viewer) as thief, staff_console.client(viewer) as owner:
        new = "another long passphrase"
        changed = await owner.post_form(
            f"/staff/{HOME}/password", {"old": PASSWORD, "new": new, "again": new}
        )
        assert changed.status_code == 303
        assert (await owner.get(f"/staff/{HOME}/")).status_code == 200
        assert (await thief.get(f"/staff/{HOME}/")).status_code == 303


async def test_a_removed_role_ends_the_session_at_once(staff_console: Console):
    admin = await staff_console.account(Role.ADMIN)
    async with staff_console.client(admin) as http:
        assert (await http.get(f"/staff/{HOME}/audit")).status_code == 200
        await staff_console.accounts.change_role(admin.email, Role.VIEWER)
        assert (await http.get(f"/staff/{HOME}/audit")).status_code == 303
        await staff_console.accounts.remove(admin.email)
        again = await http.get(f"/staff/{HOME}/")
        assert again.status_code == 303


async def test_a_session_left_idle_ends(staff_console: Console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        staff_console.runtime.clock.now += timedelta(minutes=29)
        assert (await http.get(f"/staff/{HOME}/")).status_code == 200
        staff_console.runtime.clock.now += timedelta(minutes=31)
        assert (await http.get(f"/staff/{HOME}/")).status_code == 303


async def test_a_form_posted_without_its_csrf_token_is_refused(staff_console: Console):
    viewer = await staff_console.account(Role.VIEWER)
    async with staff_console.client(viewer) as http:
        path = f"/staff/{HOME}/password"
        data = {"old": PASSWORD, "new": "x" * 12, "again": "x" * 12}
        assert (await http.post(path, data=data)).status_code == 403
        assert (await http.post(path, data={**data, "csrf": "forged"})).status_code == 403
        assert (await http.post("/staff/sign-out", data={})).status_code == 403
        assert (await http.get(f"/staff/{HOME}/")).status_code == 200  # still signed in
    async with staff_console.anonymous() as http:
        blind = {"email": viewer.email, "password": PASSWORD}
        assert (await http.post("/staff/sign-in", data=blind)).status_code == 403


async def test_the_set_up_link_works_once_and_admins_need_a_second_factor(staff_console):

    email, path = await staff_console.setup_link(Role.ADMIN)
    async with staff_console.anonymous() as http:
        page = await http.get(path)
        assert page.status_code == 200 and "<svg" in page.text
        secret = page.text.split('name="totp_secret" value="')[1].split('"')[0]
        data = {"csrf": csrf_in(page.text), "totp_secret": secret, "password": PASSWORD}
        without = await http.post(path, data={**data, "again": PASSWORD})
        assert without.status_code == 400  # an admin without the code is not set up
        code = staff_console.totp(secret)
        done = await http.post(path, data={**data, "again": PASSWORD, "code": code})
        assert done.status_code == 303
        assert (await http.get(path)).status_code == 410
        no_code = await attempt(http, email, PASSWORD)
        assert no_code.status_code == 401
        with_code = await attempt(http, email, PASSWORD, staff_console.totp(secret, 1))
        assert with_code.status_code == 303


async def test_behind_https_the_session_cookie_is_secure(web_env, clock, tmp_path):
    from tests.support.staff import running_console, write_other_municipality

    env = {**web_env, **write_other_municipality(tmp_path)}
    env["WEB_BASE_URL"] = "https://feedback.example.ge/"
    async with running_console(env, clock) as console:
        viewer = await console.account(Role.VIEWER)
        async with console.anonymous() as http:
            form = await http.get("/staff/sign-in")
            assert "secure" in form.headers["set-cookie"].lower()
            data = {"csrf": csrf_in(form.text), "email": viewer.email, "password": PASSWORD}
            http.cookies.set("staff_form", form.cookies["staff_form"], domain="127.0.0.1")
            answer = await http.post("/staff/sign-in", data=data)
            assert answer.status_code == 303
            header = answer.headers["set-cookie"].lower()
            assert "staff_session=" in header and "; secure" in header
