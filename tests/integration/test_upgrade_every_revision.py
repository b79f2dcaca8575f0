"""A database from every released revision upgrades to head with its reports unchanged.

For each revision: an empty database is migrated to it and given the rows that revision's
code wrote (only its tables, only its columns), then migrated to head; its report inputs
(the quarter's responses with their categories, the previous quarter's, the applications,
the notes) must equal those of a database that got the same rows at head. The report is
rendered from those inputs alone (load -> pure metrics -> render), so equal inputs print
equal reports. SQLite goes through every revision; PostgreSQL through the last few.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import MetaData, insert

from bot.application.reports import Reports
from bot.config.settings import Settings
from bot.questionnaire.content import load_content
from bot.questionnaire.periods import Period
from storage import Database, open_database
from tests.support import seed_000

VERSIONS = Path(__file__).parents[2] / "storage" / "migrations" / "versions"
REVISIONS = sorted(path.name[:4] for path in VERSIONS.glob("0*.py"))
ON_POSTGRES = REVISIONS[-3:]
PREVIOUS = Period(date(2025, 3, 1), date(2025, 5, 31))


def rows() -> dict[str, list[dict[str, Any]]]:
    """Seed 000's quarter, a previous quarter, applications, notes and two reviews: every
    column any revision had, with the values later revisions' defaults give."""
    responses = []
    days = seed_000.days()
    for n, answers in enumerate(seed_000.answers()):
        day = next(days)
        for quarter, when in (("now", day), ("before", day - timedelta(days=92))):
            if quarter == "before" and n % 3:
                continue
            responses.append(
                {
                    "id": f"{quarter[0]}{n:031x}",
                    "questionnaire_version": "social_services_v1",
                    "channel": ("telegram", "paper", "web")[n % 3],
                    "answers": answers,
                    "submitted_on": when,
                    "municipality": "default",
                    "confirmed": False,
                }
            )
    written = [r for r in responses if r["id"].startswith("n") and r["answers"]["suggestions"]]
    period = seed_000.PERIOD
    return {
        "responses": responses,
        "applications": [
            {
                "period_start": period.start,
                "period_end": period.end,
                "service": service,
                "count": applications,
                "municipality": "default",
            }
            for service, (applications, _w, _m) in seed_000.SERVICES.items()
            if applications
        ],
        "period_notes": [
            {
                "period_start": period.start,
                "period_end": period.end,
                "summary": "შეჯამება",
                "changes": "ცვლილებები",
                "municipality": "default",
            }
        ],
        "comment_reviews": [
            {
                "response_id": written[0]["id"],
                "field": "",
                "categories": ["satisfied"],
                "publishable": True,
                "municipality": "default",
            },
            {
                "response_id": written[1]["id"],
                "field": "",
                "categories": None,
                "publishable": True,
                "municipality": "default",
            },
        ],
    }


async def write_as_of(database: Database) -> None:
    """The rows, into the tables and columns the database has now."""

    def reflect(connection: Any) -> MetaData:
        metadata = MetaData()
        metadata.reflect(connection)
        return metadata

    async with database.engine.begin() as connection:
        metadata = await connection.run_sync(reflect)
        for name, found in rows().items():
            table = metadata.tables.get(name)
            if table is None:
                continue
            kept = [{k: v for k, v in row.items() if k in table.c} for row in found]
            await connection.execute(insert(table), kept)


async def inputs(database: Database) -> dict[str, Any]:
    content = load_content("ka")
    settings = Settings(_env_file=None, feedback_secret="s" * 64, quarter_start_month=6)
    reports = Reports(database, content, settings, None, lambda: date(2025, 10, 1))
    found = (await reports.figures(seed_000.PERIOD)).inputs
    return {
        "frame": _sorted(found.frame),
        "previous": _sorted(found.previous),
        "applications": dict(found.applications),
        "previous_applications": dict(found.previous_applications),
        "notes": (found.summary, found.changes),
    }


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("response_id").reset_index(drop=True)


