"""The Staff and Settings pages (admins): accounts added with a one-time set-up link that
works, a role changed and an account removed (their sessions end at once), never another
municipality's account nor the admin's own; the municipality's settings read without a
secret and changed in its own file, checked as at start. Each change is in the audit log."""

from __future__ import annotations

import re

import yaml

from bot.application.staff_accounts import Role
from storage.staff import AuditFilter
from tests.support.staff import HOME, OTHER, Console

LINK = re.compile(r"<code>(https?://[^<]+/staff/setup/[^<]+)</code>")


async def actions(console: Console, municipality: str = HOME) -> set[tuple[str, str]]:
    entries = await console.accounts.audit_log(AuditFilter(municipality=municipality))
    return {(e.action, e.object) for e in entries}


async def test_an_admin_adds_a_viewer_whose_one_time_link_opens_the_set_up_page(
    staff_console: Console,
):
    admin = await staff_console.account(Role.ADMIN)
    async with staff_console.client(admin) as http:
        added = await http.post_form(
            f"/staff/{HOME}/people/add", {"email": "Nino@Ambrolauri.test", "role": "viewer"}
        )
        assert added.status_code == 200
        link = LINK.search(added.text).group(1)  # type: ignore[union-attr]
        again = await http.post_form(
            f"/staff/{HOME}/people/add", {"email": "nino@ambrolauri.test", "role": "viewer"}
        )
        assert again.status_code == 400 and 'role="alert"' in again.text
        national = await http.post_form(
            f"/staff/{HOME}/people/add", {"email": "n@x.test", "role": "national"}
        )
        assert national.status_code == 400
    async with staff_console.anonymous() as http:
        setup = await http.get("/staff/" + link.split("/staff/", 1)[1])
        assert setup.status_code == 200 and 'name="password"' in setup.text
    found = {a.email: a for a in await staff_console.accounts.accounts(HOME)}
    assert found["nino@ambrolauri.test"].role == "viewer"
    assert ("account_added", "nino@ambrolauri.test (viewer)") in await actions(staff_console)


async def test_a_new_role_or_a_removal_ends_the_members_session_at_once(staff_console: Console):
    admin = await staff_console.account(Role.ADMIN)
    clerk = await staff_console.account(Role.CLERK)
    analyst = await staff_console.account(Role.ANALYST)
    async with (
        staff_console.client(admin) as http,
        staff_console.client(clerk) as clerks,
        staff_console.client(analyst) as analysts,
    ):
        assert (await clerks.get(f"/staff/{HOME}/paper")).status_code == 200
        changed = await http.post_form(
            f"/staff/{HOME}/people/role", {"email": clerk.email, "role": "viewer"}
        )
        assert changed.status_code == 303
        assert (await clerks.get(f"/staff/{HOME}/paper")).status_code == 303  # to sign-in
        removed = await http.post_form(f"/staff/{HOME}/people/remove", {"email": analyst.email})
        assert removed.status_code == 303
        assert (await analysts.get(f"/staff/{HOME}/")).status_code == 303
        listed = await http.get(removed.headers["location"])
        assert analyst.email not in listed.text.split('id="list-title"')[1]
    roles = {a.email: a.role for a in await staff_console.accounts.accounts(HOME)}
    assert roles[clerk.email] == "viewer" and analyst.email not in roles
    done = await actions(staff_console)
    assert ("account_role_changed", f"{clerk.email}: clerk -> viewer") in done
    assert ("account_removed", analyst.email) in done


async def test_an_admin_cannot_touch_another_municipalitys_account_nor_their_own(
    staff_console: Console,
):
    admin = await staff_console.account(Role.ADMIN)
    elsewhere = await staff_console.account(Role.CLERK, municipality=OTHER)
    async with staff_console.client(admin) as http:
        for path, data in (
            ("/people/remove", {"email": elsewhere.email}),
            ("/people/role", {"email": elsewhere.email, "role": "admin"}),
            ("/people/remove", {"email": admin.email}),
            ("/people/role", {"email": admin.email, "role": "viewer"}),
        ):
            refused = await http.post_form(f"/staff/{HOME}{path}", data)
            assert refused.status_code == 400, path
        page = await http.get(f"/staff/{HOME}/people")
        assert elsewhere.email not in page.text
    assert {a.email for a in await staff_console.accounts.accounts(OTHER)} == {elsewhere.email}
    roles = {a.email: a.role for a in await staff_console.accounts.accounts(HOME)}
    assert roles[admin.email] == "admin"


async def test_settings_show_no_secret_and_a_change_is_written_to_the_municipalitys_file(
    staff_console: Console,
):
    admin = await staff_console.account(Role.ADMIN, municipality=OTHER)
    path = staff_console.settings.municipalities_dir / f"{OTHER}.yaml"  # type: ignore[operator]
    async with staff_console.client(admin) as http:
        page = await http.get(f"/staff/{OTHER}/settings")
        assert page.status_code == 200
        assert "Marneuli Municipality" in page.text and "free_meals" in page.text
        secret = staff_console.settings.feedback_secret
        if secret is not None:
            assert secret.get_secret_value() not in page.text
        saved = await http.post_form(
            f"/staff/{OTHER}/settings/save",
            {"name.en": "Marneuli", "public_min_count": "7", "timezone": "Asia/Tbilisi"},
        )
        assert saved.status_code == 303, re.findall(r'role="alert">([^<]*)', saved.text)
        refused = await http.post_form(
            f"/staff/{OTHER}/settings/save", {"timezone": "Mars/Olympus"}
        )
        assert refused.status_code == 400 and 'role="alert"' in refused.text
        not_number = await http.post_form(
            f"/staff/{OTHER}/settings/save", {"public_min_count": "many"}
        )
        assert not_number.status_code == 400
    written = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert written["name"] == {"ka": "მარნეული", "en": "Marneuli"}
    assert written["public_min_count"] == 7 and written["timezone"] == "Asia/Tbilisi"
    assert written["quarter_start_month"] == 1
    done = await actions(staff_console, OTHER)
    assert ("changed_settings", "name.en, timezone, public_min_count") in done


async def test_the_home_municipality_set_by_the_environment_shows_its_settings_read_only(
    staff_console: Console,
):
    admin = await staff_console.account(Role.ADMIN)
    async with staff_console.client(admin) as http:
        page = await http.get(f"/staff/{HOME}/settings")
        assert page.status_code == 200 and "/settings/save" not in page.text
        refused = await http.post_form(f"/staff/{HOME}/settings/save", {"timezone": "UTC"})
        assert refused.status_code == 400


async def test_only_an_admin_opens_staff_and_settings(staff_console: Console):
    for role in (Role.ANALYST, Role.CLERK, Role.VIEWER):
        member = await staff_console.account(role)
        async with staff_console.client(member) as http:
            for path in ("/people", "/settings"):
                assert (await http.get(f"/staff/{HOME}{path}")).status_code == 403
