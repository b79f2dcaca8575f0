"""The clerk's imports page over HTTP: a Google Forms export previewed (new, imported before,
refused by row and column) before it is stored; applications typed in or uploaded."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.application.staff_accounts import Role
from storage.staff import AuditFilter
from tests.support.forms import form_header, form_rows, write_xlsx
from tests.support.staff import HOME

PAGE = f"/staff/{HOME}/imports"
FIXTURES = Path(__file__).parent.parent / "fixtures"
GOOD = FIXTURES / "google_forms.csv"
BAD = FIXTURES / "google_forms_bad.csv"
TOKEN = re.compile(r'name="token" value="([^"]+)"')


def counts(html: str) -> tuple[int, int, int]:
    found = re.findall(r"<li><strong>(\d+)</strong>", html)
    assert len(found) == 3, html
    return int(found[0]), int(found[1]), int(found[2])


async def upload(http, path: Path, channel: str = "paper"):  # type: ignore[no-untyped-def]
    files = {"file": (path.name, path.read_bytes(), "text/csv")}
    return await http.post(
        PAGE, data={"csrf": http.csrf, "do": "preview", "channel": channel}, files=files
    )


async def responses(console) -> list:  # type: ignore[no-untyped-def]
    async with console.runtime.database.analysis(HOME) as analysis:
        return await analysis.responses_between(date(2025, 1, 1), date(2025, 12, 31))


@pytest.mark.both_databases
async def test_an_export_is_previewed_then_stored_and_a_second_upload_adds_nothing(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        preview = await upload(http, GOOD)
        assert preview.status_code == 200
        assert counts(preview.text) == (4, 0, 0)
        assert await responses(staff_console) == []  # a preview stores nothing
        token = TOKEN.search(preview.text)
        assert token
        done = await http.post_form(
            PAGE, {"do": "store", "token": token.group(1), "channel": "paper"}
        )
        assert done.status_code == 303
        page = await http.get(done.headers["location"])
        assert "შეინახა 4 ახალი პასუხი; 0 უკვე შემოტანილი იყო" in page.text
        again = await upload(http, GOOD)
        assert counts(again.text) == (0, 4, 0)
        assert 'name="token"' not in again.text
    stored = await responses(staff_console)
    assert len(stored) == 4 and {r.channel for r in stored} == {"paper"}
    assert all("@example.com" not in str(r.answers) for r in stored)  # e-mails never kept
    log = await staff_console.accounts.audit_log(AuditFilter(municipality=HOME))
    imported = [e.object for e in log if e.action == "imported_forms"]
    assert imported == ["google_forms.csv: 4 ახალი, 0 უკვე იყო"]


async def test_refused_rows_are_listed_with_row_and_column_and_cannot_be_stored(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        preview = await upload(http, BAD)
    _, already, refused = counts(preview.text)
    assert refused >= 2 and already == 0
    assert 'name="token"' not in preview.text
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td></tr>", preview.text)
    assert {"3", "5"} <= {number for number, _ in rows}
    assert any("C" in reason or "სვეტი" in reason for _, reason in rows)


async def test_a_google_forms_file_without_its_source_asks_where_the_forms_came_from(
    staff_console,
):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        page = await upload(http, GOOD, channel="")
    assert page.status_code == 400 and "საიდან არის ეს ფორმები" in page.text


async def test_a_stored_upload_token_belongs_to_its_clerk_only(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    other = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        token = TOKEN.search((await upload(http, GOOD)).text)
    assert token
    async with staff_console.client(other) as http:
        page = await http.post_form(PAGE, {"do": "store", "token": token.group(1)})
    assert page.status_code == 400 and await responses(staff_console) == []


async def test_applications_typed_into_the_table_reach_the_response_rate(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        bad = await http.post_form(
            PAGE, {"do": "applications", "period": "2025Q3", "count_winter_heating": "x"}
        )
        assert bad.status_code == 400
        done = await http.post_form(
            PAGE,
            {
                "do": "applications",
                "period": "2025Q3",
                "count_winter_heating": "185",
                "count_veterans": "25",
            },
        )
        assert done.status_code == 303
        page = await http.get(done.headers["location"])
        assert "განაცხადები შეინახა: 2" in page.text
    runtime = staff_console.runtime
    period = runtime.settings.quarters.parse("2025Q3")
    async with runtime.database.analysis(HOME) as analysis:
        known = await analysis.applications_within(period.start, period.end)
    assert known.get("winter_heating") == 185 and known.get("veterans") == 25


async def test_an_applications_file_is_uploaded(staff_console, tmp_path):
    sheet = tmp_path / "applications.csv"
    sheet.write_text("პერიოდი,სერვისი,რაოდენობა\n2025Q3,ზამთრის თბობა,185\n", encoding="utf-8")
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        files = {"applications_file": (sheet.name, sheet.read_bytes(), "text/csv")}
        done = await http.post(
            PAGE, data={"csrf": http.csrf, "do": "applications_file"}, files=files
        )
        assert done.status_code == 303, done.text
    log = await staff_console.accounts.audit_log(AuditFilter(municipality=HOME))
    assert [e.object for e in log if e.action == "saved_applications"] == ["applications.csv: 1"]


async def test_an_xlsx_export_saved_by_excel_is_previewed_like_a_csv(staff_console, tmp_path):
    sheet = write_xlsx(tmp_path / "პასუხები.xlsx", [form_header(), *form_rows(6)])
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        files = {"file": (sheet.name, sheet.read_bytes(), "application/octet-stream")}
        preview = await http.post(
            PAGE, data={"csrf": http.csrf, "do": "preview", "channel": "paper"}, files=files
        )
    assert preview.status_code == 200
    assert counts(preview.text) == (6, 0, 0)
    assert await responses(staff_console) == []
