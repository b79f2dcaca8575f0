"""A ``field-list`` group in a real browser (Debian's Chromium via Playwright): both its
questions on one page, answered with a radio button and a text box and sent with one
button; the page reads on a phone and on a desktop without sideways scrolling, and axe-core
finds nothing serious on it. ``WEB_SCREENSHOTS`` keeps its pictures (looked at by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_web_browser import SCREENSHOTS, accessibility, press
from tests.support.flows import stored_responses
from tests.support.sections_form import ABOUT, AGE, PENSION, VISIT_DAY, sections_form
from tests.support.xlsforms import load_form


@pytest.mark.parametrize("width", [390, 1280])
async def test_a_field_list_page_is_answered_in_chromium_on_a_phone_and_a_desktop(
    web_bot, chromium, tmp_path: Path, width: int
):
    await load_form(web_bot.runtime, sections_form(tmp_path))
    context = await chromium.new_context(viewport={"width": width, "height": 800}, locale="ka-GE")
    page = await context.new_page()
    await page.goto(web_bot.url + "q/home_care")
    await press(page, "▶️ დაწყება")
    main = page.locator("main")
    assert ABOUT in await main.inner_text()
    await page.get_by_role("textbox", name="თქვენი პასუხი").fill("72")
    await page.get_by_role("radio", name="დიახ").check()
    found: dict[str, list[str]] = {}
    await accessibility(page, f"field-list-{width}", found)
    sideways = await page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not sideways, "the page fits the screen"
    assert await page.get_by_role("group", name=AGE).count() == 1
    assert await page.get_by_role("group", name=PENSION).count() == 1
    await press(page, "▶️ შემდეგი")
    assert VISIT_DAY in await main.inner_text()
    await press(page, "📅 დღეს")
    await press(page, "დალაგება")
    await press(page, "გამოტოვება")
    await press(page, "✅ გაგზავნა")
    await context.close()
    [response] = await stored_responses(web_bot.runtime)
    assert response["answers"]["age"] == "72" and response["answers"]["pension"] == "yes"
    assert response["answers"]["visit_day"] == web_bot.runtime.today().isoformat()
    assert response["answers"]["helped"] == "cleaning"
    serious = [
        v for v in found[f"field-list-{width}"] if v.split(":")[0] in {"serious", "critical"}
    ]
    assert serious == [], found
    assert SCREENSHOTS is None or Path(SCREENSHOTS, f"field-list-{width}.png").exists()
