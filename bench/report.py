"""Time and peak memory of the report (load + metrics + all formats) for N responses.

    python bench/report.py            # N = 10k, 100k, 1M
    python bench/report.py --quick    # N = 10k only, under a minute

Each N gets a fresh SQLite database filled with synthetic answers (not timed); the report is
then made in a child process, so its peak memory is the report's alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from storage import open_database
from storage.schema import ResponseRow

SERVICES = ["winter_heating", "veterans", "newborn", "large_families", "home_care", "other"]
COMMENTS = [None] * 6 + [
    "დახმარების თანხა გაზარდეთ",
    "მადლობა, ყველაფერი კარგად იყო",
    "პენსია გაზარდონ",
    "დოკუმენტების შეგროვება რთული იყო",
    '=HYPERLINK("x")',
]
START = date(2025, 6, 1)  # the municipality's 2025Q1 (QUARTER_START_MONTH=6): 1 June - 31 August


def synthetic(rng: random.Random) -> dict[str, object]:
    needs = rng.choice(["yes", "no", "no", "no"])
    answers = {
        "service": rng.choice(SERVICES),
        "gender": rng.choice(["female", "female", "male", "undisclosed"]),
        "info_source": rng.choice(["website", "social_media", "staff", "acquaintance", "other"]),
        "awareness": rng.choice(["full", "partial", "none"]),
        "documents": str(rng.randint(1, 4)),
        "satisfaction": str(rng.randint(1, 5)),
        "professionalism": str(rng.randint(1, 5)),
        "helpfulness": str(rng.randint(1, 5)),
        "extra_needs": needs,
        "suggestions": rng.choice(COMMENTS),
    }
    if needs == "yes":
        answers["extra_needs_text"] = "ტრანსპორტი მჭირდებოდა"
    return answers


async def fill(url: str, count: int) -> None:
    database = await open_database(url)
    rng = random.Random(count)
    batch = 20_000
    async with database.engine.begin() as connection:
        for offset in range(0, count, batch):
            rows = [
                {
                    "id": uuid.UUID(int=rng.getrandbits(128)).hex,
                    "questionnaire_version": "social_services_v1",
                    "channel": rng.choice(["paper", "telegram", "telegram", "messenger"]),
                    "answers": synthetic(rng),
                    "submitted_on": START + timedelta(days=rng.randrange(92)),
                }
                for _ in range(min(batch, count - offset))
            ]
            await connection.execute(insert(ResponseRow), rows)
    await database.close()


async def measure(url: str, out: Path) -> None:
    from bot.questionnaire.content import load_content
    from bot.questionnaire.periods import parse_period
    from reporting.build import ReportRequest, produce

    content = load_content("ka")
    database = await open_database(url, migrate=False)
    started = time.perf_counter()
    request = ReportRequest(parse_period("2025Q1"))
    paths = await produce(
        database, content.questionnaire, content.locale, "ბენჩმარკი", request, out
    )
    seconds = time.perf_counter() - started
    await database.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_mb), "files": len(paths)})
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", default="")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure:
        asyncio.run(measure(arguments.measure, Path(tempfile.mkdtemp())))
        return
    sizes = [10_000] if arguments.quick else [10_000, 100_000, 1_000_000]
    if arguments.sizes:
        sizes = [int(s) for s in arguments.sizes.split(",")]
    print(f"cores={os.cpu_count()}")
    previous = None
    for count in sizes:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{folder}/bench.db"
            asyncio.run(fill(url, count))
            child = subprocess.run(
                [sys.executable, __file__, "--measure", url],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(child.stdout.strip().splitlines()[-1])
        per_1k = figures["seconds"] / count * 1000
        growth = "" if previous is None else f" growth_per_row_vs_previous={per_1k / previous:.2f}"
        print(
            f"N={count} seconds={figures['seconds']} peak_mb={figures['peak_mb']} "
            f"seconds_per_1k={per_1k:.3f}{growth}"
        )
        previous = per_1k


if __name__ == "__main__":
    main()
