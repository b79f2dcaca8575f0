"""Messenger's default mode in a municipality with Georgian and Russian: the language is
chosen in the chat (nothing of the questionnaire is), and the welcome, the button and the
web page it opens speak it."""

from __future__ import annotations

import pytest

from tests.support.web_citizen import WebCitizen, browser

pytestmark = pytest.mark.both_databases


@pytest.fixture
def messenger_env(messenger_env: dict[str, str]) -> dict[str, str]:
    messenger_env.pop("MESSENGER_MODE")  # the default: the questionnaire on a web page
    return messenger_env | {"WEB_ENABLED": "true", "LANGUAGES": "ka,ru"}


async def test_the_welcome_the_button_and_the_page_follow_the_language_chosen_in_the_chat(
    messenger_bot,
):
    graph = messenger_bot.graph
    citizen = messenger_bot.citizen("7301234567899002")
    [choice] = await citizen.get_started()
    assert "Выберите язык" in choice and not [s for s in graph.to(citizen.psid) if s.urls]
    said = await citizen.tap("Русский")
    assert any("Здравствуйте" in text for text in said), said
    assert not any("გამარჯობა" in text for text in said), "the welcome in Russian only"
    [button] = [sent for sent in graph.to(citizen.psid) if sent.urls]
    assert "Открыть анкету" in button.everything and "კითხვარის გახსნა" not in button.everything
    [link] = button.urls
    async with browser() as http:
        page = WebCitizen(link.split("/m/")[0] + "/", http)
        await page.open(link.split("/", 3)[3])
        assert "Начать" in page.page and 'lang="ru"' in page.page
        await page.press("▶️")
        assert "Вопрос 1 / 10" in page.page
        for words in ("Прекратить заполнение", "Оценка социальных услуг", "Анонимный опрос"):
            assert words in page.page, f"{words!r}: the page's own words in Russian"
        assert "შევსების შეწყვეტა" not in page.page
