"""Time of the audited public figures (``bot.application.public_figures``) for a year of a
small municipality: the four quarters, the year, then a quarter printed again after one
late paper form (the audit's hardest case: every changed cell is a small change to protect).

    python bench/public_figures.py            # about seven forms a week, as Ambrolauri
    python bench/public_figures.py --weekly 40

Target: each output well under 30 s on a loaded 2-core machine (a results page asks for a
few of them at most, and the same counts asked again are found in the ledger).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import synthetic
from bot.application.public_figures import PublicFigures
from bot.config.settings import Settings
from bot.questionnaire.content import load_content
from storage import open_database

START = date(2025, 6, 1)


async def main(weekly: int) -> None:
    rng = random.Random(28)
    with tempfile.TemporaryDirectory() as folder:
        database = await open_database(f"sqlite+aiosqlite:///{folder}/bench.db")
        async with database.transaction() as tx:
            for day in range(365):
                for _ in range(sum(rng.random() < 1 / 7 for _ in range(weekly))):
                    when = START + timedelta(days=day)
                    await tx.responses.add("social_services_v1", "paper", synthetic(rng), when)
            await tx.commit()
        settings = Settings(_env_file=None)
        public = PublicFigures(
            database, load_content("ka"), settings, None, lambda: date(2026, 7, 1)
        )
        quarters = [settings.quarters.quarter(2025, n) for n in range(1, 5)]
        for period in [*quarters, settings.quarters.year(2025)]:
            started = time.perf_counter()
            made = await public.for_period(period, "results_page")
            hidden = sum(
                isinstance(cell, str) and (cell == "x" or cell.startswith("<"))
                for table in made.tables.values()
                for row in table.rows
                for cell in row[1:]
            )
            print(f"{period.label}: {time.perf_counter() - started:.1f} s, {hidden} cells hidden")
        async with database.transaction() as tx:
            await tx.responses.add("social_services_v1", "paper", synthetic(rng), START)
            await tx.commit()
        started = time.perf_counter()
        await public.for_period(quarters[0], "results_page")
        print(f"{quarters[0].label} after a late form: {time.perf_counter() - started:.1f} s")
        await database.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weekly", type=int, default=7, help="forms a week")
    asyncio.run(main(parser.parse_args().weekly))
