"""With several languages the first page offers them, each in its own words, and the page
remembers the one chosen (in its signed session) for the pages around the questionnaire."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.web_citizen import WebCitizen, browser


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    return settings_env | {"LANGUAGES": "ka,az,ru"}


async def test_the_languages_are_on_the_first_page_and_the_choice_is_remembered(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open("q/winter_heating")
        assert list(citizen.buttons()) == ["ქართული", "Azərbaycanca", "Русский", "▶️ დაწყება"]
        assert "აირჩიეთ ენა" in citizen.page and "Выберите язык" in citizen.page
        await citizen.press("Русский")
        assert 'lang="ru"' in citizen.page and "Вопрос 2 / 10" in citizen.page
        await citizen.stop()
        assert 'lang="ru"' in citizen.page and "Здравствуйте" in citizen.page
        assert "გამარჯობა" not in citizen.page, "the welcome in the language chosen"
        await citizen.open("no/such/page")
        assert citizen.status == 404 and "Страница не найдена" in citizen.page
        await citizen.open()
        assert 'lang="ru"' in citizen.page and "Русский" in citizen.buttons()
        await citizen.press("Azərbaycanca")  # another choice, on the same first page
        assert 'lang="az"' in citizen.page


async def test_on_a_small_phone_the_languages_are_the_first_thing_seen(web_bot):
    """At 320×568 every language's button is on the first screen, and axe-core finds
    nothing on the page (each button marked with its own language)."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from axe_playwright_python.async_playwright import Axe
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser_ = await playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = await browser_.new_page(viewport={"width": 320, "height": 568})
        await page.goto(web_bot.url + "q/winter_heating")
        for name in ("ქართული", "Azərbaycanca", "Русский"):
            box = await page.get_by_role("button", name=name).bounding_box()
            assert box is not None and box["y"] + box["height"] <= 568, name
        assert await page.locator('button[lang="az"]').count() == 1
        results = await Axe().run(page)
        await browser_.close()
    assert results.response["violations"] == []
