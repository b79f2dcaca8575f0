"""One bot process per SQLite file: a second one is refused at start, not left to time out.

SQLite lets one writer in at a time; two bot processes on one file (``run --webhook`` twice)
made citizens wait past the busy timeout ("database is locked"). Several processes need
PostgreSQL. The lock is an ``flock`` on a file beside the database, held while the process
runs and released by the system however it ends (``kill -9`` included).
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
    descriptor = os.open(lock, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(database) from None
        yield
    finally:
        os.close(descriptor)
