"""The audit log page: an admin reads their own municipality's entries, filters them,
exports them as CSV (reading and exporting are entries too); a national account chooses
among the municipalities; the console switches to English and back."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from bot.application.staff_accounts import COMMAND_LINE, Role
from storage.staff import AuditFilter
from tests.support.staff import HOME, OTHER, Console


async def test_an_admin_reads_filters_and_exports_only_their_municipalitys_log(
    staff_console: Console,
):
    admin = await staff_console.account(Role.ADMIN)
    clerk = await staff_console.account(Role.CLERK)
    record = staff_console.accounts.record
    await record(COMMAND_LINE, "account_added", HOME, f"{clerk.email} (clerk)")
    await record(COMMAND_LINE, "account_added", OTHER, "elsewhere@marneuli.ge (viewer)")
    await record(clerk.email, "typed_paper_forms", HOME, "=HYPERLINK(1)")
    async with staff_console.client(admin) as http:
        page = await http.get(f"/staff/{HOME}/audit")
        assert page.status_code == 200
        assert clerk.email in page.text and "elsewhere@marneuli.ge" not in page.text
        only = await http.get(f"/staff/{HOME}/audit", params={"action": "account_added"})
        assert "(clerk)" in only.text and "HYPERLINK" not in only.text
        exported = await http.get(f"/staff/{HOME}/audit.csv", params={"who": clerk.email})
        assert exported.headers["content-disposition"].startswith("attachment")
        rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
        assert rows[0] == ["when_utc", "who", "role", "municipality", "action", "object"]
        assert [r[4] for r in rows[1:]] == ["typed_paper_forms"]
        assert rows[1][5] == "'=HYPERLINK(1)"  # a spreadsheet never runs it as a formula
    entries = await staff_console.accounts.audit_log(AuditFilter(municipality=HOME))
    done = {(e.who, e.action) for e in entries}
    assert {(admin.email, "read_audit_log"), (admin.email, "export_audit_log")} <= done
    assert (admin.email, "signed_in") in done


async def test_a_locked_account_is_named_in_the_audit_log(staff_console: Console):
    clerk = await staff_console.account(Role.CLERK)
    for _ in range(10):
        staff_console.runtime.clock.now += timedelta(minutes=5)
        await staff_console.accounts.sign_in(clerk.email, "wrong guess")
    entries = await staff_console.accounts.audit_log(AuditFilter(municipality=HOME))
    assert (clerk.email, "sign_in_locked") in {(e.who, e.action) for e in entries}


async def test_a_national_analyst_chooses_a_municipality_and_sees_no_admin_page(staff_console):
    national = await staff_console.account(Role.NATIONAL)
    async with staff_console.client(national) as http:
        choose = await http.get("/staff/")
        assert choose.status_code == 200
        assert f'href="/staff/{HOME}/"' in choose.text and f'href="/staff/{OTHER}/"' in choose.text
        there = await http.get(f"/staff/{OTHER}/")
        assert there.status_code == 200 and 'href="/staff/">ყველა მუნიციპალიტეტი' in there.text
        assert (await http.get(f"/staff/{OTHER}/audit")).status_code == 403


async def test_the_console_speaks_english_when_asked_and_georgian_first(staff_console):
    viewer = await staff_console.account(Role.VIEWER)
    async with staff_console.client(viewer) as http:
        assert "რას გააკეთებთ დღეს?" in (await http.get(f"/staff/{HOME}/")).text
        switched = await http.get("/staff/language", params={"to": "en", "back": f"/staff/{HOME}/"})
        assert switched.headers["location"] == f"/staff/{HOME}/"
        assert "What will you do today?" in (await http.get(f"/staff/{HOME}/")).text
        away = await http.get("/staff/language", params={"to": "ka", "back": "//evil.example"})
        assert away.headers["location"] == "/staff/"


async def test_the_audit_csv_has_every_line_and_the_page_says_when_it_shows_fewer(
    staff_console: Console,
):
    admin = await staff_console.account(Role.ADMIN)
    for number in range(520):
        await staff_console.accounts.record(COMMAND_LINE, "setup_link_issued", HOME, str(number))
    async with staff_console.client(admin) as http:
        page = await http.get(f"/staff/{HOME}/audit", params={"action": "setup_link_issued"})
        exported = await http.get(f"/staff/{HOME}/audit.csv")
    assert "ნაჩვენებია მხოლოდ უახლესი 500" in page.text  # and that the file has them all
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    issued = [r[5] for r in rows[1:] if r[4] == "setup_link_issued"]
    assert sorted(issued, key=int) == [str(n) for n in range(520)]
