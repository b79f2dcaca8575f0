"""The clerk's work in a real browser (Debian's Chromium) with JavaScript off: ten paper
forms typed with the keyboard only and saved after their summary, then a Google Forms export
imported after its preview; every clerk page clean for axe-core at 390 and 1280 px.
``STAFF_SCREENSHOTS=<folder>`` keeps the pages' screenshots for a look by hand."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from bot.application.staff_accounts import Role
from storage.staff import AuditFilter
from tests.support.browser import looked_at, need_chromium
from tests.support.paper_typing import Tally, set_day, type_form, typed_answers
from tests.support.seed_000 import answers
from tests.support.staff import HOME, PASSWORD

SCREENSHOTS = os.environ.get("STAFF_SCREENSHOTS")
EXPORT = Path(__file__).parent.parent / "fixtures" / "google_forms.csv"
BAD_EXPORT = Path(__file__).parent.parent / "fixtures" / "google_forms_bad.csv"

need_chromium()


async def clerk_page(browser, console, member, width: int, javascript: bool = True):  # type: ignore[no-untyped-def]
    context = await browser.new_context(
        viewport={"width": width, "height": 844}, java_script_enabled=javascript
    )
    page = await context.new_page()
    await page.goto(console.url + "/staff/sign-in")
    await page.fill("#email", member.email)
    await page.fill("#password", PASSWORD)
    async with page.expect_navigation():
        await page.click("button[type=submit] >> nth=-1")
    return page


async def test_a_clerk_types_ten_paper_forms_then_imports_an_export_with_javascript_off(
    staff_console, chromium
):
    clerk = await staff_console.account(Role.CLERK)
    page = await clerk_page(chromium, staff_console, clerk, 390, javascript=False)
    await page.goto(f"{staff_console.url}/staff/{HOME}/paper")
    questionnaire = staff_console.runtime.content.questionnaire
    texts = [q.kind.free_text for q in questionnaire.questions if q.kind.stores and q.asked]
    tally = Tally()
    await set_day(page, "14.07.2025", tally)
    for n, form in enumerate(answers()[:10], start=1):
        assert await page.evaluate("document.activeElement.id") == "q_service"
        await type_form(page, typed_answers(questionnaire, form), texts, tally)
        assert f"ფორმა {n} გადაიდო" in await page.inner_text(".notice")
    await page.click("button[value=review]")
    await page.wait_for_selector("table")
    assert "ჯგუფი: 10 ფორმა, თარიღი 14.07.2025" in await page.inner_text("h2")
    async with page.expect_navigation():
        await page.click("button[value=save]")
    assert "10 ფორმა შეინახა" in await page.inner_text(".notice")
    async with staff_console.runtime.database.analysis(HOME) as analysis:
        day = date(2025, 7, 14)
        stored = await analysis.responses_between(day, day)
    assert sorted(r.answers["service"] for r in stored) == sorted(
        a["service"] for a in answers()[:10]
    )
    assert sum(bool(r.answers.get("suggestions")) for r in stored) == 4  # every third has one

    await page.goto(f"{staff_console.url}/staff/{HOME}/imports")
    await page.set_input_files("#file", str(EXPORT))
    await page.select_option("#channel", "google_forms")
    async with page.expect_navigation():
        await page.click("button[value=preview]")
    assert [await li.inner_text() for li in await page.query_selector_all(".counts li")] == [
        "4 ახალი",
        "0 უკვე შემოტანილი",
        "0 შეცდომით",
    ]
    async with page.expect_navigation():
        await page.click("button[value=store]")
    assert "შეინახა 4 ახალი პასუხი" in await page.inner_text(".notice")
    log = await staff_console.accounts.audit_log(AuditFilter(municipality=HOME))
    actions = [e.action for e in log if e.who == clerk.email]
    assert "saved_paper_batch" in actions and "imported_forms" in actions
    await page.context.close()


async def test_every_clerk_page_is_clean_for_axe_and_fits_390_and_1280(staff_console, chromium):
    clerk = await staff_console.account(Role.CLERK)
    found: dict[str, list[str]] = {}
    for width in (390, 1280):
        page = await clerk_page(chromium, staff_console, clerk, width)
        await page.goto(f"{staff_console.url}/staff/{HOME}/paper")
        await looked_at(page, "paper", width, found, SCREENSHOTS)
        await page.fill("#q_service", "15")
        await page.fill("#q_gender", "7")
        await page.fill("#q_suggestions", "შეშა ძვირია")
        async with page.expect_navigation():
            await page.click("button[value=hold]")
        await looked_at(page, "paper-problems", width, found, SCREENSHOTS)
        for field, value in {"gender": "1", "info_source": "3", "awareness": "2"}.items():
            await page.fill(f"#q_{field}", value)
        for field, value in {"documents": "3", "satisfaction": "4", "professionalism": "5"}.items():
            await page.fill(f"#q_{field}", value)
        await page.fill("#q_helpfulness", "4")
        await page.fill("#q_extra_needs", "2")
        async with page.expect_navigation():
            await page.click("button[value=hold]")
        async with page.expect_navigation():
            await page.click("button[value=review]")
        await looked_at(page, "paper-summary", width, found, SCREENSHOTS)
        async with page.expect_navigation():
            await page.click("button[value=save]")
        await looked_at(page, "paper-saved", width, found, SCREENSHOTS)
        await page.goto(f"{staff_console.url}/staff/{HOME}/imports")
        await looked_at(page, "imports", width, found, SCREENSHOTS)
        for name, export in (("imports-preview", EXPORT), ("imports-refused", BAD_EXPORT)):
            await page.set_input_files("#file", str(export))
            await page.select_option("#channel", "paper")
            async with page.expect_navigation():
                await page.click("button[value=preview]")
            await looked_at(page, name, width, found, SCREENSHOTS)
        await page.context.close()
    assert {name: problems for name, problems in found.items() if problems} == {}
