"""How one turn of a conversation reaches the database, as cheaply as each database allows.

A turn (record the update, lock and load the draft, save it, commit) is a handful of short
statements. Through SQLAlchemy's async session each would cost an ORM pass and, on SQLite,
several hops to aiosqlite's thread; together they cost more CPU than everything else the
bot does for an answer. So:

- **SQLite**: the turn runs on the event loop itself with the synchronous driver. Its
  transaction begins with ``BEGIN IMMEDIATE``, taking the write lock before anything is
  read (so two processes never base a write on a stale read), with no busy timeout: when
  another process holds the lock, the turn waits with ``asyncio.sleep`` and tries again,
  so the loop never blocks. Once begun, the statements cannot meet a lock, and a turn does
  not await anything but them until it commits, so no other turn of this process runs in
  between; WAL with ``synchronous=NORMAL`` makes the commit a write to the log, not a sync.
- **PostgreSQL**: an ``AsyncConnection`` (asyncpg) without the ORM session, from a pool of
  its own that does not ping each connection before use; a connection found dead by a
  turn's first statement (the server restarted) is replaced and the statement tried again.
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
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

BUSY_WAIT_SECONDS = 10.0
"""How long a turn waits for another process's write before it gives up (as the busy
timeout of the other connections does)."""
FIRST_PAUSE, LONGEST_PAUSE = 0.001, 0.05


class LoopSession:
    """A turn's statements on a synchronous SQLite connection (see the module's docstring).

    The methods are coroutines only to share the repositories with the async session; none
    of them suspends, so a turn runs from ``BEGIN`` to ``COMMIT`` without giving way."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.bind = connection

    async def execute(self, statement: Any, params: Any = None) -> Any:
        return self._connection.execute(statement, params)

    async def scalar(self, statement: Any, params: Any = None) -> Any:
        return self._connection.scalar(statement, params)

    async def commit(self) -> None:
        self._connection.commit()
        raw = self._connection.connection.dbapi_connection
        if raw is not None and raw.in_transaction:  # nothing ran since BEGIN IMMEDIATE
            raw.commit()

    def rollback(self) -> None:
        self._connection.rollback()
        raw = self._connection.connection.dbapi_connection
        if raw is not None and raw.in_transaction:
            raw.rollback()


class SqliteTurns:
    """Synchronous connections for turns on the loop; usually one is enough, since a turn
    gives way only after it committed."""

    def __init__(
        self, url: str, on_connect: Callable[[Any, Any], None], json_serializer: Callable
    ) -> None:
        sync_url = make_url(url).set(drivername="sqlite+pysqlite")
        self.engine: Engine = create_engine(
            sync_url, hide_parameters=True, json_serializer=json_serializer
        )
        event.listen(self.engine, "connect", on_connect)
        event.listen(self.engine, "connect", _own_transactions)
        self._idle: list[Connection] = []

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[LoopSession]:
        connection = self._idle.pop() if self._idle else self.engine.connect()
        session = LoopSession(connection)
        try:
            await _begin_immediate(connection.connection.dbapi_connection)
            yield session
        finally:
            try:
                session.rollback()  # nothing, after a commit
            except Exception:
                connection.invalidate()
            if connection.invalidated:
                connection.close()
            else:
                self._idle.append(connection)

    def close(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()
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


class ConnectionSession:
    """A turn's statements on an ``AsyncConnection`` (PostgreSQL)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection
        self.bind = connection
        self._fresh = True

    async def execute(self, statement: Any, params: Any = None) -> Any:
        try:
            return await self._connection.execute(statement, params)
        except DBAPIError as error:
            if not (self._fresh and error.connection_invalidated):
                raise
            await self._connection.rollback()  # a new connection on the next use
            return await self._connection.execute(statement, params)
        finally:
            self._fresh = False

    async def scalar(self, statement: Any, params: Any = None) -> Any:
        return (await self.execute(statement, params)).scalar()

    async def commit(self) -> None:
        await self._connection.commit()


class ServerTurns:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[ConnectionSession]:
        async with self.engine.connect() as connection:
            yield ConnectionSession(connection)

    async def close(self) -> None:
        await self.engine.dispose()
