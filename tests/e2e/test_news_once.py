"""Subscribers' quarterly "you said, we did" news tells each "what we changed" entry once:
an entry written on the day the news goes out (dated that day, which is in the quarter the
next news reports on too) is not told again three months later; one that has moved on since
(planned -> done) is told again, with its new status."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial

import pytest
from telegram.ext import ExtBot

from bot.application.changes import Changes
from tests.conftest import free_port
from tests.support.citizen import Citizen
from tests.support.flows import complete
from tests.support.jobs import telegram_jobs


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    return settings_env | {"WEB_ENABLED": "true", "WEBHOOK_PORT": str(free_port())}


def news_to(api, chat: int) -> list[str]:
    return [c.params["text"] for c in api.sent(chat) if "ჩვენ გავაკეთეთ" in c.params["text"]]


async def quarterly_news(runtime, label: str) -> None:
    bot = ExtBot(
        runtime.settings.telegram_bot_token.get_secret_value(),
        base_url=runtime.settings.telegram_base_url,
    )
    async with bot:
        assert f"report:{label}" in await telegram_jobs(runtime, bot).tick()


async def test_each_entry_is_told_once_in_the_quarterly_news(running_bot, clock):
    api, runtime = running_bot.api, running_bot.runtime
    clock.now = datetime(2025, 9, 10, 8, 0, tzinfo=UTC)
    listener = Citizen(api, 660000002, "ნინო", "ბერიძე", "nino_b")
    await complete(listener)
    await listener.press("მინდა გავიგო")

    def written_on(day: date) -> Changes:
        return Changes(partial(runtime.database.transaction, runtime.code), lambda: day)

    await written_on(date(2025, 11, 20)).add("რიგი მერიაში", "მიღება ორშაბათობითაც", "done")
    early = await written_on(date(2025, 12, 1)).add("სია ვებგვერდზე", "განვათავსებთ", "planned")

    clock.now = datetime(2025, 12, 1, 5, 1, tzinfo=UTC)
    await quarterly_news(runtime, "2025Q2")
    [first] = news_to(api, 660000002)
    assert "რიგი მერიაში" in first and "• დაგეგმილია: სია ვებგვერდზე — განვათავსებთ" in first

    await written_on(date(2026, 1, 15)).add("ტრანსპორტი", "ავტობუსი ოთხშაბათობით", "in-progress")
    clock.now = datetime(2026, 3, 1, 5, 1, tzinfo=UTC)
    await quarterly_news(runtime, "2025Q3")
    [_, second] = news_to(api, 660000002)
    assert "ტრანსპორტი" in second
    assert "რიგი მერიაში" not in second
    assert "სია ვებგვერდზე" not in second, "told in December already"

    await written_on(date(2026, 4, 2)).set_status(early, "done")
    clock.now = datetime(2026, 6, 1, 5, 1, tzinfo=UTC)
    await quarterly_news(runtime, "2025Q4")
    [_, _, third] = news_to(api, 660000002)
    assert "• შესრულებულია: სია ვებგვერდზე — განვათავსებთ" in third
    assert "ტრანსპორტი" not in third
