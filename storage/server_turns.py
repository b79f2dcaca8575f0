"""PostgreSQL turns (see ``storage.turns`` for why turns have a path of their own).

A turn runs on an ``AsyncConnection`` (asyncpg) without the ORM session, taken from a few
connections this process keeps open for turns (``ServerTurns``): handing one over is a
list's pop, where SQLAlchemy's pool would check it out and reset it on return, each time
through a greenlet. The hot statements go straight to the driver, which prepares them
once per connection. No connection is pinged before use: one found dead by a turn's
``BEGIN`` (the server restarted) is replaced and the ``BEGIN`` tried again.

An answer takes two round trips and no transaction of its own (``ConnectionSession``): the
draft is read with whether the update was seen before, and at the commit one statement
saves the draft and records the update, only if the draft is still as it was read
(``storage.checked``). When it changed (the same person's message handled at once by
another process), nothing is written and ``StaleDraft`` sends the answer to be worked out
again. A turn that writes anything else (the questionnaire begun or sent, a reminder, a
subscription) turns into a transaction at its first other statement: ``BEGIN`` with the
draft's advisory lock in one round trip, the same checked save (or a checked record, which
locks the draft's row), then its statements, then ``COMMIT``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from asyncpg.exceptions import UniqueViolationError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.questionnaire.model import StaleDraft
from storage import driver
from storage.checked import checked
from storage.recent_drafts import RecentDrafts

SQL = checked()


@dataclass
class _Checked:
    """A turn's draft as read without a lock: what its commit checks and writes."""

    key: str
    lock_id: int
    update: dict[str, Any]
    """The update's record: channel, update_key, seen_at."""
    was: str | None
    """The version of the draft's row when read (``None``: there was none)."""
    save: dict[str, Any] | None = None
    """The draft's row to save, held back until the commit."""
    kept: bool = False
    """Not read: the draft as this process saved it last (``RecentDrafts``)."""


