"""The running bot makes the night's backup itself: missed while it was down, made at start."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.application import backup_service
from bot.application.backup import NAME
from tests.conftest import Clock


@pytest.fixture
def clock() -> Clock:
    fixed = Clock()
    fixed.now = datetime(2026, 3, 10, 23, 40, tzinfo=UTC)  # 03:40 in Tbilisi: 02:30 was missed
    return fixed


@pytest.fixture
def settings_env(settings_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    settings_env |= {
        "SCHEDULED_JOBS": "true",
        "BACKUP_CRON": "30 2 * * *",
        "BACKUP_DIR": str(tmp_path / "backups"),
        "BACKUP_PASSPHRASE": "ღამის ასლი",
    }
    return settings_env


async def test_the_bot_makes_the_missed_nightly_backup_once_after_starting(running_bot):
    folder = running_bot.settings.backup_dir

    def made() -> list[Path]:
        found = folder.iterdir() if folder.is_dir() else iter(())
        return [path for path in found if NAME.fullmatch(path.name)]

    async with asyncio.timeout(120):
        while not made():
            await asyncio.sleep(0.05)
    [backup] = made()
    assert backup_service.verify(backup, running_bot.settings).kind == "sqlite"
    async with running_bot.runtime.database.transaction() as tx:
        assert not await tx.runs.claim(
            "backup", "2026-03-11T02:30+0400", running_bot.runtime.clock()
        )
