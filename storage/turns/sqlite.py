"""SQLite turns (the port: ``storage.turns``), as cheaply as SQLite allows.

Through SQLAlchemy's async session each statement would cost an ORM pass and several hops
to aiosqlite's thread. So the turn runs on the event loop itself with the synchronous driver, on the
  process's one turn connection, which turns take one after the other (an ``asyncio``
  lock, first come first served). Its transaction begins with ``BEGIN IMMEDIATE``, taking
  the write lock before anything is read (so two processes never base a write on a stale
  read), with no busy timeout: when another process (or the ballot box's mixing) holds the
  lock, the turn waits with ``asyncio.sleep`` and tries again, so the loop never blocks.
  Once begun, its statements cannot meet a lock, and a turn awaits nothing but them until
  it commits; WAL with ``synchronous=NORMAL`` makes the commit a write to the log, not a
  sync to the disk.

The draft is locked by the transaction itself, so a turn never meets a stale draft.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from storage.statements import for_driver, given
from storage.turns import Row

BUSY_WAIT_SECONDS = 10.0
"""How long a turn waits for another process's write before it gives up (as the busy
timeout of the other connections does)."""
FIRST_PAUSE, LONGEST_PAUSE = 0.001, 0.05


class LoopSession:
    """A turn's statements on a synchronous SQLite connection (see the module's docstring).

    The methods are coroutines only to share the repositories with the other paths; none
    of them suspends, so a turn runs from ``BEGIN`` to ``COMMIT`` without giving way. The
    commit hands the connection to the next turn at once (the conversation may go on to
    empty the ballot box, in transactions of its own)."""

    def __init__(self, connection: Connection, release: Callable[[], None]) -> None:
        self._connection: Connection | None = connection
        self._release = release
        self.bind = connection

    checks_creation = False
    """The transaction holds the write lock: nobody creates a draft meanwhile."""

    async def read_for_answer(
        self, update: dict[str, Any], key: str, lock_id: int
    ) -> tuple[bool, Row | None] | None:
        return None  # the draft is locked from ``BEGIN IMMEDIATE`` on, never checked

    def defer_save(self, key: str, row: dict[str, Any]) -> bool:
        return False

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("this turn was committed; its unit of work is closed")
        return self._connection

    async def execute(self, statement: Any, params: Any = None) -> Any:
        return self.connection.execute(statement, params)

    async def fetch(self, statement: Any, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """A statement of the answer's own path straight on ``sqlite3``: no SQLAlchemy
        execution context or result for a statement SQLAlchemy compiled once; values go
        in and come out as SQLAlchemy would make them (JSON, dates)."""
        cursor, readers = self._run(statement, params)
        rows = cursor.fetchall()
        if not any(readers):
            return rows
        return [
            tuple(v if read is None else read(v) for read, v in zip(readers, row, strict=True))
            for row in rows
        ]

    async def changed(self, statement: Any, params: dict[str, Any]) -> int:
        """Like ``fetch``, for a statement that returns nothing: how many rows it changed."""
        return int(self._run(statement, params)[0].rowcount)

    def _run(self, statement: Any, params: dict[str, Any]) -> tuple[Any, list[Any]]:
        sql, binds, readers = for_driver(statement, self.connection.dialect)
        raw = self.connection.connection.dbapi_connection
        return raw.execute(sql, given(binds, params)), readers

    async def scalar(self, statement: Any, params: Any = None) -> Any:
        return self.connection.scalar(statement, params)

    async def scalars(self, statement: Any, params: Any = None) -> Any:
        return self.connection.scalars(statement, params)

    async def commit(self) -> None:
        """Commits and hands the connection on; nothing left to do after a rollback."""
        if self._connection is None:
            return
        connection = self._connection
        connection.commit()
        raw = connection.connection.dbapi_connection
        if raw is not None and raw.in_transaction:  # nothing ran since BEGIN IMMEDIATE
            raw.commit()
        self.close()

    async def rollback(self) -> None:
        self.close()

    def close(self) -> None:
        """Rolls back whatever was not committed and hands the connection on (once)."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.rollback()
            raw = connection.connection.dbapi_connection
            if raw is not None and raw.in_transaction:
                raw.rollback()
        finally:
            self._release()


class SqliteTurns:
    """One synchronous connection for the turns of this process, taken in turn: a turn
    holds it from ``BEGIN IMMEDIATE`` to its commit, without giving way in between, so
    turns of one process never wait for each other on SQLite's lock, only for this one."""

    def __init__(
        self, url: str, on_connect: Callable[[Any, Any], None], json_serializer: Callable
    ) -> None:
        sync_url = make_url(url).set(drivername="sqlite+pysqlite")
        self.engine: Engine = create_engine(
            sync_url, hide_parameters=True, json_serializer=json_serializer
        )
        event.listen(self.engine, "connect", on_connect)
        event.listen(self.engine, "connect", _own_transactions)
        self._connection: Connection | None = None
        self._turn = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def session(self, transaction: bool = True) -> AsyncIterator[LoopSession]:
        """Always a transaction (``transaction`` is for PostgreSQL: there a single read
        saves two round trips without one; here it costs none)."""
        await self._turn.acquire()
        session = None
        try:
            if self._connection is None or self._connection.invalidated:
                self._connection = self.engine.connect()
            connection = self._connection
            await _begin_immediate(connection.connection.dbapi_connection)
            session = LoopSession(connection, self._turn.release)
        except BaseException:
            self._turn.release()
            raise
        try:
            yield session
        finally:
            try:
                session.close()  # nothing, after a commit
            except Exception:
                connection.invalidate()

    async def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.engine.dispose()


def _own_transactions(dbapi_connection: Any, _record: Any) -> None:
    """The driver begins no transaction by itself (``BEGIN IMMEDIATE`` is ours), and a busy
    database answers at once instead of blocking the loop."""
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA busy_timeout=0")


async def _begin_immediate(raw: Any) -> None:
    pause, deadline = FIRST_PAUSE, time.monotonic() + BUSY_WAIT_SECONDS
    while True:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            busy = error.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not busy or time.monotonic() > deadline:
                raise
        await asyncio.sleep(pause)
        pause = min(pause * 2, LONGEST_PAUSE)
