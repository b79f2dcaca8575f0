"""SQLite's part of a backup: an online copy, its check, and putting it in place.

The copy is made with SQLite's backup API from a second connection (``Connection.backup``),
never by copying the file: in WAL mode the file alone misses what the ``-wal`` file holds,
and a file copied while the bot writes can be torn. The whole copy is one step, so it is one
consistent moment of the database while the bot goes on answering.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from bot.application.refusal import Refusal

PART = "database.sqlite"
BUSY_MS = 10_000


def copy_online(database: Path, target: Path) -> None:
    """A consistent copy of ``database`` at ``target`` (a new file, mode 0600)."""
    if not database.is_file():
        raise Refusal("backup.database_missing", path=database)
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    source = sqlite3.connect(_read_only(database), uri=True, timeout=BUSY_MS / 1000)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # pages=-1: every page in one step, one snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # one file: no -wal beside the copy
        finally:
            copy.close()
    finally:
        source.close()


def _read_only(database: Path) -> str:
    """SQLite's URI for the file, read only (a name with ``?`` or ``#`` stays a name)."""
    return f"{database.resolve().as_uri()}?mode=ro"


def revision(database: Path) -> str | None:
    """The Alembic revision the copy is at (``None``: never migrated)."""
    with contextlib.closing(sqlite3.connect(_read_only(database), uri=True)) as db:
        try:
            row = db.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            return None
    return None if row is None else str(row[0])


def whole(database: Path) -> bool:
    """``PRAGMA integrity_check`` on a copy: every page and index readable and agreeing."""
    try:
        with contextlib.closing(sqlite3.connect(_read_only(database), uri=True)) as db:
            rows = db.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError:
        return False
    return rows == [("ok",)]


def is_empty(database: Path) -> bool:
    """Absent, a zero-length file, or a file without a single table."""
    if not database.exists():
        return True
    if database.stat().st_size == 0:
        return True
    try:
        with contextlib.closing(sqlite3.connect(_read_only(database), uri=True)) as db:
            found = db.execute("SELECT count(*) FROM sqlite_master WHERE type='table'")
            return int(found.fetchone()[0]) == 0
    except sqlite3.DatabaseError:
        return False


def put_in_place(copy: Path, database: Path) -> None:
    """The restored copy takes the empty database's name in one rename; an empty database's
    old ``-wal``/``-shm`` files would otherwise be read as if they were the copy's."""
    for companion in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        with contextlib.suppress(FileNotFoundError):
            companion.unlink()
    os.chmod(copy, 0o600)
    os.replace(copy, database)
