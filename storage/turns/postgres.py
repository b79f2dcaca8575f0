"""PostgreSQL turns (the port, and why turns have a path of their own: ``storage.turns``).

A turn runs on an ``AsyncConnection`` (asyncpg) without the ORM session, taken from a few
connections this process keeps open for turns (``ServerTurns``): handing one over is a
list's pop, where SQLAlchemy's pool would check it out and reset it on return, each time
through a greenlet. The turn's statements go straight to the driver (``storage.turns.driver``),
which prepares them once per connection. No connection is pinged before use: one that
fails a turn's first read or its ``BEGIN`` (the server restarted) is replaced and the
statement tried again; before a write, one the server closed is replaced.

An answer needs no transaction of its own (``ConnectionSession``): the draft is read with
whether the update was seen before, and at the commit one statement saves the draft and
records the update, only if the draft is still as it was read (``storage.turns.checked``). The
next answer to the process that saved the draft skips the read (``RecentDrafts``): one
statement. When the draft changed (the same person's message handled by another process),
nothing is written, the statement says what it found instead, and ``StaleDraft`` sends
the answer to be worked out again from that. A turn that writes anything else (the
questionnaire begun or sent, a reminder, a subscription) turns into a transaction at its
first other statement: ``BEGIN`` with the draft's advisory lock in one round trip, the
same checked save (or a checked record, which locks the draft's row), then its
statements, then ``COMMIT``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from asyncpg.exceptions import UniqueViolationError
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.turns import Row, StaleDraft, driver
from storage.turns.checked import checked
from storage.turns.recent_drafts import RecentDrafts

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

    checks_creation = True
    """An answer's checked write creates a draft without the advisory lock."""

    async def read_for_answer(
        self, update: dict[str, Any], key: str, lock_id: int
    ) -> tuple[bool, Row | None] | None:
        """Whether ``update`` is new and, if so, the draft's row (``None``: no draft).
        Nothing is locked or written: the commit checks. Once the turn is a transaction
        (``None``), the caller records the update with the draft's lock instead.

        The draft as this process saved it last (or as its last checked write found it)
        costs no round trip: the update is taken as new and the draft as it was, and the
        commit's check finds out if either is not so."""
        if self.begun:
            return None
        kept = self._recent.get(key)
        if kept is not None:
            self._checked = _Checked(key, lock_id, update, kept[0], kept=True)
            return True, kept[1]
        rows = await self._read(SQL.seen_and_load, {**update, "key": key})
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
        if held.kept and not self._open:  # nothing ran on the connection before it
            await self._unless_closed()
        try:
            rows = await self._run(statement, check)
        except UniqueViolationError:
            self._recent.forget(held.key)
            raise StaleDraft() from None
        written = rows[0][0] if held.save is not None else len(rows)
        if not written:
            self._found(held.key, rows[0][2:] if held.save is not None else None, held.was)
            raise StaleDraft()
        if held.save is not None and not self._open:
            save = held.save
            row = (save["questionnaire_version"], save["position"], save["answers"])
            self._recent.keep(held.key, rows[0][1], (*row, save["updated_at"]))

    def _found(self, key: str, found: Any, was: str | None) -> None:
        """What a refused write found (``seen_and_load``'s columns), kept for the answer's
        next try: a draft someone else saved; a repeated update or no draft is read. When
        another turn of this process saved the draft since this one read it, what was found
        may be older than what that turn kept: the next try reads it (keeping it would send
        every answer of this process round again, and under load past its tries)."""
        kept = self._recent.get(key)
        if kept is not None and kept[0] != was:
            self._recent.forget(key)
            return
        if found is None or found[0] or found[1] is None:
            self._recent.forget(key)
        else:
            self._recent.keep(key, found[-1], tuple(found[1:-1]))

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

    async def _read(self, statement: Any, params: dict[str, Any]) -> list[Any]:
        """A read as the turn's first statement: once more on a new connection if the kept
        one failed (the server restarted meanwhile)."""
        try:
            return await self._run(statement, params)
        except Exception:
            await self._replace()
            return await self._run(statement, params)

    async def _unless_closed(self) -> None:
        """A new connection in place of a kept one the server closed, before a write
        (which is never sent twice: had the first try written, the second could only
        find its own answer and say nothing)."""
        if (await self._raw()).is_closed():
            await self._replace()

    async def _simple(self, sql: str) -> None:
        await (await self._raw()).execute(sql)

    async def fetch(self, statement: Any, params: dict[str, Any]) -> list[Any]:
        """A statement of the answer's own path straight on the driver."""
        await self._unchecked()
        if not self._transaction:
            return await self._read(statement, params)
        if not self.begun:
            await self.begin()
        return await self._run(statement, params)

    async def _run(self, statement: Any, params: dict[str, Any]) -> list[Any]:
        return await driver.fetch(await self._raw(), statement, self.connection.dialect, params)

    async def execute(self, statement: Any, params: Any = None) -> Any:
        """On the driver for the unit of work's own statements (``storage.driver``), through
        SQLAlchemy for any other."""
        await self._unchecked()
        if not self._transaction:  # a read: once more on a new connection if the kept one failed
            try:
                return await self._execute(statement, params)
            except Exception:
                await self._replace()
        elif not self.begun:
            await self.begin()
        return await self._execute(statement, params)

    async def _execute(self, statement: Any, params: Any) -> Any:
        dialect = self.connection.dialect
        result = await driver.run(await self._raw(), statement, dialect, params)
        return result if result is not None else await self.connection.execute(statement, params)

    async def changed(self, statement: Any, params: dict[str, Any]) -> int:
        return int((await self.execute(statement, params)).rowcount)

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
        raw = self._driver
        inside = self._open or (raw is not None and raw.is_in_transaction())
        try:
            if inside or (raw is not None and raw.is_closed()):  # not kept: cancelled, or gone
                await connection.invalidate()
            if connection.invalidated:
                await connection.close()
            else:
                if connection.in_transaction():  # SQLAlchemy's bookkeeping (autocommit: no SQL)
                    await connection.rollback()
                kept = connection
        finally:
            self._release(kept)
