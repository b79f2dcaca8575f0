"""What the command line and the scheduled job ask of backups: make, verify, restore, prune.

The slow parts (copying, dumping, sealing, reading) run in a thread, so a scheduled backup
never holds up the bot's answers.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import create_async_engine

from bot.application import backup, backup_postgres, backup_sqlite
from bot.application.backup import Manifest
from bot.application.backup_container import BackupDamaged
from bot.application.refusal import Refusal
from bot.common import atomic
from bot.config.settings import Settings
from storage import Database, open_database
from storage.inspection import schema_revision, tables_of


async def make_backup(
    settings: Settings, folder: Path, now: datetime, database: Database | None = None
) -> Path:
    """Empties the ballot box (as a report does), then writes the backup file into
    ``folder``; ``database``: the running bot's, else one is opened for the while."""
    sqlite = settings.sqlite_path
    if sqlite is not None and not sqlite.is_file():
        raise Refusal("backup.database_missing", path=sqlite)
    owned = database is None
    if database is None:
        database = await open_database(
            settings.database_url, migrate=False, home=settings.municipality_code
        )
    try:
        await database.empty_box()
        revision = None if sqlite is not None else await _revision(database)
    finally:
        if owned:
            await database.close()
    return await asyncio.to_thread(backup.write, settings, folder, now, revision)


async def _revision(database: Database) -> str | None:
    async with database.engine.connect() as connection:
        return await schema_revision(connection)


def verify(path: Path, settings: Settings) -> Manifest:
    """Proves the file whole and readable: envelope, manifest, checksums, and the database
    part opens (SQLite: ``PRAGMA integrity_check``; PostgreSQL: ``pg_restore --list``)."""
    near = path.parent if os.access(path.parent, os.W_OK) else None  # /tmp may be in memory
    with (
        tempfile.TemporaryDirectory(prefix=".feedback-verify-", dir=near) as folder,
        backup.opened(path, settings, Path(folder)) as manifest,
    ):
        _database_opens(manifest, Path(folder), settings)
    return manifest


def _database_opens(manifest: Manifest, folder: Path, settings: Settings) -> None:
    if manifest.kind == "sqlite":
        readable = backup_sqlite.whole(folder / backup_sqlite.PART)
    else:
        readable = backup_postgres.listed(folder / backup_postgres.PART, settings.pg_bin_dir)
    if not readable:
        raise BackupDamaged("database_unreadable")


async def restore(path: Path, settings: Settings) -> Manifest:
    """Into an empty database only (SQLite: no file, an empty one or one without tables;
    PostgreSQL: no table): a restore never mixes two installations' data."""
    if not await _empty(settings):
        raise Refusal("backup.not_empty", database=_where(settings))
    return await asyncio.to_thread(_restore, path, settings)


def _restore(path: Path, settings: Settings) -> Manifest:
    database = settings.sqlite_path
    near = database.parent if database is not None else None
    with tempfile.TemporaryDirectory(prefix=".feedback-restore-", dir=near) as folder:
        work = Path(folder)
        with backup.opened(path, settings, work) as manifest:
            if manifest.kind != backup.kind_of(settings):
                kind = "SQLite" if manifest.kind == "sqlite" else "PostgreSQL"
                raise Refusal("backup.other_kind", kind=kind)
            if not backup.known_revision(manifest.revision):
                raise Refusal("backup.newer_revision", revision=manifest.revision)
            _database_opens(manifest, work, settings)
            if database is None:
                backup_postgres.restore(
                    settings.database_url, work / backup_postgres.PART, settings.pg_bin_dir
                )
                return manifest
            secret = backup.secret_path(settings)
            if secret is not None and (work / backup.SECRET).is_file():
                atomic.write_bytes(secret, (work / backup.SECRET).read_bytes(), sync=True)
                secret.chmod(0o600)
            backup_sqlite.put_in_place(work / backup_sqlite.PART, database)
    return manifest


async def _empty(settings: Settings) -> bool:
    database = settings.sqlite_path
    if database is not None:
        if not database.parent.is_dir():
            raise Refusal("sqlite_folder_missing", path=database.parent)
        return backup_sqlite.is_empty(database)
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            tables = await tables_of(connection)
    finally:
        await engine.dispose()
    return not tables


def _where(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


def keep_newest(folder: Path, keep: int) -> list[Path]:
    """Deletes all but the ``keep`` newest backups in ``folder`` (by the time in their
    names); other files are never touched. Returns those deleted."""
    found = sorted(p for p in folder.iterdir() if backup.NAME.fullmatch(p.name))
    old = found[: max(len(found) - keep, 0)]
    for path in old:
        path.unlink(missing_ok=True)
    return old
