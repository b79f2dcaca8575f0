"""You said, we did: citizens who opt in hear what came of it, and nothing links them."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from telegram.ext import ExtBot

from bot.questionnaire.periods import parse_period
from tests.support.citizen import Citizen
from tests.support.flows import complete, stored_responses
from tests.support.jobs import telegram_jobs

ANALYST = 660000009


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["ANALYST_IDS"] = str(ANALYST)
    return settings_env


def tables_holding(database_path, value: str) -> set[str]:
    connection = sqlite3.connect(database_path)
    try:
        names = [
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {
            name
            for name in names
            if any(value in str(row) for row in connection.execute(f'SELECT * FROM "{name}"'))
        }
    finally:
        connection.close()


async def test_opt_in_is_kept_apart_and_the_quarterly_summary_arrives_once(
    running_bot, clock, database_path
):
    api, runtime = running_bot.api, running_bot.runtime
    clock.now = datetime(2025, 9, 10, 8, 0, tzinfo=UTC)
    listener = Citizen(api, 660000001, "ქეთევან", "ლორთქიფანიძე", "keto_l")
    closing = await complete(listener)
    assert "გმადლობთ" in closing[0]
    [added] = await listener.press("მინდა გავიგო")
    assert "/unsubscribe" in added
    silent = Citizen(api, 660000002, "ზურაბ", "ხუციშვილი", "zura_kh")
    await complete(silent)
    assert tables_holding(database_path, "660000001") == {"subscribers"}
    assert tables_holding(database_path, "660000002") == set()
    query = "SELECT channel, chat_id, opted_in_month FROM subscribers"
    [row] = sqlite3.connect(database_path).execute(query).fetchall()
    assert row == ("telegram", "660000001", "2025-09-01")  # the month only
    assert {r["submitted_on"].isoformat() for r in await stored_responses(runtime)} == {
        "2025-09-10"
    }

    async with runtime.database.analysis() as analysis:
        quarter = parse_period("2025Q2")  # the municipality's: September–November
        change = "2026 წლიდან ზამთრის თბობის დახმარება 200 ლარამდე გაიზრდება."
        await analysis.set_note(quarter.start, quarter.end, "changes", change)
        await analysis.commit()
    clock.now = datetime(2025, 12, 1, 5, 1, tzinfo=UTC)
    bot = ExtBot(
        runtime.settings.telegram_bot_token.get_secret_value(),
        base_url=runtime.settings.telegram_base_url,
    )
    async with bot:
        jobs = telegram_jobs(runtime, bot)
        assert "report:2025Q2" in await jobs.tick()
        assert "report:2025Q2" not in await jobs.tick()
    summaries = [
        c.params["text"] for c in api.sent(660000001) if "ჩვენ გავაკეთეთ" in c.params["text"]
    ]
    assert len(summaries) == 1 and "200 ლარამდე" in summaries[0]
    assert list(api.documents(660000001)) == ["report_2025Q2_public.html"]
    assert api.documents(660000002) == {}

    [removed] = await listener.send("/unsubscribe")
    assert "გაუქმდა" in removed
    assert tables_holding(database_path, "660000001") == set()


async def test_a_subscriber_who_blocked_the_bot_is_removed(running_bot, clock, database_path):
    api, runtime = running_bot.api, running_bot.runtime
    clock.now = datetime(2025, 9, 10, 8, 0, tzinfo=UTC)
    listener = Citizen(api, 660000003)
    await complete(listener)
    await listener.press("მინდა გავიგო")
    api.blocked.add(660000003)
    clock.now = datetime(2025, 12, 1, 5, 1, tzinfo=UTC)
    bot = ExtBot(
        runtime.settings.telegram_bot_token.get_secret_value(),
        base_url=runtime.settings.telegram_base_url,
    )
    async with bot:
        await telegram_jobs(runtime, bot).tick()
    assert tables_holding(database_path, "660000003") == set()
