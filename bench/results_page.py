"""Time of the public results page: its first build (every ended quarter and year of two
years computed, audited and laid out) and a page served from what it keeps.

    python bench/results_page.py            # 100 and 5,000 forms a quarter
    python bench/results_page.py --quick    # 100 a quarter (Ambrolauri's size), under a minute

Each size gets a fresh SQLite database (not timed) with the forms spread over the eight
quarters before 15 October 2027. Targets: the first page under 30 s at Ambrolauri's size on
two cores (it is built once and kept ten minutes), a kept page under 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from bench.report import synthetic
from storage import open_database
from storage.schema import ResponseRow

TODAY = date(2027, 10, 15)
FIRST = date(2025, 9, 1)  # eight quarters (June-quarters) before TODAY's last complete one


async def fill(url: str, per_quarter: int) -> None:
    database = await open_database(url)
    rng = random.Random(per_quarter)
    days = (TODAY - FIRST).days - 50
    rows = [
        {
            "id": uuid.UUID(int=rng.getrandbits(128)).hex,
            "questionnaire_version": "social_services_v1",
            "channel": rng.choice(["paper", "telegram", "web"]),
            "answers": synthetic(rng),
            "submitted_on": FIRST + timedelta(days=rng.randrange(days)),
            "municipality": "default",
        }
        for _ in range(per_quarter * 8)
    ]
    async with database.engine.begin() as connection:
        await connection.execute(insert(ResponseRow), rows)
    await database.close()


async def measure(url: str) -> tuple[float, float, float]:
    from bot.config.settings import Settings
    from bot.wiring.bootstrap import build_runtime
    from bot.wiring.results import results_for

    settings = Settings(_env_file=None, database_url=url, feedback_secret="b" * 64)
    runtime = await build_runtime(settings, clock=lambda: datetime(2027, 10, 15, 9, 0))
    results = results_for(runtime)
    started = time.perf_counter()
    await results.page(None, None)
    first = time.perf_counter() - started
    started = time.perf_counter()
    await results.page(None, None)
    kept = time.perf_counter() - started
    started = time.perf_counter()
    await results.feed("https://example.org/results")
    feed = time.perf_counter() - started
    await runtime.close()
    return first, kept, feed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    arguments = parser.parse_args()
    print(f"cores={os.cpu_count()}")
    for per_quarter in [100] if arguments.quick else [100, 5_000]:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{folder}/bench.db"
            asyncio.run(fill(url, per_quarter))
            first, kept, feed = asyncio.run(measure(url))
        print(
            f"per_quarter={per_quarter} first_page_s={first:.2f} kept_page_ms={kept * 1000:.1f} "
            f"feed_ms={feed * 1000:.1f}"
        )


if __name__ == "__main__":
    main()
