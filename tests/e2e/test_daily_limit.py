"""At most MAX_RESPONSES_PER_DAY questionnaires a day per citizen, counted apart from answers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.citizen import Citizen
from tests.support.flows import answer_up_to_summary, complete, draft_count, stored_responses

pytestmark = pytest.mark.both_databases


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["MAX_RESPONSES_PER_DAY"] = "2"
    return settings_env


async def test_past_the_daily_limit_a_citizen_is_refused_politely(running_bot, clock):
    citizen = Citizen(running_bot.api, 440000001)
    await complete(citizen)
    await complete(citizen)
    [refusal] = await citizen.send("/start")
    assert "2 კითხვარი" in refusal and "ხვალ" in refusal
    assert await draft_count(running_bot.runtime) == 0
    other = Citizen(running_bot.api, 440000002)
    assert "კითხვა 1 / 10" in (await other.send("/start"))[-1]
    clock.now += timedelta(days=1)
    assert "კითხვა 1 / 10" in (await citizen.send("/start"))[-1]
    assert len(await stored_responses(running_bot.runtime)) == 2


async def test_limit_is_checked_again_at_sending_time(running_bot, clock):
    citizen = Citizen(running_bot.api, 440000003)
    await answer_up_to_summary(citizen)
    # Meanwhile another bot instance sharing the database counted two submissions.
    runtime = running_bot.runtime
    day = runtime.conversation.today(clock.now).date()
    rate_key = runtime.conversation.keyer.rate_key("telegram", str(citizen.user_id), day)
    async with runtime.database.transaction() as tx:
        await tx.counts.add(rate_key, day)
        await tx.counts.add(rate_key, day)
        await tx.commit()
    [refusal] = await citizen.press("გაგზავნა")
    assert "ზღვარი" in refusal
    assert await stored_responses(runtime) == []
    assert await draft_count(runtime) == 1
