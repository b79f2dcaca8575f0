"""PostgreSQL goes away mid-questionnaire and comes back: nothing half-written, no loss."""

from __future__ import annotations

import pytest

from tests.support.citizen import Citizen
from tests.support.flows import (
    EXPECTED,
    STEPS,
    answer_through_an_outage,
    draft_count,
    step_update,
    stored_responses,
)

pytestmark = pytest.mark.postgresql


async def test_database_outage_gets_an_apology_and_the_conversation_continues_after(
    running_bot, postgres_server
):
    citizen = Citizen(running_bot.api, 660000001)
    # The same button again, once the database is back: the answer is taken once.
    replies = await answer_through_an_outage(citizen, postgres_server)
    assert "კითხვა 5 /" in replies[-1]
    for step in STEPS[4:]:
        await citizen.deliver(await step_update(citizen, step))
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"] == EXPECTED
    assert await draft_count(running_bot.runtime) == 0
