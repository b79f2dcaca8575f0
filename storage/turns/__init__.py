"""The turn as a storage port: how one event's statements reach the database.

A turn (record the update, lock and load the draft, save it, commit) is a handful of short
statements; going through SQLAlchemy's ORM session for each costs more CPU than everything
else the bot does for an answer. So each database has its own path, chosen once when the
database is opened (``storage.database.open_database``):

- ``storage.turns.general``: SQLAlchemy's ``AsyncSession``, for any database (jobs, tools,
  the commands; the reference the contract tests hold the others to);
- ``storage.turns.sqlite``: the event loop and the synchronous driver;
- ``storage.turns.postgres``: asyncpg, an answer in one read and one checked write.

Every path gives the repositories (``storage.transaction``) the same ``Session``: they
never ask which kind they hold. What differs is said by what a method returns (a draft read
with the update's record, a save held back for the commit), not by the method being there.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol


class StaleDraft(Exception):
    """The draft a turn was worked out from changed before the turn could be saved (the
    same person's message handled at once by another process): nothing of the turn was
    written. Part of the port's contract: the caller works the event out again. The
    dialogue's unit of work raises its own ``bot.dialogue.store.StaleDraft`` in its place
    (``storage.database.Database.turn``)."""


Row = tuple[Any, ...]
"""A draft's row as read: questionnaire version, position, answers, updated_at."""


class Session(Protocol):
    """What the repositories and the ballot box need of a turn's statements. Every path
    has all of it; where a path has no faster way, the method says so by its answer."""

    bind: Any
    """Has the ``dialect``."""

    async def execute(self, statement: Any, params: Any = None) -> Any: ...

    async def scalar(self, statement: Any, params: Any = None) -> Any: ...

    async def scalars(self, statement: Any, params: Any = None) -> Any: ...

    async def fetch(self, statement: Any, params: dict[str, Any]) -> list[Any]:
        """The rows of a statement built once (``storage.statements.once``), as tuples."""

    async def changed(self, statement: Any, params: dict[str, Any]) -> int:
        """How many rows a statement built once changed."""

    async def read_for_answer(
        self, update: dict[str, Any], key: str, lock_id: int
    ) -> tuple[bool, Row | None] | None:
        """The update's record and the draft's lock in one: ``None`` when this path locks
        the draft (the caller records the update and takes the lock itself); else whether
        the update is new and, if so, the draft's row, read without a lock or a write —
        the commit then checks that the draft did not change (``StaleDraft`` if it did)."""

    def defer_save(self, key: str, row: dict[str, Any]) -> bool:
        """``True``: the draft's save is held back for the commit's checked write."""

    checks_creation: bool
    """``True``: other processes may create a draft without this turn's lock, so a draft
    read as absent is created only if still absent (``StaleDraft`` otherwise)."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class Turns(Protocol):
    """Hands out a turn's session; one per process, chosen when the database is opened."""

    def session(self, transaction: bool = True) -> AbstractAsyncContextManager[Session]:
        """Rolls back unless committed. ``transaction=False``: reads only, each on its own
        (PostgreSQL spares its ``BEGIN`` and ``ROLLBACK``; the others take no notice)."""

    async def close(self) -> None: ...
