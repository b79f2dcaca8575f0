"""The web questionnaire in a real browser: Debian's Chromium driven by Playwright on a
phone-sized screen, checked with axe-core. Nothing is downloaded: the browser is the
system's (``.ci/run`` installs it)."""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

from tests.support.browser import need_chromium
from tests.support.flows import stored_responses

PHONE = {"width": 360, "height": 740}
AGENT = "Mozilla/5.0 (Linux; Android 5.1; OldPhone-SM-J100) WebKit/537 TestAgent/4242"
SCREENSHOTS = os.environ.get("WEB_SCREENSHOTS")
"""A folder to keep the pages' screenshots in (looked at by hand); none by default."""
SUGGESTION = "მეტი ინფორმაცია <b>სოფლებში</b> & ადგილზე"

need_chromium()

from axe_playwright_python.async_playwright import Axe  # noqa: E402
from playwright.async_api import Page  # noqa: E402


def button(page: Page, name: str):
    return page.get_by_role("button", name=re.compile("^" + re.escape(name)))


async def press(page: Page, name: str) -> None:
    await button(page, name).first.click()
    await page.wait_for_load_state()


async def accessibility(page: Page, name: str, found: dict[str, list[str]]) -> None:
    """axe-core on the page as it is; every violation is kept for the report."""
    results = await Axe().run(page)
    found[name] = [
        f"{v['impact']}: {v['id']} ({len(v['nodes'])})" for v in results.response["violations"]
    ]
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


async def test_a_citizen_completes_with_back_skip_change_and_send_in_chromium(web_bot, chromium):
    context = await chromium.new_context(viewport=PHONE, locale="ka-GE")
    page = await context.new_page()
    found: dict[str, list[str]] = {}
    await page.goto(web_bot.url)
    await accessibility(page, "1-welcome", found)
    await press(page, "▶️ დაწყება")
    await accessibility(page, "2-question", found)
    await press(page, "ზამთრის თბობა")
    await press(page, "კაცი")
    await press(page, "⬅️")  # back: the gender again, with the answer given shown
    assert "კაცი" in await page.locator("#prompt").inner_text()
    await press(page, "ქალი")
    for name in ("ნათესავისგან", "ნაწილობრივ", "3 — მარტივი", "4 —", "5 —", "4 — ცდილობდნენ"):
        await press(page, name)
    await press(page, "არა")
    await accessibility(page, "3-text-question", found)
    await press(page, "გამოტოვება")  # skip the suggestions
    await accessibility(page, "4-summary", found)
    await press(page, "✏️")  # change an answer
    await press(page, "შეთავაზებები")
    await page.get_by_label("თქვენი პასუხი").fill(SUGGESTION)
    await press(page, "გაგზავნა ➡️")
    summary = await page.locator("main").inner_text()
    assert SUGGESTION in summary, "typed text comes back as text, escaped, never as markup"
    await press(page, "✅ გაგზავნა")
    assert "გმადლობთ" in await page.locator("main").inner_text()
    await accessibility(page, "5-thank-you", found)
    await context.close()

    [response] = await stored_responses(web_bot.runtime)
    assert response["channel"] == "web"
    assert response["answers"] == {
        "service": "winter_heating",
        "gender": "female",
        "info_source": "acquaintance",
        "awareness": "partial",
        "documents": "3",
        "satisfaction": "4",
        "professionalism": "5",
        "helpfulness": "4",
        "extra_needs": "no",
        "suggestions": SUGGESTION,
    }
    print("axe-core violations by page:", json.dumps(found, ensure_ascii=False))
    serious = [
        v for page in found.values() for v in page if v.split(":")[0] in {"serious", "critical"}
    ]
    assert serious == [], found


