"""The console's dashboard, texts and reports pages over HTTP: what each role sees, what it
may change, and that every reading of texts and every change is in the audit log."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

from docx import Document

from bot.application.staff_accounts import Role
from storage.staff import AuditFilter
from tests.support import seed_000
from tests.support.staff import HOME, OTHER

TODAY = datetime(2025, 9, 20, 9, 0, tzinfo=UTC)
"""The seed's forms are spread from 1 June to the day before: over the last complete quarter
and the current one's first days (the municipality's quarters may start in any month)."""


def quarters(staff_console) -> tuple[str, str]:
    """This quarter's and the last complete one's labels (the municipality's own quarters)."""
    settings = staff_console.runtime.of(HOME).settings
    return (
        settings.quarters.containing(TODAY.date()).label,
        settings.quarters.last_complete(TODAY.date()).label,
    )


async def seeded(staff_console, clock, count: int = 96) -> None:
    clock.now = TODAY
    runtime = staff_console.runtime.of(HOME)
    start = date(2025, 6, 1)
    async with runtime.database.transaction() as tx:
        for n, answers in enumerate(seed_000.answers()[:count]):
            day = start + timedelta(days=n % 111)  # to 19 September
            await tx.responses.add("social_services_v1", "paper", answers, day)
        await tx.commit()


async def actions(staff_console) -> list[tuple[str, str]]:
    entries = await staff_console.accounts.audit_log(AuditFilter(municipality=HOME))
    return [(e.action, e.object) for e in entries]


async def test_an_analyst_sees_the_quarter_so_far_with_charts_and_raw_counts(staff_console, clock):
    await seeded(staff_console, clock)
    analyst = await staff_console.account(Role.ANALYST)
    async with staff_console.client(analyst) as http:
        page = await http.get(f"/staff/{HOME}/dashboard")
    assert page.status_code == 200, page.text
    assert quarters(staff_console)[0] in page.text and '<svg class="chart"' in page.text
    assert re.search(r'class="big">\d+<', page.text)  # the quarter's forms so far, raw
    assert "<script" not in page.text
    assert "texts?look=1" in page.text  # how many texts need a look, and a way to them
    assert "ზამთრის" in page.text or "winter" in page.text.lower()  # services by name


async def test_a_viewer_sees_small_counts_hidden_and_nothing_of_the_texts(staff_console, clock):
    await seeded(staff_console, clock)
    _, last = quarters(staff_console)
    viewer = await staff_console.account(Role.VIEWER)
    async with staff_console.client(viewer) as http:
        page = await http.get(f"/staff/{HOME}/dashboard")
        texts = await http.get(f"/staff/{HOME}/texts")
        internal = await http.post_form(
            f"/staff/{HOME}/reports/file", {"period": last, "format": "html"}
        )
    assert page.status_code == 200
    assert "&lt;3" in page.text  # e.g. the services with one or two forms
    assert "texts?look=1" not in page.text
    assert texts.status_code == 403
    # a viewer's report is the public one, whatever is asked
    assert internal.status_code == 200
    assert "public" in dict(await actions(staff_console)).get("downloaded_report", "")


async def test_an_analyst_corrects_and_publishes_a_text_and_each_step_is_audited(
    staff_console, clock
):
    await seeded(staff_console, clock, count=12)
    _, last = quarters(staff_console)
    analyst = await staff_console.account(Role.ANALYST)
    async with staff_console.client(analyst) as http:
        page = await http.get(f"/staff/{HOME}/texts?period={last}")
        assert page.status_code == 200
        ids = re.findall(r'name="text" value="([^"]+)"', page.text)
        assert ids, page.text
        first = ids[0]
        fixed = await http.post_form(
            f"/staff/{HOME}/texts/review?period={last}",
            {"text": first, "do": "correct", "cat_information": "1"},
        )
        assert fixed.status_code == 303
        assert "saved=" in fixed.headers["location"]
        published = await http.post_form(
            f"/staff/{HOME}/texts/review", {"text": first, "do": "publish"}
        )
        assert published.status_code == 303
        again = await http.get(f"/staff/{HOME}/texts?period={last}&category=information")
        empty = await http.post_form(
            f"/staff/{HOME}/texts/review", {"text": first, "do": "correct"}
        )
    row = again.text.split(f'value="{first}"', 1)[1].split("</li>")[0]
    assert 'name="cat_information" value="1" checked' in row
    assert 'value="withdraw"' in row  # published: the button now withdraws it
    assert empty.status_code == 400 and "ერთი კატეგორია მაინც" in empty.text
    done = await actions(staff_console)
    assert ("corrected_text", f"{first}: information") in done
    assert ("published_text", first) in done
    assert any(a == "read_texts" and o.startswith(last) for a, o in done)
    assert all(seed_000.INCREASE[0] not in o for _a, o in done)  # never the words


async def test_the_analyst_downloads_the_quarters_word_report_and_saves_its_notes(
    staff_console, clock
):
    await seeded(staff_console, clock, count=30)
    _, last = quarters(staff_console)
    analyst = await staff_console.account(Role.ANALYST)
    async with staff_console.client(analyst) as http:
        page = await http.get(f"/staff/{HOME}/reports?period={last}")
        assert page.status_code == 200 and 'class="preview"' in page.text
        saved = await http.post_form(
            f"/staff/{HOME}/reports/notes?period={last}",
            {"summary": "შეჯამების ტექსტი", "changes": "ცვლილება"},
        )
        assert saved.status_code == 303
        word = await http.post_form(
            f"/staff/{HOME}/reports/file", {"period": last, "format": "docx"}
        )
    assert word.status_code == 200
    assert word.headers["content-disposition"].startswith("attachment")
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "შეჯამების ტექსტი" in text
    done = await actions(staff_console)
    assert ("edited_report_notes", last) in done
    assert any(a == "downloaded_report" and f"{last}, internal" in o for a, o in done)


async def test_a_public_report_of_a_month_is_refused_in_one_plain_line(staff_console, clock):
    month = "2025-07-01..2025-07-31"
    clock.now = TODAY
    analyst = await staff_console.account(Role.ANALYST)
    async with staff_console.client(analyst) as http:
        page = await http.get(f"/staff/{HOME}/reports?period={month}&kind=public")
        bad = await http.get(f"/staff/{HOME}/reports?period=last+summer")
    assert page.status_code == 400 and 'role="alert"' in page.text
    assert "ვერ წავიკითხე" not in page.text  # read, and refused as public (the service's word)
    assert "/reports/file" not in page.text
    assert bad.status_code == 400 and "2025Q3" in bad.text


async def test_the_public_report_of_the_quarter_still_running_is_refused_in_one_line(
    staff_console, clock
):
    clock.now = TODAY  # 2025Q2 runs from 1 September to 30 November
    viewer = await staff_console.account(Role.VIEWER)  # a viewer reads public reports only
    async with staff_console.client(viewer) as http:
        page = await http.get(f"/staff/{HOME}/reports?period=2025Q2")
        file = await http.post_form(
            f"/staff/{HOME}/reports/file", {"period": "2025Q2", "format": "html"}
        )
        ended = await http.get(f"/staff/{HOME}/reports?period=2025Q1")
    assert page.status_code == 400 and 'role="alert"' in page.text
    assert "2025Q2 ჯერ არ დასრულებულა" in page.text
    assert "/reports/file" not in page.text
    assert file.status_code != 200 or "attachment" not in file.headers.get(
        "content-disposition", ""
    ), "no public figure of a running quarter"
    assert ended.status_code == 200, "the last ended quarter stays public"


async def test_a_national_analyst_sees_any_municipalitys_dashboard_suppressed_and_no_texts(
    staff_console, clock
):
    await seeded(staff_console, clock)
    national = await staff_console.account(Role.NATIONAL)
    async with staff_console.client(national) as http:
        home = await http.get(f"/staff/{HOME}/dashboard")
        other = await http.get(f"/staff/{OTHER}/dashboard")
        texts = await http.get(f"/staff/{HOME}/texts")
        digests = await http.get(f"/staff/{HOME}/reports/digests")
    assert home.status_code == 200 and "&lt;3" in home.text
    assert other.status_code == 200
    overview = home.text.split("</table>")[0]  # every municipality, each its own quarter
    names = [p.settings.municipality_name for p in staff_console.runtime.everywhere]
    assert len(names) == 2 and all(name in overview for name in names)
    assert "texts?look=1" not in home.text
    assert texts.status_code == 403 and digests.status_code == 403


async def test_the_last_weekly_digests_are_shown_and_their_reading_audited(staff_console, clock):
    await seeded(staff_console, clock)
    analyst = await staff_console.account(Role.ANALYST)
    async with staff_console.client(analyst) as http:
        page = await http.get(f"/staff/{HOME}/reports/digests")
    assert page.status_code == 200
    assert page.text.count('class="digest"') >= 1
    assert "<b>" not in page.text.split("<main>")[1]  # Telegram's tags are not shown raw
    assert any(a == "read_digests" for a, _o in await actions(staff_console))


async def test_a_texts_filter_not_understood_lists_no_text_unaudited(staff_console, clock):
    await seeded(staff_console, clock)
    _, last = quarters(staff_console)
    ended = staff_console.runtime.of(HOME).settings.quarters.parse(last).end
    clock.now = datetime(ended.year, ended.month, ended.day, 12, tzinfo=UTC)  # its last day
    analyst = await staff_console.account(Role.ANALYST)
    async with staff_console.client(analyst) as http:
        listed = await http.get(f"/staff/{HOME}/texts")  # this quarter's, as zzz falls back to
        wrong = await http.get(f"/staff/{HOME}/texts?period=zzz")
        no_form = await http.get(f"/staff/{HOME}/texts?form=nonexistent")
    assert re.findall(r'name="text" value="([^"]+)"', listed.text)  # texts there to read
    assert not [a for a, o in await actions(staff_console) if a == "read_texts" and ": 0" in o]
    for answer in (wrong, no_form):
        assert answer.status_code == 400 and 'role="alert"' in answer.text
        assert not re.findall(r'name="text" value="([^"]+)"', answer.text)
