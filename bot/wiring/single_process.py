"""One bot process per SQLite file: a second one is refused at start, not left to time out.

SQLite lets one writer in at a time; two bot processes on one file (``run --webhook`` twice)
made citizens wait past the busy timeout ("database is locked"). Several processes need
PostgreSQL. The lock is an ``flock`` on a file beside the database, held while the process
runs and released by the system however it ends (``kill -9`` included). A clean stop also
removes the file, so the folder holds only the database and its secret.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


class AlreadyRunning(Exception):
    def __init__(self, database: Path) -> None:
        super().__init__(str(database))
        self.database = database


@contextlib.contextmanager
def sole_process(database: Path | None) -> Iterator[None]:
    """Holds the lock of ``database`` (an SQLite file) while inside; ``None``: no lock."""
    if database is None:
        yield
        return
    lock = database.with_name(database.name + ".lock")
    descriptor = _locked(lock, database)
    try:
        yield
    finally:
        _remove_if_ours(lock, descriptor)
        os.close(descriptor)


def _locked(lock: Path, database: Path) -> int:
    """The descriptor of the lock file, locked. A file another process removed between our
    open and our lock is no lock at all (a third process would create a new one): then we
    try again on the file now at that path."""
    while True:
        descriptor = os.open(lock, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise AlreadyRunning(database) from None
        if _same_file(lock, descriptor):
            return descriptor
        os.close(descriptor)


def _remove_if_ours(lock: Path, descriptor: int) -> None:
    """Removed while still locked, and only if the path is still the file we hold: never
    another process's lock (someone may have deleted ours by hand and a new bot made its own)."""
    if _same_file(lock, descriptor):
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()


def _same_file(lock: Path, descriptor: int) -> bool:
    try:
        here = lock.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (here.st_dev, here.st_ino) == (held.st_dev, held.st_ino)
