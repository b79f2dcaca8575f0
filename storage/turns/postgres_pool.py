"""The connections a PostgreSQL process keeps open for its turns (``storage.turns.postgres``)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.turns.postgres import ConnectionSession
from storage.turns.recent_drafts import RecentDrafts


class ServerTurns:
    """At most ``size`` turns at once, each on a connection kept open for turns.

    A channel runs a few turns at once (Telegram: 8) and the ballot box's mixing one more;
    a turn beyond ``size`` waits for a connection to be handed back."""

    def __init__(self, engine: AsyncEngine, size: int, recent: RecentDrafts | None = None):
        self.engine = engine
        """In autocommit mode: ``ConnectionSession`` begins and ends the transactions."""
        self.recent = recent if recent is not None else RecentDrafts()
        self._idle: list[AsyncConnection] = []
        self._slots = asyncio.Semaphore(size)

    @contextlib.asynccontextmanager
    async def session(self, transaction: bool = True) -> AsyncIterator[ConnectionSession]:
        """``transaction=False``: for reads only, each on its own, which need no ``BEGIN``
        and ``ROLLBACK`` (and are tried once more on a new connection if the kept one
        failed)."""
        await self._slots.acquire()
        try:
            connection = self._idle.pop() if self._idle else await self.engine.connect()
        except BaseException:
            self._slots.release()
            raise
        session = ConnectionSession(connection, self._keep, self.recent, transaction)
        try:
            yield session
        finally:
            await session.close()  # nothing, after a commit

    def _keep(self, connection: AsyncConnection | None) -> None:
        if connection is not None:
            self._idle.append(connection)
        self._slots.release()

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()
        await self.engine.dispose()
