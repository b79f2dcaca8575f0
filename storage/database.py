"""Opening the database: engine options, SQLite pragmas and Alembic migrations."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from importlib import resources
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from storage.analysis import Analysis
from storage.transaction import Transaction


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class Database:
    """One engine per process; transactions are short and commit explicitly."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Rolls back unless ``commit()`` was called inside."""
        async with self._sessions() as session:
            yield Transaction(session)

    @asynccontextmanager
    async def analysis(self) -> AsyncIterator[Analysis]:
        """Reporting and analysts' work; rolls back unless ``commit()`` was called inside."""
        async with self._sessions() as session:
            yield Analysis(session)

    async def migrate(self) -> None:
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade_to_head)

    async def purge(self, drafts_before: datetime, seen_before: datetime) -> int:
        async with self.transaction() as tx:
            removed = await tx.purge(drafts_before, seen_before)
            await tx.commit()
        return removed

    async def close(self) -> None:
        await self.engine.dispose()


def _upgrade_to_head(connection: Connection) -> None:
    from alembic import command  # a third of the start-up time: only when migrating
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("storage") / "migrations"))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def open_database(url: str, migrate: bool = True) -> Database:
    """Parameters are hidden from SQL errors so answers never end up in a log line."""
    # pre_ping (server databases): after a restart, dead pooled connections are replaced
    # unnoticed. An SQLite file cannot go away that way, so it skips the extra round trip.
    server = not url.startswith("sqlite")
    engine = create_async_engine(
        url, hide_parameters=True, json_serializer=_dumps, pool_pre_ping=server
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    database = Database(engine)
    if migrate:
        await database.migrate()
    return database
