"""The web questionnaire as an elderly citizen's phone uses it, in real Chromium: the
browser's own Back and Forward, a reload, a small screen (320×568), and axe-core on every
page, the error pages too, at 320 and 390 pixels wide. Nothing is downloaded: the browser
is the system's (``.ci/run`` installs it)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.support.browser import need_chromium
from tests.support.flows import stored_responses

SMALL = {"width": 320, "height": 568}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = os.environ.get("WEB_SCREENSHOTS")
"""A folder to keep the pages' screenshots in (looked at by hand); none by default."""

need_chromium()

from axe_playwright_python.async_playwright import Axe  # noqa: E402
from playwright.async_api import Page  # noqa: E402


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["MAX_RESPONSES_PER_DAY"] = "1"
    return settings_env


async def press(page: Page, name: str) -> None:
    button = page.get_by_role("button", name=re.compile("^" + re.escape(name)))
    await button.first.click()
    await page.wait_for_load_state()


async def shown(page: Page) -> str:
    return await page.locator("main").inner_text()


async def test_back_forward_and_reload_move_between_questions_and_store_what_was_meant(
    web_bot, chromium
):
    context = await chromium.new_context(viewport=PHONE, locale="ka-GE")
    page = await context.new_page()
    await page.goto(web_bot.url)
    await press(page, "▶️ დაწყება")
    await press(page, "ზამთრის თბობა")
    await press(page, "კაცი")
    await press(page, "ნათესავისგან")
    assert page.url.endswith("/n/4") and "კითხვა 4 / 10" in await shown(page)

    await page.go_back()  # the phone's Back: question 3 again, with its answer, no warning
    assert page.url.endswith("/n/3") and "კითხვა 3 / 10" in await shown(page)
    assert "ნათესავისგან" in await page.locator("#prompt").inner_text()
    await page.go_back()
    assert page.url.endswith("/n/2") and "კაცი" in await page.locator("#prompt").inner_text()
    await page.go_forward()  # Forward: question 3 again, its answer kept
    assert page.url.endswith("/n/3") and "კითხვა 3 / 10" in await shown(page)
    assert "ნათესავისგან" in await page.locator("#prompt").inner_text()
    await page.go_forward()
    assert page.url.endswith("/n/4") and "კითხვა 4 / 10" in await shown(page)
    await page.go_back()
    await page.go_back()
    assert page.url.endswith("/n/2")
    await press(page, "ქალი")  # answering an earlier question changes that answer
    assert "კითხვა 4 / 10" in await shown(page), "on to the first question not yet answered"

    await page.reload()  # a reload asks again; nothing is sent twice
    assert page.url.endswith("/n/4") and "კითხვა 4 / 10" in await shown(page)
    for name in ("ნაწილობრივ", "3 — მარტივი", "4 —", "5 —"):
        await press(page, name)
    await page.go_back()
    await page.go_back()  # two questions back: documents' satisfaction, 4
    assert "კითხვა 6 / 10" in await shown(page)
    await press(page, "2 —")
    for name in ("4 — ცდილობდნენ", "არა"):
        await press(page, name)
    await press(page, "გამოტოვება")
    assert "გთხოვთ, გადახედოთ" in await shown(page)
    await page.reload()
    await press(page, "✅ გაგზავნა")
    assert page.url.endswith("/done") and "გმადლობთ" in await shown(page)
    await page.go_back()  # Back after sending: the summary's address finds nothing open
    await page.reload()
    assert "გთხოვთ, გადახედოთ" not in await shown(page)
    await context.close()

    [response] = await stored_responses(web_bot.runtime)
    assert response["answers"] == {
        "service": "winter_heating",
        "gender": "female",
        "info_source": "acquaintance",
        "awareness": "partial",
        "documents": "3",
        "satisfaction": "2",
        "professionalism": "5",
        "helpfulness": "4",
        "extra_needs": "no",
        "suggestions": None,
    }


async def test_the_first_question_is_on_the_first_screen_at_320_by_568_after_a_service_link(
    web_bot, chromium
):
    context = await chromium.new_context(viewport=SMALL, locale="ka-GE")
    page = await context.new_page()
    await page.goto(web_bot.url + "q/winter_heating")
    await press(page, "▶️ დაწყება")
    box = await page.locator("#prompt").bounding_box()
    first = await page.get_by_role("button", name="ქალი").bounding_box()
    assert box is not None and first is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= SMALL["height"], box
    assert first["y"] + first["height"] <= SMALL["height"], "and its first answer too"
    await context.close()


