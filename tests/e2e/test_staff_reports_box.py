"""The reports pages as someone who wants one citizen's answers: with one form waiting in
the ballot box, nothing a member of staff can open by GET (a report's preview, the weekly
digests, a download link, the card page) makes the box give it up, so comparing the
dashboard or a report before and after tells nothing; downloads are POSTs, audited only
when a file was made."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.application.staff_accounts import Role
from storage.staff import AuditFilter
from tests.support import seed_000
from tests.support.staff import HOME

TODAY = datetime(2025, 10, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    """The box as it is in use: forms wait for five others or for their day to end."""
    return {**settings_env, "BALLOT_BOX_SIZE": "5"}


async def seeded(staff_console, clock) -> str:
    """The seed's forms over June–August, one form of today waiting in the box; the label
    of the last ended quarter."""
    clock.now = TODAY
    runtime = staff_console.runtime.of(HOME)
    async with runtime.database.transaction() as tx:
        for n, answers in enumerate(seed_000.answers()[:40]):
            day = date(2025, 6, 1) + timedelta(days=n % 92)
            await tx.responses.add("social_services_v1", "paper", answers, day)
        await tx.responses.drop_in_box("social_services_v1", "web", {"gender": "f"}, TODAY.date())
        await tx.commit()
    return runtime.settings.quarters.last_complete(TODAY.date()).label


async def test_opening_the_reports_pages_never_lets_the_one_waiting_form_out(staff_console, clock):
    last = await seeded(staff_console, clock)
    database = staff_console.runtime.of(HOME).database
    analyst = await staff_console.account(Role.ANALYST)
    viewer = await staff_console.account(Role.VIEWER)
    async with staff_console.client(analyst) as http:
        pages = [
            await http.get(f"/staff/{HOME}/reports"),
            await http.get(f"/staff/{HOME}/reports?period=2025-10-01..2025-10-15"),
            await http.get(f"/staff/{HOME}/reports/digests"),
            await http.get(f"/staff/{HOME}/reports/file?period={last}&format=html"),
            await http.get(f"/staff/{HOME}/card?quarter={last}&file=png"),
        ]
        internal = await http.post_form(
            f"/staff/{HOME}/reports/file", {"period": "2025-10-01..2025-10-15", "format": "html"}
        )
    async with staff_console.client(viewer) as http:
        pages.append(await http.get(f"/staff/{HOME}/reports"))
    assert [p.status_code for p in pages] == [200, 200, 200, 303, 200, 200]
    assert 'class="preview"' in pages[1].text
    assert internal.status_code == 200 and internal.headers["content-disposition"]
    assert await database.forms_waiting() == 1, "a page made the box give up its one form"


async def test_a_download_is_a_post_and_a_wrong_one_is_not_audited(staff_console, clock):
    last = await seeded(staff_console, clock)
    analyst = await staff_console.account(Role.ANALYST)
    async with staff_console.client(analyst) as http:
        page = await http.get(f"/staff/{HOME}/reports?period={last}")
        by_link = await http.get(f"/staff/{HOME}/reports/file?period={last}&format=docx")
        bogus = await http.post_form(
            f"/staff/{HOME}/reports/file", {"period": last, "format": "bogus"}
        )
        forged = await http.post(
            f"/staff/{HOME}/reports/file", data={"period": last, "format": "docx"}
        )
    assert 'method="post"' in page.text and 'name="format" value="docx"' in page.text
    assert by_link.status_code == 303 and "attachment" not in str(by_link.headers)
    assert bogus.status_code == 400 and 'role="alert"' in bogus.text
    assert forged.status_code == 403  # no page token: not a download
    log = await staff_console.accounts.audit_log(AuditFilter(municipality=HOME))
    assert not [e for e in log if e.action == "downloaded_report"]
