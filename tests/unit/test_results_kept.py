"""The results page keeps each period's figures: a citizen gets what is kept at once, and
figures older than ten minutes are worked out again in the background, never while they
wait (only the very first page after a start waits for them)."""

from __future__ import annotations

import asyncio
from datetime import date

from bot.application import results as module
from bot.application.results import KEPT_SECONDS, Results
from bot.questionnaire.periods import Period

QUARTER = Period(date(2025, 6, 1), date(2025, 8, 31), "2025Q1")


async def test_kept_figures_are_served_at_once_and_renewed_in_the_background(monkeypatch):
    worked: list[int] = []
    release = asyncio.Event()

    async def work_out(_reports: object, _period: Period) -> object:
        worked.append(len(worked))
        if len(worked) > 1:
            await release.wait()  # a slow renewal: nobody waits for it
        return f"figures {len(worked)}"

    monkeypatch.setattr(module, "public_period", work_out)
    now = [0.0]
    page = Results(None, None, None, "/results", "/", clock=lambda: now[0])  # type: ignore[arg-type]

    assert await page._figures(QUARTER) == "figures 1"
    assert await page._figures(QUARTER) == "figures 1" and worked == [0], "kept"
    now[0] = KEPT_SECONDS + 1
    assert await page._figures(QUARTER) == "figures 1", "stale, served at once"
    while len(worked) < 2:  # the renewal has begun, and is waiting
        await asyncio.sleep(0)
    assert await page._figures(QUARTER) == "figures 1", "still the kept ones meanwhile"
    assert len(worked) == 2, "one renewal at a time"
    release.set()
    while page._renewing:
        await asyncio.sleep(0)
    assert await page._figures(QUARTER) == "figures 2"
