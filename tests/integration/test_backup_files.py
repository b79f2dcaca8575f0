"""Backup files an operator can trust: a damaged, cut or wrongly unlocked file is refused with
its own line, a failed write leaves nothing behind, a restore never lands on data, and the
scheduled backup runs once and keeps the newest few."""

from __future__ import annotations

import argparse
import asyncio
import errno
import hashlib
import io
import json
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.application import backup_service, backup_sqlite
from bot.application.backup_container import SealedWriter
from bot.application.refusal import Refusal
from bot.config.settings import Settings
from bot.entry.cli_backup import run_backup
from bot.entry.jobs_backup import backup_tick
from bot.questionnaire.content import bundled_locale, load_locale
from bot.wiring.bootstrap import build_runtime
from storage import open_database
from tests.conftest import make_token

KA = load_locale(bundled_locale("ka"))
PASSPHRASE = "ცხრა მთას იქით 9"


def settings_for(url: str, **extra: object) -> Settings:
    values = {"database_url": url, "web_enabled": False, "feedback_secret": "ab" * 32}
    return Settings(_env_file=None, **{**values, **extra})


async def a_backup(database_url: str, folder: Path, **extra: object) -> tuple[Settings, Path]:
    database = await open_database(database_url)
    await database.close()
    settings = settings_for(database_url, **extra)
    return settings, await backup_service.make_backup(settings, folder, datetime.now(UTC))


def refusal(action, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(Refusal) as refused:
        action(*args)
    return refused.value.text(KA)


@pytest.mark.parametrize("passphrase", [PASSPHRASE, None], ids=["encrypted", "plain"])
async def test_verify_rejects_a_flipped_byte_anywhere_and_a_cut_file_each_with_its_line(
    database_url, tmp_path, passphrase
):
    settings, made = await a_backup(database_url, tmp_path, backup_passphrase=passphrase)
    assert made.stat().st_mode & 0o777 == 0o600
    assert backup_service.verify(made, settings).kind == "sqlite"
    whole = made.read_bytes()
    damaged, cut = tmp_path / "damaged", tmp_path / "cut"
    for position in (len(whole) // 3, len(whole) // 2, len(whole) - 40, 30):
        flipped = bytearray(whole)
        flipped[position] ^= 0x01
        damaged.write_bytes(flipped)
        line = refusal(backup_service.verify, damaged, settings)
        assert line.startswith(("ფაილი დაზიანებულია", "ფაილი არასრულია")), (position, line)
    for length in (len(whole) // 2, len(whole) - 1, 100):
        cut.write_bytes(whole[:length])
        assert refusal(backup_service.verify, cut, settings).startswith("ფაილი არასრულია")


def test_a_file_that_is_not_a_backup_is_called_so(tmp_path):
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'feedback.db'}")
    for content in (b"", b"hello", b"SQLite format 3\x00" + bytes(200)):
        (tmp_path / "other").write_bytes(content)
        line = refusal(backup_service.verify, tmp_path / "other", settings)
        assert line == "ეს ფაილი feedback-bot-ის სარეზერვო ასლი არ არის.", content


async def test_an_encrypted_backup_refuses_a_wrong_or_missing_passphrase(database_url, tmp_path):
    _, made = await a_backup(database_url, tmp_path, backup_passphrase=PASSPHRASE)
    assert b"CREATE TABLE" not in made.read_bytes(), "nothing readable without the passphrase"
    wrong = settings_for(database_url, backup_passphrase="ცხრა მთას იქით 8")
    assert refusal(backup_service.verify, made, wrong).startswith("BACKUP_PASSPHRASE ამ ფაილს")
    none = settings_for(database_url)
    assert refusal(backup_service.verify, made, none).startswith("ფაილი დაშიფრულია")


async def test_a_write_that_fails_half_way_leaves_no_file_behind(
    database_url, tmp_path, monkeypatch
):
    database = await open_database(database_url)
    await database.close()
    written = 0
    original = SealedWriter.write

    def full_disk(self: SealedWriter, data: bytes) -> int:
        nonlocal written
        written += len(data)
        if written > 64 * 1024:
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, data)

    monkeypatch.setattr(SealedWriter, "write", full_disk)
    folder = tmp_path / "backups"
    with pytest.raises(OSError):
        await backup_service.make_backup(settings_for(database_url), folder, datetime.now(UTC))
    assert written > 64 * 1024, "the fault came half-way through the file"
    left = [p.name for p in folder.iterdir()]
    assert left == [".feedback-backup.lock"], "no partial file, no copy of the database"


@pytest.mark.both_databases
async def test_restore_refuses_a_database_that_holds_tables(database_url, tmp_path):
    settings, made = await a_backup(database_url, tmp_path)
    with pytest.raises(Refusal) as refused:
        await backup_service.restore(made, settings)
    assert refused.value.text(KA).startswith("ბაზა ") and "ცარიელი არ არის" in refused.value.text(
        KA
    )


async def test_keep_newest_deletes_only_older_backups(tmp_path):
    names = [f"feedback-2026120{day}-023000Z.backup" for day in range(1, 6)]
    for name in [*names, "notes.txt", "feedback-old.db"]:
        (tmp_path / name).write_text("x")
    removed = backup_service.keep_newest(tmp_path, 2)
    assert sorted(p.name for p in removed) == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*names[3:], "notes.txt", "feedback-old.db"]
    )


