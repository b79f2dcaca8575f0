"""What a database holds, asked without opening it as the bot does (no migration): its
tables and the schema revision Alembic recorded. For ``check``, ``backup`` and ``restore``."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection


async def tables_of(connection: AsyncConnection) -> list[str]:
    return await connection.run_sync(lambda sync: inspect(sync).get_table_names())


async def schema_revision(connection: AsyncConnection) -> str | None:
    """The revision the database is at; ``None`` for a database Alembic never migrated."""
    if "alembic_version" not in await tables_of(connection):
        return None
    found = await connection.execute(text("SELECT version_num FROM alembic_version"))
    return found.scalar()
