"""The privacy page in a real browser (Debian's Chromium): reached from the questionnaire's
footer, readable on a phone, with no axe-core violation."""

from __future__ import annotations

from tests.support.browser import CHROMIUM, need_chromium

PHONE = {"width": 360, "height": 740}

need_chromium()

from axe_playwright_python.async_playwright import Axe  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402


async def test_the_footer_link_opens_a_privacy_page_a_phone_reads_without_violations(web_bot):
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = await browser.new_page(viewport=PHONE)
            await page.goto(web_bot.url)
            await page.get_by_role("link", name="პირადი მონაცემები").click()
            await page.wait_for_load_state()
            assert page.url.endswith("/privacy")
            heading = await page.get_by_role("heading", level=1).inner_text()
            assert heading == "როგორ ვინახავთ თქვენს პასუხებს"
            assert await page.locator("li").count() == 6
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], "no sideways scrolling on a phone"
            violations = (await Axe().run(page)).response["violations"]
            assert not violations, [v["id"] for v in violations]
            await page.get_by_role("link", name="⬅️").click()
            await page.wait_for_load_state()
            assert page.url == web_bot.url
        finally:
            await browser.close()
