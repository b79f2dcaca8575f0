"""The Forms page (admins): an XLSForm checked before anything is stored, its problems shown
cell by cell, tried as a citizen would without storing an answer, published, retired and
offered again; QR sheets and receipt slips downloaded. Each action is in the audit log."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.application.staff_accounts import Role
from storage.staff import AuditFilter
from tests.support.flows import stored_responses
from tests.support.staff import (
    HOME,
    Console,
    StaffClient,
    running_console,
    write_other_municipality,
)
from tests.support.xlsforms import broken, kindergarten

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
async def console_with_links(
    web_env: dict[str, str], clock: Any, tmp_path: Path
) -> AsyncIterator[Console]:
    """The console with the web questionnaire's public address known (links for QR codes)."""
    env = {**web_env, **write_other_municipality(tmp_path), "WEB_BASE_URL": "http://kari.test"}
    async with running_console(env, clock) as console:
        yield console


async def upload(http: StaffClient, path: Path) -> Any:
    with path.open("rb") as handle:
        return await http.post(
            f"/staff/{HOME}/forms/check",
            data={"csrf": http.csrf},
            files={"file": (path.name, handle.read(), XLSX)},
        )


async def actions(console: Console) -> set[tuple[str, str]]:
    entries = await console.accounts.audit_log(AuditFilter(municipality=HOME))
    return {(e.action, e.object) for e in entries}


async def test_a_broken_xlsform_shows_each_problem_by_sheet_row_and_column_and_loads_nothing(
    staff_console: Console, tmp_path: Path
):
    admin = await staff_console.account(Role.ADMIN)
    async with staff_console.client(admin) as http:
        checked = await upload(http, broken(tmp_path))
        assert checked.status_code == 400
        assert "<table>" in checked.text and 'name="token"' not in checked.text
        rows = re.findall(
            r"<tr><td [^>]*>([^<]*)</td><td [^>]*>([^<]*)</td><td [^>]*>([^<]*)</td>", checked.text
        )
        assert ("survey", "5", "name") in rows  # the second "first": a name given twice
        assert len(rows) >= 8
    async with staff_console.runtime.database.forms(HOME) as forms:
        assert await forms.versions() == []


async def test_an_admin_checks_tries_and_publishes_a_form_that_citizens_then_get(
    staff_console: Console, tmp_path: Path
):
    admin = await staff_console.account(Role.ADMIN)
    async with staff_console.client(admin) as http:
        checked = await upload(http, kindergarten(tmp_path))
        assert checked.status_code == 200, checked.text
        token = TOKEN.search(checked.text).group(1)  # type: ignore[union-attr]
        async with staff_console.runtime.database.forms(HOME) as forms:
            assert await forms.versions() == []  # checked, not stored
        trial = await http.get(f"/staff/{HOME}/forms/try/{token}")
        assert trial.status_code == 200 and "არაფერი ინახება" in trial.text
        first = re.search(r'name="press" value="([^"]+)"', trial.text).group(1)  # type: ignore[union-attr]
        pressed = await http.post_form(
            f"/staff/{HOME}/forms/try/{token}", {"steps": "[]", "press": first}
        )
        assert pressed.status_code == 200
        assert json.loads(_hidden(pressed.text, "steps")) == [first]
        published = await http.post_form(f"/staff/{HOME}/forms/publish", {"token": token})
        assert published.status_code == 303
        page = await http.get(published.headers["location"])
        assert "kindergarten" in page.text and "გამოქვეყნდა" in page.text
        again = await http.post_form(f"/staff/{HOME}/forms/publish", {"token": token})
        assert again.status_code == 400  # a draft is published once
    assert "kindergarten" in _offered(staff_console)
    assert ("published_form", "kindergarten v1 (kindergarten.xlsx)") in await actions(staff_console)