async def test_a_citizen_closes_the_tab_and_resumes_at_the_same_question(web_bot, chromium):
    context = await chromium.new_context(viewport=PHONE)
    page = await context.new_page()
    await page.goto(web_bot.url)
    await press(page, "▶️ დაწყება")
    await press(page, "ახალშობილის")
    await press(page, "ქალი")
    await page.close()
    again = await context.new_page()
    await again.goto(web_bot.url)
    text = await again.locator("main").inner_text()
    assert "კითხვა 3 / 10" in text and "საიდან შეიტყვეთ" in text
    await context.close()


async def test_without_javascript_the_questionnaire_still_works(web_bot, chromium):
    context = await chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = await context.new_page()
    await page.goto(web_bot.url + "q/home_care")
    await press(page, "▶️ დაწყება")
    assert "კითხვა 2 / 10" in await page.locator("main").inner_text()
    for name in ("ქალი", "მერიის ვებგვერდიდან", "სრულად", "4 —", "5 —", "5 —", "5 —", "დიახ"):
        await press(page, name)
    await page.get_by_label("თქვენი პასუხი").fill("სახლამდე მიტანა")
    await press(page, "გაგზავნა ➡️")
    await press(page, "გამოტოვება")
    await press(page, "✅ გაგზავნა")
    assert "გმადლობთ" in await page.locator("main").inner_text()
    await context.close()
    [response] = await stored_responses(web_bot.runtime)
    assert response["answers"]["service"] == "home_care"
    assert response["answers"]["extra_needs_text"] == "სახლამდე მიტანა"


async def test_neither_the_database_nor_the_log_holds_the_cookie_address_or_browser(
    web_bot, chromium, database_path, caplog
):
    caplog.set_level(logging.DEBUG)
    context = await chromium.new_context(viewport=PHONE, user_agent=AGENT)
    page = await context.new_page()
    await page.goto(web_bot.url)
    await press(page, "▶️ დაწყება")
    await press(page, "ზამთრის თბობა")
    [cookie] = await context.cookies()
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    await press(page, "ქალი")
    await context.close()
    await web_bot.runtime.database.checkpoint()
    stored = b"".join(p.read_bytes() for p in database_path.parent.glob(database_path.name + "*"))
    logged = caplog.text.replace(web_bot.url, "")
    for secret in (cookie["value"], AGENT, "OldPhone", "127.0.0.1"):
        assert secret.encode() not in stored
        assert secret not in logged


async def test_a_loaded_forms_ticks_and_numbers_work_and_are_accessible_in_chromium(
    web_bot, chromium, tmp_path
):
    from tests.support.xlsforms import kindergarten, load_form

    await load_form(web_bot.runtime, kindergarten(tmp_path))
    context = await chromium.new_context(viewport=PHONE, locale="ka-GE")
    page = await context.new_page()
    found: dict[str, list[str]] = {}
    await page.goto(web_bot.url + "q/kindergarten--garden_1")
    await press(page, "▶️ დაწყება")
    await press(page, "5 — ძალიან კმაყოფილი")
    await press(page, "☐ კვება")
    await press(page, "☐ სამუშაო საათები")
    await accessibility(page, "kg-1-ticked", found)
    assert await button(page, "☑ კვება").count() == 1
    await press(page, "✅ მზადაა")
    await accessibility(page, "kg-2-number", found)
    await page.get_by_label("თქვენი პასუხი").fill("8")
    await press(page, "გაგზავნა ➡️")
    assert "1-დან 5-მდე" in await page.locator("main").inner_text()
    await page.get_by_label("თქვენი პასუხი").fill("3")
    await press(page, "გაგზავნა ➡️")
    await accessibility(page, "kg-3-summary", found)
    await press(page, "✅ გაგზავნა")
    await context.close()
    [response] = await stored_responses(web_bot.runtime)
    assert response["answers"] == {
        "garden": "garden_1",
        "content": "5",
        "liked": "food hours",
        "children": "3",
    }
    serious = [
        v for page in found.values() for v in page if v.split(":")[0] in {"serious", "critical"}
    ]
    assert serious == [], found
