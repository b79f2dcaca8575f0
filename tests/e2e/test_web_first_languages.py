"""With several languages the first page offers them, each in its own words, and the page
remembers the one chosen (in its signed session) for the pages around the questionnaire."""

from __future__ import annotations

import pytest

from tests.support.web_citizen import WebCitizen, browser


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    return settings_env | {"LANGUAGES": "ka,az,ru"}


async def test_the_languages_are_on_the_first_page_and_the_choice_is_remembered(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open("q/winter_heating")
        assert list(citizen.buttons()) == ["ქართული", "Azərbaycanca", "Русский"]
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