@pytest.mark.both_databases
async def test_the_scheduled_backup_runs_once_across_two_processes_and_keeps_the_newest(
    settings_env, clock, tmp_path
):
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in (1, 2, 3):
        (folder / f"feedback-2026110{day}-023000Z.backup").write_text("older")
    env = {k.lower(): v for k, v in settings_env.items()}
    settings = Settings(
        _env_file=None, **env, backup_cron="30 2 * * *", backup_dir=folder, backup_keep=2
    )
    clock.now = datetime.now(settings.zone).replace(hour=2, minute=31) + timedelta(days=1)
    first = await build_runtime(settings, clock=clock)
    second = await build_runtime(settings, clock=clock)
    try:
        runs = await asyncio.gather(backup_tick(first), backup_tick(second), backup_tick(first))
        assert sum(run is not None for run in runs) == 1, runs
        again = await backup_tick(second)
        assert again is None, "the night's backup is done"
    finally:
        await first.close()
        await second.close()
    kept = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    assert len(kept) == 2 and kept[0] == "feedback-20261103-023000Z.backup", kept
    assert backup_service.verify(folder / kept[1], settings).revision


def test_a_file_naming_a_part_outside_its_folder_is_refused_and_writes_nothing(tmp_path):
    """A hand-made file whose manifest and member say ``../planted``: read, never written."""
    body = b"planted"
    manifest = {
        "format": 1,
        "kind": "sqlite",
        "created": "2026-12-07T02:30:00Z",
        "parts": {"../planted": {"size": len(body), "sha256": hashlib.sha256(body).hexdigest()}},
    }
    made = tmp_path / "crafted.backup"
    with made.open("wb") as out:
        sealed = SealedWriter(out, None)
        with tarfile.open(fileobj=sealed, mode="w|") as tar:  # type: ignore[call-overload]
            for name, data in (
                ("manifest.json", json.dumps(manifest).encode()),
                ("../planted", body),
            ):
                entry = tarfile.TarInfo(name)
                entry.size = len(data)
                tar.addfile(entry, io.BytesIO(data))
        sealed.finish()
    outside = tmp_path / "planted"  # verify reads into a folder beside the file
    outside.unlink(missing_ok=True)
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'feedback.db'}")
    assert refusal(backup_service.verify, made, settings).startswith("ფაილი დაზიანებულია")
    assert not outside.exists()


async def test_a_backup_holds_no_token_password_or_secret_of_the_settings(database_url, tmp_path):
    secrets = {
        "telegram_bot_token": make_token(),  # made here: no token-shaped text in the repository
        "smtp_password": "smtp-password-never-in-a-backup",
        "messenger_page_token": "EAAGpage-token-never-in-a-backup",
        "messenger_app_secret": "app-secret-never-in-a-backup",
        "messenger_verify_token": "verify-token-never-in-a-backup",
        "telegram_webhook_secret": "webhook-secret-never-in-a-backup",
        "feedback_secret": "cafe" * 16,
    }
    plain = {"smtp_host": "127.0.0.1", "messenger_mode": "chat"}
    settings, made = await a_backup(database_url, tmp_path, **plain, **secrets)
    content = made.read_bytes()
    for name, value in secrets.items():
        assert value.encode() not in content, name
    assert b'"smtp_host": "127.0.0.1"' in content, "the settings that are not secrets are there"
    assert backup_service.verify(made, settings).kind == "sqlite"


async def test_restore_says_when_the_backup_carries_no_secret_and_refuses_another_kind(
    database_url, tmp_path, monkeypatch
):
    """Made with FEEDBACK_SECRET (no secret file to carry): the restore reminds to set it."""
    _, made = await a_backup(database_url, tmp_path / "made")
    (tmp_path / "empty").mkdir()
    empty = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'empty' / 'feedback.db'}")
    arguments = argparse.Namespace(command="restore", file=made)
    restored, reminder = await run_backup(arguments, empty, KA)
    assert restored.startswith("✓ ბაზა აღდგა: SQLite")
    assert reminder.startswith("⚠ ამ ასლში საიდუმლო გასაღების ფაილი არ არის")
    assert backup_sqlite.whole(tmp_path / "empty" / "feedback.db")

    async def empty_server(_settings: Settings) -> bool:
        return True

    monkeypatch.setattr(backup_service, "_empty", empty_server)  # no server needed to refuse
    server = settings_for("postgresql+asyncpg://nobody@127.0.0.1:9/none")
    with pytest.raises(Refusal) as refused:
        await backup_service.restore(made, server)
    line = refused.value.text(KA)
    assert line == "ეს ასლი SQLite ბაზისაა, DATABASE_URL კი სხვა ტიპის ბაზას ასახელებს."
