"""The public results page in a real browser (Debian's Chromium): each ended quarter's public
figures with a chart beside each table, the texts an analyst published (and no other), the
"what we changed" entries; on a 360 px phone and a 1280 px screen, with no axe-core
violation; and the same news in its Atom feed, read back with feedparser."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

import aiohttp
import feedparser
import pytest

from bot.application.analyst import Analyst
from bot.application.changes import Changes
from tests.support import seed_000

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}
SCREEN = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("SHOTS", "/tmp/shots/28b"))
PUBLISHED = "გთხოვთ, დოკუმენტების სია ვებგვერდზე განათავსოთ"
UNPUBLISHED = "ჩემი მეზობელი გიორგი ამბობს, რომ რიგი დიდია"
ASKED = "საბუთების შეტანა ერთ ვიზიტში"
DECIDED = "განცხადებას ახლა ონლაინაც ვიღებთ"


async def seed(runtime) -> None:
    """The seed quarter (June–August 2025, 96 forms, two with texts of our own), and a
    quarter of four forms before it (small cells)."""
    rows = seed_000.answers()
    rows[1] = {**rows[1], "suggestions": PUBLISHED}
    rows[2] = {**rows[2], "suggestions": UNPUBLISHED}
    async with runtime.database.transaction() as tx:
        for row, day in zip(rows, seed_000.days(), strict=False):
            await tx.responses.add("social_services_v1", "paper", row, day)
        for n in range(4):
            small = {**rows[0], "satisfaction": "5" if n else "1"}
            await tx.responses.add("social_services_v1", "paper", small, date(2024, 10, 1 + n))
        await tx.commit()
    async with runtime.database.analysis() as analysis:
        found = await analysis.responses_between(seed_000.PERIOD.start, seed_000.PERIOD.end)
    [published] = [r for r in found if r.answers.get("suggestions") == PUBLISHED]
    await Analyst(runtime.database, runtime.content.questionnaire).publish(published.id[:8], True)
    changes = Changes(
        partial(runtime.database.transaction, runtime.code), lambda: date(2025, 10, 2)
    )
    entry = await changes.add(ASKED, DECIDED, "in-progress", ["documents_process"])
    assert entry


@pytest.fixture
async def results_bot(web_bot, clock):
    clock.now = datetime(2025, 10, 15, 9, 0, tzinfo=UTC)  # 2025Q1 (June–August) has ended
    await seed(web_bot.runtime)
    return web_bot


async def test_the_feed_carries_the_entries_and_each_quarters_publication(results_bot):
    address = results_bot.url + "results/feed.atom"
    async with aiohttp.ClientSession() as http, http.get(address) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("application/atom+xml")
        body = await response.text()
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert any(ASKED in title and "მიმდინარეობს" in title for title in titles), titles
    [change] = [entry for entry in feed.entries if ASKED in entry.title]
    assert change.summary == DECIDED
    assert change.updated.startswith("2025-10-02")
    quarters = [entry for entry in feed.entries if "კვარტლის შედეგები" in entry.title]
    assert [q.link.rsplit("/", 1)[-1] for q in quarters] == ["2025Q1", "2024Q2"]
    assert feed.feed.link.endswith("/results")


async def test_a_period_that_has_not_ended_or_is_unknown_is_not_found_but_a_year_is(
    results_bot,
):
    async with aiohttp.ClientSession() as http:
        for tail in ("results/2025Q2", "results/2019Q1", "results/nonsense"):
            async with http.get(results_bot.url + tail) as response:
                assert response.status == 404, tail
                assert "01.06.2025 – 31.08.2025" in await response.text(), "the latest, instead"
        async with http.get(results_bot.url + "results/2024Q2") as response:
            assert response.status == 200
            assert "set-cookie" not in response.headers
        async with http.get(results_bot.url + "results/2024") as response:  # June–May
            assert response.status == 200
            assert '<strong aria-current="page">წელი: 01.06.2024 – 31.05.2025' in (
                await response.text()
            )


def chromium_or_skip() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("Chromium is required in CI (.ci/run installs it)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")


async def look(page, url: str, shot: str) -> str:
    """Opens ``url``, checks it fits its width and axe-core finds nothing; its text."""
    from axe_playwright_python.async_playwright import Axe

    await page.goto(url)
    await page.wait_for_load_state()
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{url}: {width} px wide"
    violations = (await Axe().run(page)).response["violations"]
    assert not violations, [(v["id"], v["nodes"][0]["html"]) for v in violations]
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / shot), full_page=True)
    return await page.inner_text("body")


async def test_the_results_page_reads_on_a_phone_and_a_screen_without_violations(results_bot):
    chromium_or_skip()
    from playwright.async_api import async_playwright

    base = results_bot.url + "results"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for name, viewport in (("phone", PHONE), ("screen", SCREEN)):
                page = await browser.new_page(viewport=viewport)
                text = await look(page, base, f"results_{name}.png")
                assert ASKED in text and DECIDED in text and "მიმდინარეობს" in text
                assert PUBLISHED in text and UNPUBLISHED not in text
                assert "01.06.2025 – 31.08.2025" in text
                charts = page.locator("svg.chart")
                assert await charts.count() >= 3
                small = await look(page, base + "/2024Q2", f"results_small_{name}.png")
                assert "<3" in small and PUBLISHED not in small
                await page.get_by_role("link", name="როგორ ვითვლით").first.click()
                await page.wait_for_load_state()
                method = await look(page, page.url, f"method_{name}.png")
                assert "„<3“" in method
                await page.close()
            assert not await browser.contexts[0].cookies() if browser.contexts else True
        finally:
            await browser.close()


async def test_the_public_html_report_reads_on_a_phone_without_sideways_scrolling(
    results_bot, tmp_path
):
    """The seed quarter's seven-column services table spilled to 714 px before."""
    chromium_or_skip()
    from playwright.async_api import async_playwright

    from bot.application.reports import ReportOrder

    reports = results_bot.runtime.reports
    quarter = results_bot.runtime.settings.quarters.parse("2025Q1")
    order = ReportOrder(quarter, public=True, formats=("html",))
    [html] = await reports.write(order, tmp_path)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for name, viewport in (("phone", PHONE), ("screen", SCREEN)):
                page = await browser.new_page(viewport=viewport)
                text = await look(page, html.as_uri(), f"report_{name}.png")
                assert "სერვისით მოსარგებლეები" in text
                await page.close()
        finally:
            await browser.close()