async def test_a_form_tried_stores_no_answer_and_a_refused_answer_is_asked_again(
    staff_console: Console, tmp_path: Path
):
    admin = await staff_console.account(Role.ADMIN)
    async with staff_console.client(admin) as http:
        token = TOKEN.search((await upload(http, kindergarten(tmp_path))).text).group(1)  # type: ignore[union-attr]
        url = f"/staff/{HOME}/forms/try/{token}"
        page = await http.get(url)
        refused = await http.post_form(url, {"steps": "[]", "typed": "99"})  # no 99th garden
        assert 'class="problem" role="alert"' in refused.text
        assert json.loads(_hidden(refused.text, "steps")) == []  # asked again, as in a chat
        steps: list[str] = []
        for _ in range(60):  # through the whole form: the first option, or a typed "5"
            if "აქ მოქალაქე ფორმას გააგზავნიდა" in page.text:
                break
            data = {"steps": json.dumps(steps), **_next_press(page.text, steps)}
            page = await http.post_form(url, data)
            assert page.status_code == 200
            steps = json.loads(_hidden(page.text, "steps") or json.dumps(steps))
        assert len(steps) >= 5
        assert "აქ მოქალაქე ფორმას გააგზავნიდა" in page.text
    assert await stored_responses(staff_console.runtime) == []


async def test_retiring_and_offering_again_change_what_citizens_get(
    staff_console: Console, tmp_path: Path
):
    from tests.support.xlsforms import load_form

    await load_form(staff_console.runtime, kindergarten(tmp_path))
    admin = await staff_console.account(Role.ADMIN)
    async with staff_console.client(admin) as http:
        retired = await http.post_form(
            f"/staff/{HOME}/forms/retire", {"form": "kindergarten", "do": "retire"}
        )
        assert retired.status_code == 303
        assert "kindergarten" not in _offered(staff_console)
        listed = await http.get(f"/staff/{HOME}/forms")
        assert "გაუქმებულია" in listed.text
        offered = await http.post_form(
            f"/staff/{HOME}/forms/retire", {"form": "kindergarten", "do": "offer"}
        )
        assert offered.status_code == 303
        unknown = await http.post_form(f"/staff/{HOME}/forms/retire", {"form": "nothing"})
        assert unknown.status_code == 400
    assert "kindergarten" in _offered(staff_console)
    done = await actions(staff_console)
    assert {("retired_form", "kindergarten"), ("offered_form_again", "kindergarten")} <= done


async def test_qr_sheets_and_receipt_slips_download_as_pdfs_and_the_slips_codes_are_kept(
    console_with_links: Console,
):
    console = console_with_links
    admin = await console.account(Role.ADMIN)
    async with console.client(admin) as http:
        page = await http.get(f"/staff/{HOME}/forms")
        assert f"/staff/{HOME}/forms/qr/social_services" in page.text
        sheets = await http.get(f"/staff/{HOME}/forms/qr/social_services")
        assert sheets.status_code == 200
        assert sheets.content.startswith(b"%PDF")
        assert sheets.headers["content-disposition"].startswith("attachment")
        slips = await http.post_form(
            f"/staff/{HOME}/forms/slips", {"service": "free_meals", "count": "12"}
        )
        assert slips.status_code == 200, slips.text[:300]
        assert slips.content.startswith(b"%PDF")
        refused = await http.post_form(
            f"/staff/{HOME}/forms/slips", {"service": "free_meals", "count": "0"}
        )
        assert refused.status_code == 400 and 'role="alert"' in refused.text
    async with console.runtime.database.transaction(HOME) as tx:
        assert (await tx.codes.tally())["free_meals"][0] == 12
    done = await actions(console)
    assert {
        ("downloaded_qr_sheets", "social_services"),
        ("printed_slips", "free_meals: 12"),
    } <= done


async def test_only_an_admin_opens_the_forms_page(staff_console: Console):
    for role in (Role.ANALYST, Role.CLERK, Role.VIEWER):
        member = await staff_console.account(role)
        async with staff_console.client(member) as http:
            assert (await http.get(f"/staff/{HOME}/forms")).status_code == 403


def _hidden(html: str, name: str) -> str:
    import html as markup

    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    return markup.unescape(found.group(1)) if found else ""


def _offered(console: Console) -> set[str]:
    return {q.form_id for q in console.runtime.of(HOME).forms.active}


def _next_press(html: str, steps: list[str]) -> dict[str, str]:
    """What a hurried citizen does: send when asked, else the first option (a ticked box
    then its "done"), else types 5."""
    pressed = re.findall(r'name="press" value="([^"]+)"', html)
    if "ok" in pressed:
        return {"press": "ok"}
    done = [p for p in pressed if p.startswith("d|")]
    if done and steps and steps[-1].startswith("t|"):
        return {"press": done[0]}
    options = [p for p in pressed if p.startswith(("a|", "t|"))]
    if options:
        return {"press": options[0]}
    return {"typed": "5"}
