"""What the dialogue needs from storage: small repositories behind one unit of work.

The dialogue owns these protocols; ``storage`` implements them on SQLAlchemy (one database
transaction per unit of work) and ``tests.support.memory_store`` in memory, so the
conversation and the paper desk can be tested without a database. Nothing here names a
table: a repository says what the dialogue does, not how it is stored.

A unit of work is a turn: it begins with the update's record and the draft's key
(``Deliveries.first`` with ``lock``), and its commit saves what the turn did. A turn may be
worked out from a draft another process changes before the commit; an implementation either
keeps that from happening (it locks the draft) or finds out and keeps nothing of the turn,
raising ``StaleDraft``: the caller then works the event out again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date, datetime
from typing import Protocol

from bot.questionnaire.changes import ChangeEntry, Status
from bot.questionnaire.model import Answer, Draft
from bot.questionnaire.slip_codes import Claim


class StaleDraft(Exception):
    """The draft a turn was worked out from changed before the turn could be saved (the
    same person's message handled at once by another process): nothing of the turn was
    kept, and the event is worked out again from the draft as it is now. Raised by a
    unit of work's statements or its ``commit``."""


class Drafts(Protocol):
    async def lock(self, key: str) -> None:
        """Other processes wait for this draft until the unit of work ends."""

    async def load(self, key: str, fresh_since: datetime) -> tuple[str, Draft] | None:
        """The draft and its questionnaire version; an expired one is deleted instead."""

    async def save(self, key: str, version: str, draft: Draft, now: datetime) -> None: ...

    async def delete(self, key: str) -> bool:
        """Deletes the draft and its reminder; ``True`` if there was a draft."""

    async def count(self) -> int: ...


class Responses(Protocol):
    async def add(
        self, version: str, channel: str, answers: Mapping[str, Answer], submitted_on: date
    ) -> str:
        """Straight into the responses (paper forms: typed in by staff, already mixed)."""

    async def drop_in_box(
        self,
        version: str,
        channel: str,
        answers: Mapping[str, Answer],
        day: date,
        confirmed: bool = False,
    ) -> None:
        """A citizen's form, into the ballot box: mixed with others before it is stored.
        ``confirmed``: begun with a slip from the desk (never which)."""


class Counts(Protocol):
    """Forms sent per day under a day-scoped key (the daily limit)."""

    async def on(self, key: str, day: date) -> int: ...

    async def add(self, key: str, day: date) -> None: ...


class Codes(Protocol):
    """The desk slips' one-use codes, by their keyed hash."""

    async def claim(self, key: str) -> Claim:
        """Uses the code if it is unused; at most one questionnaire ever claims it."""


class Reminders(Protocol):
    async def plan(self, draft_key: str, sealed_chat: str, due_at: datetime) -> None:
        """The sealed address, and the earliest moment the reminder could be due (unless
        it was already sent: one per draft)."""

    async def drop(self, draft_key: str) -> None: ...

    async def due(self, now: datetime, limit: int = 200) -> list[tuple[str, str, datetime]]:
        """Unsent reminders past their earliest moment, with their draft's last answer (from
        which the caller tells whether each is really due), least recently answered first."""

    async def mark_sent(self, draft_key: str) -> bool:
        """``True`` for the one process that gets to send this reminder."""


class Deliveries(Protocol):
    async def first(
        self, channel: str, update_key: str, now: datetime, lock: str | None = None
    ) -> bool:
        """Records an incoming update; ``False`` if it was handled already. With ``lock``
        (a draft's key), that draft is kept from other writers until the commit: locked,
        or (PostgreSQL) saved at the commit only if nobody changed it meanwhile."""


class Subscribers(Protocol):
    async def subscribe(self, channel: str, chat: str, day: date) -> None: ...

    async def unsubscribe(self, channel: str, chat: str) -> bool: ...

    async def of(self, channel: str) -> list[str]: ...


class Runs(Protocol):
    async def claim(self, kind: str, period: str, now: datetime) -> bool:
        """``True`` for the one process that gets to do this run."""


class PaperBatches(Protocol):
    async def get(self, key: str) -> tuple[date | None, int] | None: ...

    async def save(self, key: str, forms_date: date | None, entered: int) -> None: ...

    async def end(self, key: str) -> int | None:
        """Closes the batch; how many forms it held (``None``: there was none)."""


class Kiosks(Protocol):
    """A municipality's registered front-desk tablets (see ``storage.kiosks``)."""

    async def enrol(self, link_hash: str, token_hash: str) -> bool:
        """The tablet that opened the one-use link becomes the kiosk; the link is used up."""

    async def known(self, token_hash: str) -> bool: ...

    async def count_sent(self, token_hash: str, week_of: date) -> None:
        """One more form sent from the kiosk in the week of ``week_of`` (a Monday)."""
        ...


class Changes(Protocol):
    """The municipality's "what we changed" entries (``bot.application.changes``)."""

    async def add(
        self, asked: str, decided: str, status: Status, on: date, categories: Sequence[str]
    ) -> str:
        """The new entry's id."""

    async def set_status(self, entry: str, status: Status, on: date) -> bool:
        """``False``: there is no such entry."""

    async def all(self) -> list[ChangeEntry]:
        """Every entry, newest first."""


class UnitOfWork(Protocol):
    """One event's work; nothing is kept unless ``commit`` is called."""

    drafts: Drafts
    responses: Responses
    counts: Counts
    reminders: Reminders
    deliveries: Deliveries
    subscribers: Subscribers
    runs: Runs
    paper: PaperBatches
    kiosks: Kiosks
    codes: Codes
    changes: Changes

    async def commit(self) -> None:
        """Keeps the turn's changes; ``StaleDraft`` (nothing kept) if its draft changed."""


UnitOfWorkFactory = Callable[[], AbstractAsyncContextManager[UnitOfWork]]
