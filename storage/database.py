"""Opening the database: engine options, SQLite pragmas and Alembic migrations."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from storage import ballot
from storage.analysis import Analysis
from storage.forms import Forms
from storage.schema import HOME, BallotRow
from storage.staff import SqlStaff
from storage.transaction import Transaction
from storage.turns import StaleDraft, Turns
from storage.turns.general import GeneralSession, GeneralTurns
from storage.turns.postgres_pool import ServerTurns
from storage.turns.sqlite import SqliteTurns

TURN_CONNECTIONS = 12
"""PostgreSQL connections kept for the turns of one process (see ``open_database``)."""


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Deleted rows (emptied ballots, sealed addresses, ended drafts) are overwritten with
    # zeros, not left readable in free pages: whatever SQLite's build default is.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


VACUUMED = (
    "ballot_box",
    "responses",
    "submission_counts",
    "subscribers",
    "drafts",
    "reminders",
    "seen_updates",
    "desk_codes",
)
"""Tables whose rows are rewritten or deleted as forms come: emptied of dead versions."""


class Database:
    """One engine per process; transactions are short and commit explicitly."""

    def __init__(self, engine: AsyncEngine, turns: Turns | None = None, home: str = HOME) -> None:
        self.engine = engine
        self.home = home
        """The municipality the environment configures: its keys are unscoped."""
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._turns = turns if turns is not None else GeneralTurns(self._sessions)
        """The turn port's path, chosen once (``open_database``)."""
        self._emptying = asyncio.Lock()
        """One emptying at a time in a process: many citizens sending at once would
        otherwise each start one, and crowd the turns out of the database."""

    @asynccontextmanager
    async def transaction(self, municipality: str | None = None) -> AsyncIterator[Transaction]:
        """Rolls back unless ``commit()`` was called inside; one municipality's rows
        (the home municipality's unless named)."""
        code = municipality or self.home
        scope = None if code == self.home else code
        async with self._sessions() as session:
            yield Transaction(GeneralSession(session), code, scope)

    @asynccontextmanager
    async def turn(
        self, municipality: str | None = None, stale: type[Exception] = StaleDraft
    ) -> AsyncIterator[Transaction]:
        """The same unit of work for one event of a conversation, on the turn port's path
        (``storage.turns``): nothing may be awaited inside but its own statements (the
        router and the desks keep to that). Rolls back unless ``commit()`` was called.
        A draft changed meanwhile raises ``stale`` (the caller's port's own error)."""
        code = municipality or self.home
        scope = None if code == self.home else code
        async with self._turns.session() as session:
            try:
                yield Transaction(session, code, scope)
            except StaleDraft as error:
                if stale is StaleDraft:
                    raise
                raise stale() from error

    @asynccontextmanager
    async def analysis(self, municipality: str | None = None) -> AsyncIterator[Analysis]:
        """Reporting and analysts' work on one municipality's data (the home one unless
        named); rolls back unless ``commit()`` was called inside."""
        async with self._sessions() as session:
            yield Analysis(session, municipality or self.home)

    @asynccontextmanager
    async def forms(self, municipality: str | None = None) -> AsyncIterator[Forms]:
        """One municipality's loaded questionnaires (the home one's unless named); nothing
        is kept without commit."""
        async with self._sessions() as session:
            yield Forms(session, municipality or self.home)

    @asynccontextmanager
    async def staff(self) -> AsyncIterator[SqlStaff]:
        """The staff console's accounts, sessions and audit log (every municipality's: an
        account may be national); nothing is kept without commit."""
        async with self._sessions() as session:
            yield SqlStaff(session)

    async def migrate(self, revision: str = "head") -> None:
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade_to_head, self.home, revision)

    async def purge(self, drafts_before: datetime, seen_before: datetime, today: date) -> int:
        async with self.transaction() as tx:
            removed = await tx.purge(drafts_before, seen_before, today)
            await tx.commit()
        await self.checkpoint()
        await self.vacuum()
        return removed

    async def empty_box_if_due(self, today: date, batch: int) -> ballot.Emptied:
        """Mixes the forms when ``batch`` of them wait or one's day has ended (opt-ins: their
        month), otherwise leaves the box as it is. SQLite's log is emptied either way, if no
        reader holds it: asked after every "send", this leaves no page of the sender's
        transactions (their form, their daily count) in the write-ahead log; a checkpoint a
        reader holds up is left to the minute's upkeep, never waited for on a reply."""
        async with self._emptying:
            async with self._turns.session(transaction=False) as session:
                due = await ballot.is_due(session, today, batch)
            emptied = await self._empty(ballot.Rule(batch, today)) if due else ballot.Emptied()
        await self.checkpoint(wait=False)
        return emptied

    async def empty_box(self) -> ballot.Emptied:
        """Moves every waiting form to ``responses`` and every opt-in to ``subscribers`` now:
        before a digest or a report, which count only the forms in ``responses``."""
        async with self._emptying:
            emptied = await self._empty(None)
        await self.checkpoint()
        return emptied

    async def _empty(self, rule: ballot.Rule | None) -> ballot.Emptied:
        """Forms and opt-ins move in two transactions of their own, so neither shares a
        transaction id with the other or with anything written when a citizen pressed send."""
        # On the turns' fast path: short transactions that await nothing else.
        async with self._turns.session() as session:
            forms = await ballot.take_forms(session, rule)
            await session.commit()
        async with self._turns.session() as session:
            taken = await ballot.take_subscriptions(session, rule)
            await session.commit()
        return ballot.Emptied(forms, taken)

    async def answers(self, timeout: float) -> bool:
        """Whether the database answers a query within ``timeout`` seconds (``/healthz``).
        SQLite: on a connection of its own, opened for the question, since a pooled one
        keeps a removed or unreadable file open and would answer anyway."""
        try:
            return await asyncio.wait_for(self._answer(timeout), timeout)
        except Exception:  # any failure means "no": the caller logs one line a minute
            return False

    async def _answer(self, timeout: float) -> bool:
        if self.engine.dialect.name == "sqlite":
            path = self.engine.url.database or ""
            return await asyncio.to_thread(_sqlite_answers, path, timeout)
        async with self.engine.connect() as connection:
            return (await connection.exec_driver_sql("SELECT 1")).scalar() == 1

    async def box_overdue(self, today: date) -> bool:
        """Whether a form waits in the box past its day (the upkeep is stuck)."""
        earliest = select(func.min(BallotRow.day)).where(BallotRow.kind == ballot.FORM)
        async with self._sessions() as session:
            first = await session.scalar(earliest)
        return first is not None and first < today

    async def forms_waiting(self, municipality: str | None = None) -> int:
        """``municipality``: its forms only (``None``: the whole shared box)."""
        async with self._sessions() as session:
            return await ballot.waiting(session, municipality)

    async def checkpoint(self, wait: bool = True) -> bool:
        """SQLite: copies the write-ahead log into the database and empties it, so no earlier
        state of a row (a ballot before mixing, a sealed address) stays readable in the log.
        ``wait=False``: gives up at once if a reader holds the log (the upkeep comes back to
        it within a minute). Whether the log was emptied."""
        if self.engine.dialect.name != "sqlite":
            return True
        async with self.engine.connect() as connection:
            if not wait:
                await connection.exec_driver_sql("PRAGMA busy_timeout=0")
            try:
                result = await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                busy = result.first()[0]
            finally:
                if not wait:
                    await connection.exec_driver_sql("PRAGMA busy_timeout=10000")
        return not busy

    async def vacuum(self) -> None:
        """PostgreSQL: the dead versions of rewritten and deleted rows (each waiting box as it
        was at every drop, each ended draft) removed from the tables' pages, where a
        superuser's ``pageinspect`` would read them in order of arrival; the minute's upkeep
        runs it. SQLite overwrites deleted rows at once (``secure_delete``)."""
        if self.engine.dialect.name != "postgresql":
            return
        async with self.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.exec_driver_sql(f"VACUUM {', '.join(VACUUMED)}")

    async def close(self) -> None:
        await self._turns.close()
        await self.engine.dispose()