class ConnectionSession:
    """A turn's statements on an ``AsyncConnection`` (PostgreSQL, asyncpg).

    The connection is in autocommit mode and the transaction is this class's own. An answer
    needs none (``read_for_answer``, then the checked write at the commit). A turn that
    writes more begins one at its first other statement, with ``BEGIN; SELECT
    pg_advisory_xact_lock(…)`` in one simple query (the lock's id is a number derived from
    the draft key, never anything a person typed), whose next statement sees everything
    committed before the lock was granted. Any other use begins with a plain ``BEGIN``.

    The commit hands the connection back at once: what follows a turn (mixing the ballot
    box) takes a connection of its own, so a crowd of turns never holds them all while
    waiting for one."""

    def __init__(
        self,
        connection: AsyncConnection,
        release: Callable[[AsyncConnection | None], None],
        recent: RecentDrafts | None = None,
        transaction: bool = True,
    ) -> None:
        self._connection: AsyncConnection | None = connection
        self._transaction = transaction
        """``False``: each statement on its own (a single read needs no ``BEGIN``)."""
        self._release = release
        self._recent = recent if recent is not None else RecentDrafts(0)
        self.bind = connection
        self._driver: Any = None
        """asyncpg's connection under ``_connection`` (looked up once: a greenlet each time)."""
        self._open = False
        """Inside our ``BEGIN``: the transaction must end in ``COMMIT`` or ``ROLLBACK``."""
        self.begun = False
        self._checked: _Checked | None = None

    async def read_for_answer(
        self, update: dict[str, Any], key: str, lock_id: int
    ) -> tuple[bool, tuple[Any, ...] | None]:
        """The turn's first round trip: whether ``update`` is new and, if so, the draft's
        row (``None``: no draft). Nothing is locked or written: the commit checks.

        None for a draft this process saved last: it is taken as it was saved, and the
        update as new; the commit's check finds out if either is not so."""
        kept = self._recent.get(key)
        if kept is not None:
            self._checked = _Checked(key, lock_id, update, kept[0], kept=True)
            return True, kept[1]
        rows = await self._first(SQL.seen_and_load, {**update, "key": key})
        seen, *draft, version = rows[0]
        if seen:
            return False, None
        self._checked = _Checked(key, lock_id, update, version)
        return True, None if draft[0] is None else tuple(draft)

    def defer_save(self, key: str, row: dict[str, Any]) -> bool:
        """Holds the answer's save back for the commit's one statement, if this turn is
        still unchecked and it is the first save of its draft."""
        checked = self._checked
        if checked is None or checked.key != key or checked.save is not None:
            return False
        checked.save = row
        return True

    async def _write_checked(self) -> None:
        """The held-back save and the update's record, if the draft did not change; the
        update recorded meanwhile by another process undoes the statement (a unique key)."""
        held, self._checked = self._checked, None
        assert held is not None
        check = {**held.update, "key": held.key, "was": held.was}
        if held.save is None:
            statement = SQL.record_if_unchanged
        else:
            statement = SQL.insert_if_absent if held.was is None else SQL.update_if_unchanged
            check |= held.save
        first = held.kept and not self._open  # nothing ran on the connection before it
        try:
            rows = await (self._first if first else self._run)(statement, check)
        except UniqueViolationError:
            self._recent.forget(held.key)
            raise StaleDraft() from None
        written = rows[0][0] if held.save is not None else len(rows)
        if not written:
            self._recent.forget(held.key)
            raise StaleDraft()
        if held.save is not None and not self._open:
            save = held.save
            row = (save["questionnaire_version"], save["position"], save["answers"])
            self._recent.keep(held.key, rows[0][1], (*row, save["updated_at"]))

    async def _unchecked(self) -> None:
        """Before any other statement: the turn becomes a transaction holding the draft's
        advisory lock, and writes what it held back."""
        if self._checked is None:
            return
        self._recent.forget(self._checked.key)  # what the transaction leaves is not known here
        await self.begin(self._checked.lock_id)
        await self._write_checked()

    @property
    def connection(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("this turn was committed; its unit of work is closed")
        return self._connection

    async def begin(self, lock_id: int | None = None) -> None:
        """``BEGIN``, with the advisory lock ``lock_id`` in the same round trip."""
        sql = "BEGIN" if lock_id is None else f"BEGIN; SELECT pg_advisory_xact_lock({int(lock_id)})"
        self._open = self.begun = True  # before the answer: a cancelled wait still rolls back
        try:
            await self._simple(sql)
        except Exception:
            await self._replace()
            await self._simple(sql)

    async def _replace(self) -> None:
        """A new connection on the next use, in place of one that failed."""
        self._driver = None
        await self.connection.invalidate()
        await self.connection.rollback()

    async def _raw(self) -> Any:
        if self._driver is None:
            raw = await self.connection.get_raw_connection()
            self._driver = raw.driver_connection
        return self._driver

    async def _first(self, statement: Any, params: dict[str, Any]) -> list[Any]:
        """The turn's first statement, once more on a new connection if the kept one failed
        (the server restarted). A write tried again is still checked: if the first try
        did write, the second finds the update recorded and the draft changed."""
        try:
            return await self._run(statement, params)
        except UniqueViolationError:
            raise
        except Exception:
            await self._replace()
            return await self._run(statement, params)

    async def _simple(self, sql: str) -> None:
        await (await self._raw()).execute(sql)

    async def fetch(self, statement: Any, params: dict[str, Any]) -> list[Any]:
        """A statement of the answer's own path straight on the driver."""
        await self._unchecked()
        if not self.begun and self._transaction:
            await self.begin()
        return await self._run(statement, params)

    async def _run(self, statement: Any, params: dict[str, Any]) -> list[Any]:
        return await driver.fetch(await self._raw(), statement, self.connection.dialect, params)

    async def execute(self, statement: Any, params: Any = None) -> Any:
        """On the driver for the unit of work's own statements (``storage.driver``), through
        SQLAlchemy for any other."""
        await self._unchecked()
        if not self.begun and self._transaction:
            await self.begin()
        dialect = self.connection.dialect
        result = await driver.run(await self._raw(), statement, dialect, params)
        return result if result is not None else await self.connection.execute(statement, params)

    async def scalar(self, statement: Any, params: Any = None) -> Any:
        return (await self.execute(statement, params)).scalar()

    async def scalars(self, statement: Any, params: Any = None) -> Any:
        return (await self.execute(statement, params)).scalars()

    async def commit(self) -> None:
        """Commits (an unchecked turn: its one checked statement) and hands the connection
        back; ``StaleDraft`` when the draft changed since it was read."""
        if self._connection is None:
            return
        if self._checked is not None:
            await self._write_checked()
        if self._open:
            await self._simple("COMMIT")
            self._open = False
        await self._hand_back()

    async def rollback(self) -> None:
        """Ends the transaction; the session may begin another."""
        await self._end()
        self.begun = False

    async def close(self) -> None:
        """Rolls back whatever was not committed and hands the connection back (once)."""
        if self._connection is None:
            return
        try:
            await self._end()
        finally:
            await self._hand_back()

    async def _end(self) -> None:
        """Rolls back (and forgets what an unchecked turn held back); a connection that
        cannot is replaced, so none is kept inside a transaction."""
        self._checked = None
        if not self._open:
            return
        try:
            await self._simple("ROLLBACK")
        except Exception:
            await self._replace()
        self._open = False

    async def _hand_back(self) -> None:
        """Back to be kept for the next turn; closed instead if it could not be replaced."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        kept: AsyncConnection | None = None
        inside = self._open or (self._driver is not None and self._driver.is_in_transaction())
        try:
            if inside:  # a rollback that never finished (cancelled): not kept
                await connection.invalidate()
            if connection.invalidated:
                await connection.close()
            else:
                if connection.in_transaction():  # SQLAlchemy's bookkeeping (autocommit: no SQL)
                    await connection.rollback()
                kept = connection
        finally:
            self._release(kept)


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
        """``transaction=False``: for one read, which needs no ``BEGIN`` and ``ROLLBACK``."""
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
