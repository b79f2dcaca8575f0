"""Each municipality has its own results page (``/m/<code>/results``) and feed, with its own
"what we changed" entries and nothing of another's."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

import aiohttp
import feedparser
import pytest

from bot.application.changes import Changes

ONI = "ონის მუნიციპალიტეტი"


@pytest.fixture
def web_env(web_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "municipalities"
    folder.mkdir()
    (folder / "oni.yaml").write_text(f"name: {{ka: {ONI}}}\nquarter_start_month: 1\n", "utf-8")
    return web_env | {
        "MUNICIPALITIES_DIR": str(folder),
        "MUNICIPALITY_CODE": "ambrolauri",
        "MUNICIPALITY_NAME": "ამბროლაურის მუნიციპალიტეტი",
    }


async def test_each_municipality_publishes_its_own_entries_on_its_own_page(web_bot):
    database = web_bot.runtime.database
    for code, asked in (("ambrolauri", "ამბროლაურის თხოვნა"), ("oni", "ონის თხოვნა")):
        changes = Changes(partial(database.transaction, code), lambda: date(2025, 10, 2))
        await changes.add(asked, "გადაწყდა", "planned")
    async with aiohttp.ClientSession() as http:
        async with http.get(web_bot.url + "m/oni/results") as response:
            assert response.status == 200
            page = await response.text()
        assert ONI in page and "ონის თხოვნა" in page and "ამბროლაურის თხოვნა" not in page
        async with http.get(web_bot.url + "results") as response:
            home = await response.text()
        assert "ამბროლაურის თხოვნა" in home and "ონის თხოვნა" not in home
        async with http.get(web_bot.url + "m/oni/results/feed.atom") as response:
            feed = feedparser.parse(await response.text())
    assert [entry.title for entry in feed.entries] == ["დაგეგმილია: ონის თხოვნა"]
    assert feed.feed.link.endswith("/m/oni/results")
