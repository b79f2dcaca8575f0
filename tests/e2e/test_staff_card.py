"""The staff console's download of the quarter's Facebook post (analysts and admins): the
1200×630 picture and its Georgian text for an ended quarter, each download in the audit
log; a quarter still open is refused in one line, and a viewer may not download it."""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PIL import Image

from bot.application.staff_accounts import Role
from storage.staff import AuditFilter
from tests.support import seed_000
from tests.support.staff import HOME

TODAY = datetime(2025, 10, 15, 9, 0, tzinfo=UTC)
SHOTS = Path(os.environ.get("SHOTS", "/tmp/shots/28d"))


async def seeded(staff_console, clock) -> str:
    """The seed's 96 forms over June–August; the label of that ended quarter."""
    clock.now = TODAY
    runtime = staff_console.runtime.of(HOME)
    async with runtime.database.transaction() as tx:
        for n, answers in enumerate(seed_000.answers()):
            day = date(2025, 6, 1) + timedelta(days=n % 92)
            await tx.responses.add("social_services_v1", "paper", answers, day)
        await tx.commit()
    return runtime.settings.quarters.containing(date(2025, 7, 1)).label


async def test_an_analyst_downloads_the_quarters_picture_and_post(staff_console, clock):
    quarter = await seeded(staff_console, clock)
    analyst = await staff_console.account(Role.ANALYST)
    async with staff_console.client(analyst) as http:
        reports = await http.get(f"/staff/{HOME}/reports")
        assert f'href="/staff/{HOME}/card"' in reports.text
        page = await http.get(f"/staff/{HOME}/card?quarter={quarter}")
        assert page.status_code == 200 and "Facebook" in page.text
        card = f"/staff/{HOME}/card"
        picture = await http.post_form(card, {"quarter": quarter, "file": "png"})
        text = await http.post_form(card, {"quarter": quarter, "file": "txt"})
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
    assert f'filename="card_{quarter}.png"' in picture.headers["content-disposition"]
    assert Image.open(io.BytesIO(picture.content)).size == (1200, 630)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"card_{quarter}.png").write_bytes(picture.content)  # to look at
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    assert "გმადლობთ ყველას, ვინც კითხვარი შეავსო" in text.text
    log = await staff_console.accounts.audit_log(AuditFilter(municipality=HOME))
    downloads = sorted(e.object for e in log if e.action == "downloaded_card")
    assert downloads == [f"{quarter}, png", f"{quarter}, txt"]


async def test_an_open_quarter_is_refused_in_one_line_and_nothing_is_downloaded(
    staff_console, clock
):
    await seeded(staff_console, clock)
    admin = await staff_console.account(Role.ADMIN)
    current = staff_console.runtime.of(HOME).settings.quarters.containing(TODAY.date()).label
    async with staff_console.client(admin) as http:
        card = f"/staff/{HOME}/card"
        answer = await http.post_form(card, {"quarter": current, "file": "png"})
        unreadable = await http.post_form(card, {"quarter": "next-week", "file": "txt"})
    assert answer.status_code == 400 and "text/html" in answer.headers["content-type"]
    assert 'role="alert"' in answer.text and current in answer.text
    assert unreadable.status_code == 400 and "ვერ წავიკითხე" in unreadable.text
    log = await staff_console.accounts.audit_log(AuditFilter(municipality=HOME))
    assert not [e for e in log if e.action == "downloaded_card"]


async def test_a_viewer_may_not_download_the_post(staff_console, clock):
    quarter = await seeded(staff_console, clock)
    viewer = await staff_console.account(Role.VIEWER)
    async with staff_console.client(viewer) as http:
        answer = await http.post_form(f"/staff/{HOME}/card", {"quarter": quarter, "file": "png"})
    assert answer.status_code == 403
