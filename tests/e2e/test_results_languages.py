"""The results page speaks each of the municipality's languages (``?lang=``), Georgian
first, and links each of the others in its own name."""

from __future__ import annotations

import aiohttp
import pytest

HEADINGS = {
    "ka": "რა გვითხრეს და რა შევცვალეთ",
    "en": "What you told us and what we changed",
    "ru": "Что вы нам сказали и что мы изменили",
    "az": "Bizə nə dediniz və nəyi dəyişdik",
    "hy": "Ինչ ասացիք մեզ և ինչ փոխեցինք",
}


@pytest.fixture
def web_env(web_env: dict[str, str]) -> dict[str, str]:
    return web_env | {"LANGUAGES": "ka,en,ru,az,hy"}


async def test_the_results_page_and_its_method_speak_each_language(web_bot):
    async with aiohttp.ClientSession() as http:
        for language, heading in HEADINGS.items():
            asked = "" if language == "ka" else f"?lang={language}"
            async with http.get(web_bot.url + "results" + asked) as response:
                page = await response.text()
            assert f'<html lang="{language}">' in page and f"<h1>{heading}</h1>" in page
            assert 'lang="ka">ქართული</a>' in page or language == "ka"
            async with http.get(web_bot.url + "results/method" + asked) as response:
                assert f'<html lang="{language}">' in await response.text()
