"""An unknown figure is never printed as 0, through the one public figures service that the
public report, the results page, the card and the national view all ask: the seed quarter
with no application figures entered prints its applications column empty."""

from __future__ import annotations

from datetime import date

from bot.application.public_figures import PublicFigures
from bot.config.settings import Settings
from bot.questionnaire.content import load_content
from storage import open_database
from tests.support import seed_000


async def test_the_seed_quarter_without_application_figures_prints_none_anywhere(tmp_path):
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'seed.db'}")
    try:
        async with database.transaction() as tx:
            for answers, day in zip(seed_000.answers(), seed_000.days(), strict=False):
                await tx.responses.add("social_services_v1", "paper", answers, day)
            await tx.commit()
        settings = Settings(_env_file=None)
        public = PublicFigures(
            database, load_content("ka"), settings, None, lambda: date(2026, 7, 1)
        )
        for output in ("report", "results_page", "card"):
            made = await public.for_quarter(seed_000.PERIOD, output)
            services = made.tables["services"]
            assert not services.withheld
            assert {row[1] for row in services.rows} == {None}, output
    finally:
        await database.close()
