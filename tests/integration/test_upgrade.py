"""An installation made before there were several municipalities upgrades intact."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.application.municipalities import load_municipalities
from bot.config.settings import Settings
from bot.dialogue.events import Sender, Text
from bot.wiring.bootstrap import build_runtime
from storage import open_database

pytestmark = pytest.mark.both_databases
PREVIOUS_HEAD = "0008"


async def _old_installation(url: str) -> None:
    """Rows written the way the previous schema's code wrote them."""
    database = await open_database(url, migrate=False)
    await database.migrate(PREVIOUS_HEAD)
    now = datetime(2025, 9, 1, 8, 0)
    rows = [
        (
            "INSERT INTO responses (id, questionnaire_version, channel, answers, submitted_on) "
            "VALUES ('a1b2c3d4e5f60718293a4b5c6d7e8f90', 'social_services_v1', 'telegram', "
            '\'{"service": "winter_heating", "suggestions": "გზა გააკეთეთ"}\', \'2025-07-02\')'
        ),
        (
            "INSERT INTO applications (period_start, period_end, service, count) "
            "VALUES ('2025-06-01', '2025-08-31', 'winter_heating', 185)"
        ),
        (
            "INSERT INTO period_notes (period_start, period_end, summary, changes) "
            "VALUES ('2025-06-01', '2025-08-31', 'შეჯამება', NULL)"
        ),
        (
            "INSERT INTO comment_reviews (response_id, categories, publishable) "
            "VALUES ('a1b2c3d4e5f60718293a4b5c6d7e8f90', '[\"roads\"]', true)"
        ),
        "INSERT INTO job_runs (kind, period, ran_at) VALUES ('report', '2025Q1', :now)",
        (
            "INSERT INTO subscribers (channel, chat_id, opted_in_month) "
            "VALUES ('telegram', '4242', '2025-07-01')"
        ),
        "INSERT INTO imported_rows (row_hash) VALUES ('" + "f" * 64 + "')",
    ]
    async with database.engine.begin() as connection:
        for statement in rows:
            await connection.execute(text(statement), {"now": now} if ":now" in statement else {})
    await database.close()


async def test_an_installation_from_before_upgrades_with_its_data_and_settings(
    database_url: str,
):
    await _old_installation(database_url)
    env = {
        "database_url": database_url,
        "feedback_secret": "s" * 64,
        "quarter_start_month": "6",
        "analyst_ids": "111",
        "staff_chat_ids": "-100",
        "web_enabled": "false",
    }
    settings = Settings(_env_file=None, **env)
    [home] = load_municipalities(settings)
    assert home.home and home.code == "default" and home.settings == settings

    runtime = await build_runtime(settings)
    try:
        async with runtime.database.analysis() as analysis:
            [response] = await analysis.responses_between(date(2025, 6, 1), date(2025, 8, 31))
            assert response.answers["suggestions"] == "გზა გააკეთეთ"
            summary, _ = await analysis.notes(date(2025, 6, 1), date(2025, 8, 31))
            assert summary == "შეჯამება"
            assert await analysis.applications_within(date(2025, 6, 1), date(2025, 8, 31)) == {
                "winter_heating": 185
            }
            review = (await analysis.reviews())[response.id]
            assert review.publishable and review.categories == ("roads",)
            assert await analysis.imported(["f" * 64]) == {"f" * 64}
        async with runtime.database.transaction() as tx:
            assert await tx.subscribers.of("telegram") == ["4242"]
            assert not await tx.runs.claim("report", "2025Q1", datetime.now(UTC))
            assert await tx.runs.claim("report", "2025Q2", datetime.now(UTC))
    finally:
        await runtime.close()


async def test_a_citizen_half_way_through_keeps_their_place_after_the_upgrade(
    database_url: str,
):
    """Drafts keep their keys: the home municipality's keys are not scoped."""
    settings = Settings(
        _env_file=None, database_url=database_url, feedback_secret="s" * 64, web_enabled=False
    )
    database = await open_database(database_url, migrate=False)
    await database.migrate(PREVIOUS_HEAD)
    await database.close()
    runtime = await build_runtime(settings)
    sender = Sender("telegram", "31337", chat="31337")
    try:
        key = runtime.conversation.keyer.draft_key("telegram", "31337")
        now = datetime.now(UTC) - timedelta(minutes=5)
        async with runtime.database.engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO drafts (key, questionnaire_version, position, answers, "
                    "updated_at) VALUES (:key, :version, 'gender', "
                    '\'{"service": "free_meals"}\', :now)'
                ),
                {
                    "key": key,
                    "version": runtime.content.questionnaire.version,
                    "now": now.replace(tzinfo=None),
                },
            )
        outcome = await runtime.conversation.handle(sender, Text("/nothing"))
        assert "2 /" in outcome.replies[-1].text  # still at the second question
    finally:
        await runtime.close()