def _sqlite_answers(path: str, timeout: float) -> bool:
    """Opens the file afresh (never creating it) and reads its first page."""
    import sqlite3

    if not path or path == ":memory:":
        return True
    uri = path if path.startswith("file:") else f"file:{Path(path).resolve()}?mode=rw"
    connection = sqlite3.connect(uri, uri=True, timeout=timeout)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    finally:
        connection.close()


def _private_files(url: str) -> None:
    """The database and its ``-wal``/``-shm`` companions readable by their owner only.

    SQLite gives the companions the database file's mode, so creating that file 0600 first
    is enough; files of an older installation are narrowed as well.
    """
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    if path.parent.is_dir() and not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for companion in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if companion.exists():
            companion.chmod(0o600)


def _upgrade_to_head(connection: Connection, home: str = HOME, revision: str = "head") -> None:
    from alembic import command  # a third of the start-up time: only when migrating
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("storage") / "migrations"))
    config.attributes["connection"] = connection
    config.attributes["home_municipality"] = home
    command.upgrade(config, revision)


async def open_database(
    url: str, migrate: bool = True, home: str = HOME, fast_turns: bool = True
) -> Database:
    """Parameters are hidden from SQL errors so answers never end up in a log line. The
    turns' path is chosen here, once: SQLite's or PostgreSQL's own (``storage.turns``), or
    SQLAlchemy's session (any other database, or ``fast_turns=False``)."""
    # pre_ping (server databases): after a restart, dead pooled connections are replaced
    # unnoticed. An SQLite file cannot go away that way, so it skips the extra round trip.
    server = not url.startswith("sqlite")
    if not server:
        _private_files(url)
    engine = create_async_engine(
        url, hide_parameters=True, json_serializer=_dumps, pool_pre_ping=server
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    database = Database(engine, _turns_for(url, engine) if fast_turns else None, home)
    if migrate:
        await database.migrate()
    return database


def _turns_for(url: str, engine: AsyncEngine) -> Turns | None:
    """The database's own fast path for turns (``None``: SQLAlchemy's session)."""
    if engine.dialect.name == "sqlite":
        return SqliteTurns(url, _sqlite_pragmas, _dumps)
    if engine.dialect.name == "postgresql":
        # The turns' own connections, kept open (storage.turns.postgres): none is pinged
        # before use (a turn replaces a dead one); autocommit, as a turn's transaction is
        # begun by hand. A connection for each turn a channel runs at once (Telegram: 8)
        # and the ballot box's mixing.
        server_turns = create_async_engine(
            url,
            hide_parameters=True,
            json_serializer=_dumps,
            isolation_level="AUTOCOMMIT",
            pool_size=TURN_CONNECTIONS,
            max_overflow=0,
        )
        return ServerTurns(server_turns, TURN_CONNECTIONS)
    return None
