"""The web page lays out what the citizen is asked from the prompt itself, whatever words
the citizen's language puts around it."""

from __future__ import annotations

import pytest

from tests.support.web_citizen import WebCitizen, browser


@pytest.fixture
def web_env(web_env: dict[str, str]) -> dict[str, str]:
    return web_env | {"LANGUAGES": "ka,en"}


async def test_an_english_question_shows_its_number_apart_and_can_be_stopped(web_bot):
    """English says "Question 1 of 10", not "1 / 10": the page still shows the number on
    its own line and offers to stop, as it does in Georgian."""
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open()  # the languages are on the first page
        await citizen.press("English")
        page = citizen.page
        assert '<p class="progress">Question 1 of 10</p>' in page
        assert 'id="prompt">Question 1 of 10' not in page, "the number is not in the question"
        assert 'name="stop"' in page and "⏹ Stop filling in" in page
        await citizen.stop()
        assert 'name="stop"' not in citizen.page, "nothing left to stop"
