"""The analysts' and viewers' console pages in a real browser (Debian's Chromium) with
JavaScript off: the analyst reviews, corrects and publishes a text and downloads the
quarter's Word report; a viewer sees the dashboard and none of the analysts' pages; axe-core
finds no violation and nothing is wider than the screen at 390 and 1280 px.
``STAFF_SCREENSHOTS=<folder>`` keeps the pages' screenshots for a look by hand."""

from __future__ import annotations

import io
import os
from pathlib import Path

from docx import Document

from bot.application.staff_accounts import Role
from storage.staff import AuditFilter
from tests.e2e.test_staff_analyst_pages import quarters, seeded
from tests.support.browser import looked_at, need_chromium
from tests.support.staff import HOME, signed_in_page

SCREENSHOTS = os.environ.get("STAFF_SCREENSHOTS")

need_chromium()

from playwright.async_api import Page  # noqa: E402


async def without_script(browser, console, member, width: int) -> Page:
    page = await signed_in_page(browser, console, member, width)
    cookies = await page.context.cookies()
    context = await browser.new_context(
        viewport={"width": width, "height": 844}, java_script_enabled=False, accept_downloads=True
    )
    await context.add_cookies(cookies)
    await page.context.close()
    return await context.new_page()


async def test_the_analyst_reviews_corrects_publishes_and_downloads_the_word_report(
    staff_console, clock, chromium
):
    await seeded(staff_console, clock, count=24)
    _now, last = quarters(staff_console)
    analyst = await staff_console.account(Role.ANALYST)
    page = await without_script(chromium, staff_console, analyst, 390)
    base = f"{staff_console.url}/staff/{HOME}"
    await page.goto(f"{base}/texts?period={last}")
    first = page.locator("ol.texts > li").first
    text_id = await first.locator("input[name=text]").first.get_attribute("value")
    for box in await first.locator(".ticks input:checked").all():
        await box.uncheck()
    await first.locator("input[name=cat_information]").check()
    await first.get_by_role("button", name="კატეგორიების შენახვა").click()
    assert f"{text_id}" in await page.inner_text(".notice")
    same = page.locator(f"li:has(input[name=text][value='{text_id}'])").first
    await same.get_by_role("button", name="გამოქვეყნება").click()
    same = page.locator(f"li:has(input[name=text][value='{text_id}'])").first
    assert "გამოქვეყნდება" in await same.inner_text()
    await page.goto(f"{base}/reports?period={last}")
    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Word").click()
    download = await waiting.value
    data = Path(await download.path()).read_bytes()
    assert Document(io.BytesIO(data)).paragraphs
    await page.context.close()
    done = [e.action for e in await staff_console.accounts.audit_log(AuditFilter(HOME))]
    for action in ("read_texts", "corrected_text", "published_text", "downloaded_report"):
        assert action in done, action


async def test_a_viewer_sees_the_dashboard_and_none_of_the_analysts_pages(
    staff_console, clock, chromium
):
    await seeded(staff_console, clock)
    viewer = await staff_console.account(Role.VIEWER)
    page = await without_script(chromium, staff_console, viewer, 390)
    base = f"{staff_console.url}/staff/{HOME}"
    await page.goto(f"{base}/")
    links = await page.locator("nav.pages a").all_inner_texts()
    assert "მიმოხილვა" in links and "ტექსტები" not in links
    await page.get_by_role("link", name="მიმოხილვა").first.click()
    assert await page.locator("svg.chart").count() >= 1
    for path in ("/texts", "/reports/digests", "/audit", "/paper"):
        answer = await page.goto(base + path)
        assert answer is not None and answer.status == 403, path
    await page.context.close()


async def test_each_page_is_clean_and_fits_a_phone_at_390_and_1280_px(
    staff_console, clock, chromium
):
    await seeded(staff_console, clock)
    _now, last = quarters(staff_console)
    analyst = await staff_console.account(Role.ANALYST)
    viewer = await staff_console.account(Role.VIEWER)
    national = await staff_console.account(Role.NATIONAL)
    found: dict[str, list[str]] = {}
    pages = {
        "dashboard-analyst": (analyst, "/dashboard"),
        "texts": (analyst, f"/texts?period={last}"),
        "reports-analyst": (analyst, f"/reports?period={last}"),
        "digests": (analyst, "/reports/digests"),
        "dashboard-viewer": (viewer, "/dashboard"),
        "dashboard-national": (national, "/dashboard"),
        "reports-viewer": (viewer, "/reports"),
        "reports-refused": (analyst, "/reports?period=2025-07-01..2025-07-31&kind=public"),
    }
    for width in (390, 1280):
        for name, (member, path) in pages.items():
            # axe-core is itself a script: it runs where scripts may (the pages have none;
            # the tests above use them with scripts off)
            page = await signed_in_page(chromium, staff_console, member, width)
            await page.goto(f"{staff_console.url}/staff/{HOME}{path}")
            await looked_at(page, name, width, found, SCREENSHOTS)
            await page.context.close()
    assert not any(found.values()), found
