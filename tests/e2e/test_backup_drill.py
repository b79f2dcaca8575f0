"""The restore drill, on SQLite and PostgreSQL: a backup taken while 50 citizens are answering
(through the running bot and the fake Bot API) restores into an empty database, and the
quarter's report and the export printed from it are those of the original."""

from __future__ import annotations

import asyncio
import csv
import secrets
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from bot.application.backup_service import make_backup
from bot.questionnaire.periods import Quarters
from tests.e2e.test_cli import run_cli
from tests.support.citizen import Citizen
from tests.support.flows import STEPS, complete
from tests.support.process import process_env

pytestmark = pytest.mark.both_databases
ANSWERING = 50
HALF = 5
"""Steps each citizen answers before the backup begins; the rest while it is made."""


@pytest.fixture
def settings_env(settings_env: dict[str, str], database_kind: str) -> dict[str, str]:
    """Forms wait in a box of 7; SQLite keeps its secret in the file beside the database,
    which the backup must carry (PostgreSQL needs FEEDBACK_SECRET in the environment)."""
    settings_env["BALLOT_BOX_SIZE"] = "7"
    if database_kind == "sqlite":
        del settings_env["FEEDBACK_SECRET"]
    return settings_env


async def steps(citizen: Citizen, chosen: list[tuple[str, str]]) -> None:
    for kind, value in chosen:
        await (citizen.press(value) if kind == "press" else citizen.send(value))


def printed(env: dict[str, str], folder: Path) -> tuple[list[list[object]], list[list[str]]]:
    """The quarter's report (every cell of its spreadsheet) and the export (rows, sorted)."""
    quarter = Quarters(int(env.get("QUARTER_START_MONTH", "6"))).containing(date.today())
    folder.mkdir()
    report = run_cli(
        ["report", "--quarter", quarter.label, "--format", "xlsx", "--out", str(folder)],
        env,
        folder,
    )
    assert report.returncode == 0, report.stderr
    exported = run_cli(["export", "--out", str(folder / "all.csv")], env, folder)
    assert exported.returncode == 0, exported.stderr
    [sheet_file] = folder.glob("*.xlsx")
    book = openpyxl.load_workbook(sheet_file)
    cells = [[s.title, *row] for s in book.worksheets for row in s.iter_rows(values_only=True)]
    with (folder / "all.csv").open(encoding="utf-8-sig") as handle:
        codes, names, *rows = list(csv.reader(handle))  # two header rows: codes, then names
    return cells, [codes, names, *sorted(rows)]


def empty_database(database_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if database_kind == "sqlite":
        (tmp_path / "restored").mkdir()
        return f"sqlite+aiosqlite:///{tmp_path / 'restored' / 'feedback.db'}"
    server = request.getfixturevalue("postgres_server")
    name = f"r_{secrets.token_hex(6)}"
    request.addfinalizer(lambda: server.drop_database(name))
    return server.create_database(name)


async def test_a_backup_made_while_50_citizens_answer_restores_to_the_same_report_and_export(
    running_bot, settings_env, database_kind, tmp_path, request
):
    api = running_bot.api
    sent = [Citizen(api, 61000 + n) for n in range(10)]
    await asyncio.gather(*(complete(citizen) for citizen in sent[:7]))  # a box of 7: mixed
    for citizen in sent[7:]:
        await complete(citizen)
    waiting = await running_bot.runtime.database.forms_waiting()
    assert 0 < waiting <= 3, "the last forms wait in the box (a late mixing may take one)"

    answering = [Citizen(api, 62000 + n) for n in range(ANSWERING)]
    await asyncio.gather(*(steps(c, [("send", "/start"), *STEPS[:HALF]]) for c in answering))
    rest = [asyncio.create_task(steps(c, STEPS[HALF:-1])) for c in answering]
    backup = await make_backup(running_bot.settings, tmp_path / "backups", datetime.now(UTC))
    await asyncio.gather(*rest)  # every citizen reaches the summary, none sends meanwhile
    assert await running_bot.runtime.database.forms_waiting() == 0, "the box was emptied first"

    original_env = process_env(settings_env)
    original = printed(original_env, tmp_path / "original")
    restored_env = {
        **original_env,
        "DATABASE_URL": empty_database(database_kind, tmp_path, request),
    }
    restore = run_cli(["restore", str(backup)], restored_env, tmp_path)
    assert restore.returncode == 0, restore.stderr
    assert "✓" in restore.stdout
    again = printed(restored_env, tmp_path / "again")

    assert len(original[1]) == 2 + len(sent), "every sent form is in the export"
    assert again == original
    if database_kind == "sqlite":
        secret = Path(running_bot.settings.sqlite_path).with_suffix(".secret")  # type: ignore[arg-type]
        assert (tmp_path / "restored" / "feedback.secret").read_bytes() == secret.read_bytes()
