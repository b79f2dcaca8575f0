"""After a start the results page's first figures take half a minute to work out (every
ended quarter and year audited against every earlier public output): a citizen who comes
then is told at once, kindly and in Georgian, to come back in a minute (503, Retry-After),
and the page is there as soon as the figures are ready."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
import pytest

from bot.wiring.results import results_for, warm
from tests.support import seed_000


@pytest.fixture
def web_env(web_env: dict[str, str]) -> dict[str, str]:
    return web_env | {"RESULTS_WAIT_SECONDS": "0"}


@pytest.fixture
async def seeded(web_bot, clock):
    clock.now = datetime(2025, 10, 15, 9, 0, tzinfo=UTC)  # 2025Q1 (June–August) has ended
    async with web_bot.runtime.database.transaction() as tx:
        for row, day in zip(seed_000.answers(), seed_000.days(), strict=False):
            await tx.responses.add("social_services_v1", "paper", row, day)
        await tx.commit()
    return web_bot


async def test_a_citizen_is_asked_to_come_back_in_a_minute_while_results_are_prepared(seeded):
    async with aiohttp.ClientSession() as http:
        async with http.get(seeded.url + "results") as response:
            assert response.status == 503
            assert response.headers["Retry-After"] == "60"
            page = await response.text()
        assert "ერთ წუთში ისევ შემოიაროთ" in page
        assert "<script" not in page
        async with http.get(seeded.url + "results/feed.atom") as response:
            assert response.status == 503 and response.headers["Retry-After"] == "60"

        preparing = results_for(seeded.runtime).warm()  # the warm-up the first visit began
        assert preparing is not None
        await preparing

        async with http.get(seeded.url + "results") as response:
            assert response.status == 200
            page = await response.text()
        assert "2025Q1" in page or "01.06.2025" in page
        async with http.get(seeded.url + "results/feed.atom") as response:
            assert response.status == 200


async def test_the_figures_warmed_at_the_start_are_served_at_once(seeded):
    warm(seeded.runtime)  # what the scheduled tick does at the start and each minute
    preparing = results_for(seeded.runtime).warm()
    assert preparing is not None, "the warm-up is in hand"
    await preparing
    assert results_for(seeded.runtime).warm() is None, "nothing left to work out"
    async with aiohttp.ClientSession() as http, http.get(seeded.url + "results") as response:
        assert response.status == 200
