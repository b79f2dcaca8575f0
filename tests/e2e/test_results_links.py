"""Every way in points to what came of it: the thank-you of the web page, of Telegram and of
Messenger, and the QR sheets lead to the public results page; Telegram subscribers'
quarterly news carries the "what we changed" entries written since the quarter began."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial

import pytest
from telegram.ext import ExtBot

from bot.application.changes import Changes
from bot.application.offer import Bases, a4_figure, entries
from bot.questionnaire.content import load_content
from tests.conftest import free_port
from tests.e2e.test_messenger import answer_up_to_summary
from tests.e2e.test_web import answer_all
from tests.support.citizen import Citizen
from tests.support.flows import complete
from tests.support.jobs import telegram_jobs
from tests.support.web_citizen import WebCitizen, browser

SITE = "https://feedback.ambrolauri.gov.ge"


async def test_the_web_thank_you_links_to_the_results_page(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await answer_all(citizen)
        await citizen.press("✅")
        assert "გმადლობთ" in citizen.page
        assert '<a href="/results">📊 ნახეთ შედეგები და რა შევცვალეთ</a>' in citizen.page
        page = await citizen.open("results")
        assert citizen.status == 200 and "რა შევცვალეთ" in page


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    """Telegram, with the web pages served at the municipality's public address."""
    return settings_env | {
        "WEB_ENABLED": "true",
        "WEB_BASE_URL": SITE,
        "WEBHOOK_PORT": str(free_port()),
    }


@pytest.fixture
def web_env(web_env: dict[str, str]) -> dict[str, str]:
    """The web page on 127.0.0.1 as a newcomer runs it (its cookie is not for https only)."""
    return {key: value for key, value in web_env.items() if key != "WEB_BASE_URL"}


async def test_the_telegram_thank_you_and_the_quarterly_news_point_to_the_results(
    running_bot, clock
):
    api, runtime = running_bot.api, running_bot.runtime
    clock.now = datetime(2025, 9, 10, 8, 0, tzinfo=UTC)
    listener = Citizen(api, 660000001, "ქეთევან", "ლორთქიფანიძე", "keto_l")
    closing = await complete(listener)
    assert f"შედეგები და რა შევცვალეთ: {SITE}/results" in closing[0]
    await listener.press("მინდა გავიგო")

    changes = Changes(partial(runtime.database.transaction, runtime.code), runtime.today)
    clock.now = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
    await changes.add("რიგი მერიაში", "მიღება ორშაბათობითაც", "done", ["documents_process"])
    old = Changes(partial(runtime.database.transaction, runtime.code), lambda: date(2025, 8, 1))
    await old.add("ძველი თხოვნა", "ძველი გადაწყვეტილება", "planned")  # last quarter's news

    clock.now = datetime(2025, 12, 1, 5, 1, tzinfo=UTC)
    bot = ExtBot(
        runtime.settings.telegram_bot_token.get_secret_value(),
        base_url=runtime.settings.telegram_base_url,
    )
    async with bot:
        assert "report:2025Q2" in await telegram_jobs(runtime, bot).tick()
    [news] = [c.params["text"] for c in api.sent(660000001) if "ჩვენ გავაკეთეთ" in c.params["text"]]
    assert "• შესრულებულია: რიგი მერიაში — მიღება ორშაბათობითაც" in news
    assert "ძველი თხოვნა" not in news
    assert news.endswith(f"შედეგები და რა შევცვალეთ: {SITE}/results")


async def test_the_messenger_thank_you_points_to_the_results(messenger_bot):
    citizen = messenger_bot.citizen("7301234567890999")
    await answer_up_to_summary(citizen)
    closing = await citizen.tap("✅")
    assert "გმადლობთ" in closing[-1]
    assert f"შედეგები და რა შევცვალეთ: {SITE}/results" in closing[-1]


def test_a_qr_sheet_says_where_the_results_are_published():
    content = load_content("ka")
    [general, *_] = entries(content.questionnaire, content.locale, Bases(web=SITE + "/"))
    import segno

    code = segno.make_qr(general.link)
    figure = a4_figure(
        [(code, general.links[0])], general, content.locale, "ამბროლაური", 10, SITE + "/results"
    )
    said = " ".join(text.get_text() for text in figure.texts)  # type: ignore[attr-defined]
    assert f"შედეგები: {SITE}/results" in said.replace("\n", " ")
