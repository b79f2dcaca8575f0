"""Keystrokes and seconds per paper form: the console's paper page against a Google Form.

    python bench/paper_entry.py [--forms 96]

The seed quarter's 96 forms (``tests/support/seed_000``: its services, women and men, and
its 30 suggestions as written) are typed into the paper page of a console running on
127.0.0.1 by Playwright in Debian's Chromium, the keyboard only, in 13 weekly batches
("about seven forms a week"), each with its date, its summary and its save.

How each side is counted:

- **Console page**: every key Playwright presses is counted as it is pressed
  (``tests/support/paper_typing``): the answer's digits (a list's option by its number on
  paper, a scale by its value), Tab between fields, Enter in the last digit field typed
  (holds the form; the next opens with question 1 focused); a text ends with Tab to the
  "hold" button and Enter. Per batch: Shift+Tab, Ctrl+A, the date, Tab; two clicks
  (finish, save). "measured" is the wall time Playwright took per form: the page's round
  trips and rendering without a human's pauses (what the software costs).
- **Google Form**: not run (no traffic leaves 127.0.0.1); counted from the same answers on
  the form the seed's staff used, laid out as Google Forms must lay it out to ask 9a only
  after "yes" on 9: section 1 = questions 1-9 as multiple-choice radios (one click each,
  the cheapest Google offers: a dropdown costs two), "Next"; section 2 = 9a (click the box,
  type, "Next") only after "yes"; section 3 = 10 (click the box and type when there is a
  text), "Submit", then "Submit another response". No date question (the seed's export has
  only Google's timestamp, the day of typing, not the date on the paper: one more click and
  eight keys if it were asked). Scrolls: section 1 is about 120 px per question card plus
  48 px per option (about 3,400 px here) in an 800 px window: 4 wheel gestures.
- **Modelled seconds** for both: the Keystroke-Level Model (Card, Moran & Newell 1980;
  Kieras 2001): K = 0.28 s a key (an average typist), P + B = 1.1 + 0.2 s a click, H = 0.4 s
  each move of the hand between keyboard and mouse, M = 1.35 s reading each answer off the
  paper (once per question on both sides), a scroll gesture as a pointing (1.1 s), and the
  wait for each page: the measured round trip here, 1 s for Google's "Next"/"Submit".
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import secrets
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.application.staff_accounts import Role  # noqa: E402
from bot.questionnaire.model import Questionnaire  # noqa: E402
from tests.support.paper_typing import (  # noqa: E402
    Tally,
    finish_and_save,
    set_day,
    type_form,
    typed_answers,
)
from tests.support.seed_000 import PERIOD, answers  # noqa: E402
from tests.support.staff import HOME, PASSWORD, running_console  # noqa: E402

K, P, B, H, M = 0.28, 1.1, 0.2, 0.4, 1.35
GOOGLE_PAGE = 1.0
WEEKS = 13
CARD, OPTION, WINDOW = 120, 48, 800


def google_form(questionnaire: Questionnaire, form: dict) -> tuple[int, int, int, float]:
    """(keys, clicks, scrolls, modelled seconds) of one form typed into the Google Form."""
    first = [q for q in questionnaire.questions if q.options and q.asked]
    clicks, keys, homes = len(first) + 1, 0, 0  # a radio per question, "Next"
    height = sum(CARD + OPTION * len(q.options) for q in first)
    scrolls = max(0, math.ceil(height / WINDOW) - 1)
    pages = 1
    for question in questionnaire.questions:
        text = form.get(question.id) if question.kind.free_text else None
        if question.kind.free_text and text:
            clicks, keys, homes = clicks + 1, keys + len(text), homes + 2  # to keys and back
    if form.get("extra_needs") == "yes":
        clicks, pages = clicks + 1, pages + 1  # section 2's "Next"
    clicks += 2  # "Submit", "Submit another response"
    pages += 2
    read = sum(1 for q in questionnaire.questions if q.kind.stores and q.asked)
    seconds = keys * K + clicks * (P + B) + homes * H + scrolls * P + read * M
    return keys, clicks, scrolls, seconds + pages * GOOGLE_PAGE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def run(count: int) -> None:
    from playwright.async_api import async_playwright

    forms = answers()[:count]
    folder = tempfile.mkdtemp(prefix="paper-bench-")
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder}/bench.db",
        "FEEDBACK_SECRET": secrets.token_hex(32),
        "SCHEDULED_JOBS": "false",
        "WEB_ENABLED": "true",
        "WEBHOOK_PORT": str(free_port()),
    }
    async with running_console(env, lambda: datetime.now(UTC)) as console:
        clerk = await console.account(Role.CLERK)
        questionnaire = console.runtime.content.questionnaire
        texts = [q.kind.free_text for q in questionnaire.questions if q.kind.stores and q.asked]
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=["--no-sandbox", "--disable-gpu"],
            )
            page = await browser.new_page(viewport={"width": 1280, "height": WINDOW})
            await page.goto(console.url + "/staff/sign-in")
            await page.fill("#email", clerk.email)
            await page.fill("#password", PASSWORD)
            async with page.expect_navigation():
                await page.click("button[type=submit] >> nth=-1")
            await page.goto(f"{console.url}/staff/{HOME}/paper")
            tally, typing = Tally(), 0.0
            size = math.ceil(len(forms) / WEEKS)
            for week, start in enumerate(range(0, len(forms), size)):
                day = min(PERIOD.start + timedelta(days=4 + 7 * week), PERIOD.end)
                await set_day(page, day.strftime("%d.%m.%Y"), tally)
                for form in forms[start : start + size]:
                    began = time.perf_counter()
                    await type_form(page, typed_answers(questionnaire, form), texts, tally)
                    typing += time.perf_counter() - began
                    assert "problem" not in (await page.content()).split("<main>")[1][:400]
                await finish_and_save(page, tally)
            await browser.close()
        async with console.runtime.database.analysis(HOME) as analysis:
            stored = await analysis.responses_between(PERIOD.start, PERIOD.end)
    assert len(stored) == len(forms), (len(stored), len(forms))
    report(questionnaire, forms, tally, typing)


def report(questionnaire: Questionnaire, forms: list[dict], tally: Tally, typing: float) -> None:
    n = len(forms)
    read = sum(1 for q in questionnaire.questions if q.kind.stores and q.asked)
    wait = typing / n  # the page's own round trip per form, measured
    ours = (tally.keys * K + tally.clicks * (P + B + H)) / n + read * M + wait
    google = [google_form(questionnaire, form) for form in forms]
    g_keys, g_clicks, g_scrolls, g_seconds = (sum(x[i] for x in google) / n for i in range(4))
    print(f"{n} forms, {WEEKS} weekly batches, seed quarter {PERIOD.start}..{PERIOD.end}")
    print(
        f"console page: {tally.keys / n:.1f} keys/form, {tally.clicks / n:.2f} clicks/form, "
        f"measured {typing / n:.2f} s/form (Playwright, no human pauses), "
        f"modelled {ours:.1f} s/form (KLM)"
    )
    print(
        f"Google Form:  {g_keys:.1f} keys/form, {g_clicks:.1f} clicks/form, "
        f"{g_scrolls:.0f} scrolls/form, modelled {g_seconds:.1f} s/form (KLM)"
    )
    chars = sum(
        len(f.get(q.id) or "") for f in forms for q in questionnaire.questions if q.kind.free_text
    )
    print(f"of the keys, text characters typed on both sides: {chars / n:.1f}/form")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=96)
    asyncio.run(run(parser.parse_args().forms))


if __name__ == "__main__":
    main()
