"""Turns through SQLAlchemy's ``AsyncSession``: any database, no fast path.

The jobs, the tools and the commands use it (``Database.transaction``), and the contract
tests hold the fast paths (``storage.turns.sqlite``, ``storage.turns.postgres``) to what it
does. It locks the draft the ordinary way (PostgreSQL: an advisory lock; SQLite: the
transaction's write lock), so it never meets a stale draft.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.turns import Row


class GeneralSession:
    """An ``AsyncSession`` as the repositories' ``storage.turns.Session``."""

    checks_creation = False

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.bind = session.bind

    async def execute(self, statement: Any, params: Any = None) -> Any:
        return await self.session.execute(statement, params)

    async def scalar(self, statement: Any, params: Any = None) -> Any:
        return await self.session.scalar(statement, params)

    async def scalars(self, statement: Any, params: Any = None) -> Any:
        return await self.session.scalars(statement, params)

    async def fetch(self, statement: Any, params: dict[str, Any]) -> list[Any]:
        result = await self.session.execute(statement, params)
        return list(result) if result.returns_rows else []

    async def changed(self, statement: Any, params: dict[str, Any]) -> int:
        return int((await self.session.execute(statement, params)).rowcount)

    async def read_for_answer(
        self, update: dict[str, Any], key: str, lock_id: int
    ) -> tuple[bool, Row | None] | None:
        return None  # the draft is locked, never checked at the commit

    def defer_save(self, key: str, row: dict[str, Any]) -> bool:
        return False

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()


class GeneralTurns:
    """A new ``AsyncSession`` for each turn, from the engine's pool."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @contextlib.asynccontextmanager
    async def session(self, transaction: bool = True) -> AsyncIterator[GeneralSession]:
        async with self._sessions() as session:
            yield GeneralSession(session)

    async def close(self) -> None:
        """The engine is the database's own: disposed with it."""
