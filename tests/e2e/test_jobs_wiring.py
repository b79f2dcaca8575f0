"""The running bot schedules its jobs and catches up a missed digest at start."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import Clock

pytestmark = pytest.mark.both_databases

STAFF_CHAT = -100900


@pytest.fixture
def clock() -> Clock:
    fixed = Clock()
    fixed.now = datetime(2025, 9, 9, 6, 0, tzinfo=UTC)  # Tuesday: Monday's digest was missed
    return fixed


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["SCHEDULED_JOBS"] = "true"
    settings_env["STAFF_CHAT_IDS"] = str(STAFF_CHAT)
    return settings_env


async def test_bot_sends_the_missed_digest_once_after_starting(running_bot):
    api = running_bot.api

    def digests() -> list[str]:
        return [c.params["text"] for c in api.sent(STAFF_CHAT) if "კვირის" in c.params["text"]]

    await api.wait_until(lambda: len(digests()) == 1, limit=120)
    assert "01.09.2025 – 07.09.2025" in digests()[0]
    async with running_bot.runtime.database.transaction() as tx:
        assert not await tx.runs.claim("digest", "2025-W36", running_bot.runtime.clock())