def same(upgraded: dict[str, Any], fresh: dict[str, Any], revision: str) -> None:
    for key in ("frame", "previous"):
        pd.testing.assert_frame_equal(upgraded[key], fresh[key], obj=f"{key} from {revision}")
    for key in ("applications", "previous_applications", "notes"):
        assert upgraded[key] == fresh[key], f"{key} from {revision}"


async def upgraded_and_fresh(url_of: Any, revision: str) -> tuple[dict, dict, set[str]]:
    old = await open_database(url_of("old"), migrate=False)
    await old.migrate(revision)
    await write_as_of(old)
    tables = await _tables(old)
    await old.migrate()
    fresh = await open_database(url_of("new"))
    await write_as_of_tables(fresh, tables)
    try:
        return await inputs(old), await inputs(fresh), tables
    finally:
        await old.close()
        await fresh.close()


async def write_as_of_tables(database: Database, tables: set[str]) -> None:
    """At head, only into the tables the old revision had (its data, nothing more)."""

    def reflect(connection: Any) -> MetaData:
        metadata = MetaData()
        metadata.reflect(connection)
        return metadata

    async with database.engine.begin() as connection:
        metadata = await connection.run_sync(reflect)
        for name, found in rows().items():
            if name in tables:
                await connection.execute(insert(metadata.tables[name]), found)


async def _tables(database: Database) -> set[str]:
    async with database.engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: sync.dialect.get_table_names(sync)))


async def test_a_database_of_every_revision_upgrades_with_its_report_unchanged(tmp_path: Path):
    for revision in REVISIONS:
        folder = tmp_path / revision
        folder.mkdir()
        upgraded, fresh, tables = await upgraded_and_fresh(
            lambda name, f=folder: f"sqlite+aiosqlite:///{f / name}.db", revision
        )
        assert len(upgraded["frame"]) == 96 and len(upgraded["previous"]) == 32
        assert bool(upgraded["applications"]) == ("applications" in tables)
        same(upgraded, fresh, revision)


@pytest.mark.postgresql
@pytest.mark.parametrize("revision", ON_POSTGRES)
async def test_a_postgresql_database_of_a_recent_revision_upgrades_with_its_report_unchanged(
    postgres_server, revision: str
):
    names: list[str] = []

    def url_of(name: str) -> str:
        names.append(f"u_{secrets.token_hex(5)}_{name}")
        return postgres_server.create_database(names[-1])

    try:
        upgraded, fresh, _tables = await upgraded_and_fresh(url_of, revision)
        assert len(upgraded["frame"]) == 96
        same(upgraded, fresh, revision)
    finally:
        for name in names:
            postgres_server.drop_database(name)


async def report_cells(database: Database, out: Path) -> dict[str, list[tuple]]:
    """The quarter's report as the spreadsheet prints it: every sheet, every cell."""
    from openpyxl import load_workbook

    from bot.application.reports import ReportOrder

    content = load_content("ka")
    settings = Settings(_env_file=None, feedback_secret="s" * 64, quarter_start_month=6)
    reports = Reports(database, content, settings, None, lambda: date(2025, 10, 1))
    order = ReportOrder(seed_000.PERIOD, formats=("xlsx",))
    [path] = [p for p in await reports.write(order, out) if p.suffix == ".xlsx"]
    book = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


async def test_the_oldest_databases_report_prints_cell_for_cell_as_the_same_rows_at_head(
    tmp_path: Path,
):
    """The report itself, not only what it reads: the first revision's database, migrated
    through every later one, prints the quarter's spreadsheet as a fresh one does."""
    oldest = REVISIONS[0]
    old = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}", migrate=False)
    await old.migrate(oldest)
    await write_as_of(old)
    tables = await _tables(old)
    await old.migrate()
    fresh = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'new.db'}")
    await write_as_of_tables(fresh, tables)
    try:
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        upgraded = await report_cells(old, tmp_path / "a")
        again = await report_cells(fresh, tmp_path / "b")
    finally:
        await old.close()
        await fresh.close()
    assert upgraded == again
    assert sum(len(rows) for rows in upgraded.values()) > 96  # the raw sheet alone has 96 rows