async def every_page(page: Page, url: str, keep: dict[str, Page | None]) -> list[str]:
    """Walks through every kind of page; returns their names, checked as it goes."""
    names: list[str] = []

    async def check(name: str) -> None:
        names.append(name)
        await keep["check"](name)  # type: ignore[operator]

    await page.goto(url)
    await check("welcome")
    await press(page, "▶️ დაწყება")
    await check("question")
    await press(page, "ზამთრის თბობა")
    for name in ("ქალი", "ნათესავისგან", "ნაწილობრივ"):
        await press(page, name)
    await check("scale-question")
    for name in ("3 —", "4 —", "5 —", "4 — ცდილობდნენ", "დიახ"):
        await press(page, name)
    await check("text-question")
    await press(page, "⏹")
    await check("stop-confirmation")
    await page.go_back()
    await page.get_by_label("თქვენი პასუხი").fill("სახლამდე მიტანა")
    await press(page, "გაგზავნა ➡️")
    await press(page, "გამოტოვება")
    await check("summary")
    await press(page, "✏️")
    await check("change-an-answer")
    await press(page, "↩️")
    await press(page, "✅ გაგზავნა")
    await check("thank-you")
    await page.goto(url + "no/such/page")
    await check("not-found")
    await page.goto(url)
    await press(page, "▶️ დაწყება")
    await check("daily-limit")
    return names


async def test_axe_finds_nothing_on_any_page_at_320_and_390_pixels(web_bot, chromium, monkeypatch):
    found: dict[str, list[str]] = {}
    for width, viewport in ((320, SMALL), (390, PHONE)):
        context = await chromium.new_context(viewport=viewport, locale="ka-GE")
        page = await context.new_page()

        async def check(name: str, width: int = width, page: Page = page) -> None:
            results = await Axe().run(page)
            violations = results.response["violations"]
            found[f"{width}-{name}"] = [f"{v['impact']}: {v['id']}" for v in violations]
            if SCREENSHOTS:
                Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
                await page.screenshot(path=f"{SCREENSHOTS}/{width}-{name}.png", full_page=True)

        names = await every_page(page, web_bot.url, {"check": check})
        await context.close()
        assert len(names) == 10
    errors = await _error_pages(chromium, web_bot, monkeypatch)
    for name, violations in errors.items():
        found[name] = violations
    assert {name: v for name, v in found.items() if v} == {}
    assert len(found) == 2 * 10 + len(errors)


async def _error_pages(chromium, web_bot, monkeypatch) -> dict[str, list[str]]:
    """The pages no walk reaches: an expired page (403), a method no page takes (405), too
    many requests (429), a failure (500)."""
    from bot.channels.web.limits import RequestBudget

    async def broken(incoming: object) -> None:
        raise RuntimeError("down")

    url = web_bot.url
    found: dict[str, list[str]] = {}
    for width, viewport in ((320, SMALL), (390, PHONE)):
        context = await chromium.new_context(viewport=viewport, locale="ka-GE")
        page = await context.new_page()
        await page.goto(url)
        for name, status in (
            ("expired", 403),
            ("not-allowed", 405),
            ("too-many", 429),
            ("failed", 500),
        ):
            with monkeypatch.context() as patched:
                if status == 429:
                    patched.setattr(RequestBudget, "wait", lambda self, address: 30)
                if status == 500:
                    patched.setattr(web_bot.runtime.router, "handle", broken)
                method = {403: "POST", 405: "DELETE"}.get(status, "GET")
                response = await page.request.fetch(url, method=method, form={"b": "x"})
                assert response.status == status
                await page.set_content(await response.text())
            results = await Axe().run(page)
            found[f"{width}-{name}"] = [
                f"{v['impact']}: {v['id']}" for v in results.response["violations"]
            ]
            if SCREENSHOTS:
                await page.screenshot(path=f"{SCREENSHOTS}/{width}-{name}.png", full_page=True)
        await context.close()
    return found
