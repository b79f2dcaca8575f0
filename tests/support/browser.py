"""A real browser for the page tests: Debian's Chromium driven by Playwright (never a
downloaded browser), and what a look at a page finds (axe-core, sideways scrolling).

A test module calls ``need_chromium()`` before anything else: without Chromium the module is
skipped on a developer's machine and fails in CI (``.ci/run`` installs it). Its tests ask
for the ``chromium`` fixture (tests/e2e/conftest.py, a browser from ``launched``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("Chromium is required in CI (.ci/run installs it)")
        pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


@asynccontextmanager
async def launched() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        await browser.close()


async def looked_at(
    page: Any, name: str, width: int, found: dict[str, list[str]], screenshots: str | None
) -> None:
    """axe-core's violations and any sideways scrolling, kept in ``found`` for the test's
    one assertion; a screenshot in ``screenshots`` (a folder) for a look by hand."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    problems = [f"{v['id']} ({len(v['nodes'])})" for v in results.response["violations"]]
    scroll = await page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(f"{scroll} px wide")
    found[f"{name}@{width}"] = problems
    if screenshots:
        Path(screenshots).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=f"{screenshots}/{name}-{width}.png", full_page=True)
