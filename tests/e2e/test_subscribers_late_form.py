"""The subscribers' "you said, we did" after a late paper form (issue 28): its figures are
the audited public report's, never counted afresh, so a form typed in after the quarter was
published does not show through the message."""

from __future__ import annotations

from datetime import UTC, date, datetime

from telegram.ext import ExtBot

from bot.questionnaire.periods import parse_period
from tests.support import seed_000
from tests.support.citizen import Citizen
from tests.support.flows import complete
from tests.support.jobs import telegram_jobs


async def test_the_news_after_a_late_paper_form_gives_back_neither_its_count_nor_its_answer(
    running_bot, clock
):
    api, runtime = running_bot.api, running_bot.runtime
    clock.now = datetime(2025, 9, 10, 8, 0, tzinfo=UTC)
    listener = Citizen(api, 660000001)
    await complete(listener)
    await listener.press("მინდა გავიგო")
    quarter = parse_period("2025Q2")  # September–November
    answers = seed_000.answers()[:20]
    async with runtime.database.transaction(runtime.code) as tx:
        for n, row in enumerate(answers):
            row = {**row, "satisfaction": "5" if n % 4 else "4"}
            await tx.responses.add("social_services_v1", "paper", row, date(2025, 10, 1))
        await tx.commit()

    clock.now = datetime(2025, 12, 1, 1, 0, tzinfo=UTC)  # the results page, before the news
    first = await runtime.reports.public.for_quarter(quarter, "results_page")
    said = {line.key: line.value for line in first.headline}
    assert said == {"responses": "21", "satisfied": "100%"}, "all satisfied, all printed"
    late = {**answers[0], "satisfaction": "1"}
    async with runtime.database.transaction(runtime.code) as tx:
        await tx.responses.add("social_services_v1", "paper", late, date(2025, 11, 28))
        await tx.commit()

    clock.now = datetime(2025, 12, 1, 5, 1, tzinfo=UTC)
    bot = ExtBot(
        runtime.settings.telegram_bot_token.get_secret_value(),
        base_url=runtime.settings.telegram_base_url,
    )
    async with bot:
        assert "report:2025Q2" in await telegram_jobs(runtime, bot).tick()
    [news] = [c.params["text"] for c in api.sent(660000001) if "ჩვენ გავაკეთეთ" in c.params["text"]]
    assert "22" not in news, "21 + the late form"
    assert "95%" not in news, "21 of 22 satisfied: the late form was not"
    report = await runtime.reports.public.for_quarter(quarter, "report")
    for line in report.headline:  # whatever it still says is what the report says
        assert line.value in news
