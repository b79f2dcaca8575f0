"""The dialogue's repositories, all in one unit of work: one database transaction, or on
PostgreSQL an answer's read and its one checked write (``storage.turns.postgres``).

``Transaction`` is the unit of work ``bot.dialogue.store.UnitOfWork`` describes; each
repository runs a few of the statements of ``storage.statements``, built once. The session
is the turn port's ``storage.turns.Session``, whichever path the database was opened with:
the repositories never ask which (what a path does differently, its methods' answers say).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Dialect

from bot.questionnaire.model import Answer, Draft
from storage import ballot, mixing
from storage.changes import SqlChanges
from storage.codes import SqlCodes
from storage.kiosks import SqlKiosks
from storage.schema import HOME, DraftRow, ReminderRow, SeenUpdateRow, SubmissionCountRow
from storage.statements import Statements, statements_for
from storage.turns import Session, StaleDraft


def _utc(moment: datetime) -> datetime:
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def _day_of(moment: datetime) -> datetime:
    """The day only (midnight UTC): an update's record keeps no moment of sending."""
    return _utc(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def dialect_of(session: Any) -> Dialect:
    return session.bind.dialect


class _Repository:
    def __init__(self, session: Session, sql: Statements, municipality: str = HOME) -> None:
        self._session = session
        self._sql = sql
        self._municipality = municipality

    async def _first(self, statement: Any, params: dict[str, Any]) -> Any:
        """The first row, straight on the driver where the path can (a fast turn's)."""
        rows = await self._session.fetch(statement, params)
        return rows[0] if rows else None


class SqlReminders(_Repository):
    async def plan(self, draft_key: str, sealed_chat: str, due_at: datetime) -> None:
        """Once per draft: the sealed address, and the first moment the reminder could be
        due. The real due time follows the draft's last answer (see ``due``)."""
        row = {"draft_key": draft_key, "sealed_chat": sealed_chat, "due_at": _utc(due_at)}
        mine = {"sent": False, "municipality": self._municipality}
        await self._session.execute(self._sql.reminder_plan, {**row, **mine})

    async def drop(self, draft_key: str) -> None:
        """Where the draft's deletion does not drop it in the same statement (SQLite)."""
        if self._sql.reminder_drop is not None:
            await self._session.execute(self._sql.reminder_drop, {"key": draft_key})

    async def due(self, now: datetime, limit: int = 200) -> list[tuple[str, str, datetime]]:
        params = {"now": _utc(now), "limit": limit, "municipality": self._municipality}
        rows = await self._session.execute(self._sql.reminder_due, params)
        return [(key, sealed, at.replace(tzinfo=UTC)) for key, sealed, at in rows]

    async def mark_sent(self, draft_key: str) -> bool:
        result = await self._session.execute(self._sql.reminder_sent, {"key": draft_key})
        return bool(result.rowcount)


class SqlDrafts(_Repository):
    def __init__(
        self,
        session: Session,
        sql: Statements,
        reminders: SqlReminders,
        locked: set[str],
        loaded: dict[str, Any],
    ) -> None:
        super().__init__(session, sql, reminders._municipality)
        self._reminders = reminders
        self._locked = locked
        self._loaded = loaded
        self._absent: set[str] = set()
        """Drafts a PostgreSQL turn read as absent under the lock: their save must create
        them, not overwrite one another process created meanwhile (``storage.checked``)."""

    async def lock(self, key: str) -> None:
        """PostgreSQL: an advisory lock on the key, which works before the draft row exists
        (none for a draft read with the update's record: the commit checks it instead, see
        ``SqlDeliveries``).
        SQLite needs none: a turn's transaction holds the write lock from its start."""
        if self._sql.lock is not None and key not in self._locked:
            await self._session.execute(self._sql.lock, {"lock_id": lock_id(key)})
            self._locked.add(key)

    async def load(self, key: str, fresh_since: datetime) -> tuple[str, Draft] | None:
        if key in self._loaded:  # read with the update's record (PostgreSQL)
            row = self._loaded.pop(key)
        else:
            row = await self._first(self._sql.draft_load, {"key": key})
            if row is None and self._session.checks_creation:
                self._absent.add(key)
        if row is None:
            return None
        version, position, answers, updated_at = row
        if updated_at < _utc(fresh_since):
            await self.delete(key)
            return None
        return version, Draft(position=position, answers=dict(answers))

    async def save(self, key: str, version: str, draft: Draft, now: datetime) -> None:
        """One statement (insert or update): this runs for every answer a citizen gives."""
        self._loaded.pop(key, None)
        row = {
            "key": key,
            "questionnaire_version": version,
            "position": draft.position,
            "answers": dict(draft.answers),
            "updated_at": _utc(now),
        }
        if self._session.defer_save(key, row):  # PostgreSQL answers: saved at the commit
            return
        if key in self._absent:
            self._absent.discard(key)
            if not await self._session.fetch(self._sql.draft_create, row):
                raise StaleDraft()
        else:
            await self._session.fetch(self._sql.draft_save, row)

    async def delete(self, key: str) -> bool:
        self._loaded.pop(key, None)
        await self._reminders.drop(key)
        result = await self._session.execute(self._sql.draft_delete, {"key": key})
        return bool(result.rowcount)

    async def count(self) -> int:
        return await self._session.scalar(self._sql.draft_count) or 0


def lock_id(key: str) -> int:
    """The advisory lock's id: 60 bits of the draft key (fits PostgreSQL's bigint)."""
    return int(key[:15], 16)


class SqlResponses(_Repository):
    async def add(
        self, version: str, channel: str, answers: Mapping[str, Answer], submitted_on: date
    ) -> str:
        """A paper form staff typed in: confirmed, as a slip's would be (a clerk held it)."""
        response_id = uuid.uuid4().hex
        row = {
            "id": response_id,
            "questionnaire_version": version,
            "channel": channel,
            "answers": dict(answers),
            "submitted_on": submitted_on,
            "municipality": self._municipality,
            "confirmed": True,
        }
        await ballot.add_responses(self._session, [row])  # the day's forms in random order
        return response_id

    async def drop_in_box(
        self,
        version: str,
        channel: str,
        answers: Mapping[str, Answer],
        day: date,
        confirmed: bool = False,
    ) -> None:
        """See ``storage.ballot``: the form waits without a key until it is mixed."""
        row = ballot.form(version, channel, answers, day, self._municipality, confirmed)
        await ballot.drop(self._session, row)


class SqlCounts(_Repository):
    async def on(self, key: str, day: date) -> int:
        return (await self._session.scalar(self._sql.count_on, {"key": key, "day": day})) or 0

    async def add(self, key: str, day: date) -> None:
        """One more form for ``key`` today. The day's rows are written anew, shuffled, so
        they keep no order of the day's senders (``storage.mixing``)."""

        def counted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            mine = [row for row in rows if row["key"] == key]
            others = [row for row in rows if row["key"] != key]
            sent = sum(row["count"] for row in mine)
            return [*others, {"key": key, "day": day, "count": sent + 1}]

        await mixing.serialise(self._session, mixing.COUNTS_LOCK)
        counts = SubmissionCountRow.__table__
        await mixing.rewrite(self._session, counts, counts.c.day == day, counted)


class SqlDeliveries(_Repository):
    def __init__(
        self,
        session: Session,
        sql: Statements,
        locked: set[str],
        loaded: dict[str, Any],
        scope: str | None,
    ) -> None:
        super().__init__(session, sql)
        self._locked = locked
        self._loaded = loaded
        self._scope = scope

    async def first(
        self, channel: str, update_key: str, now: datetime, lock: str | None = None
    ) -> bool:
        """Records the update; with ``lock`` (a draft key) also takes that draft's lock, on
        PostgreSQL in the same round trip. Per channel instance: two municipalities' bots
        number their updates alike.

        At the start of a PostgreSQL turn nothing is locked or written yet: the draft is
        read with whether the update was seen (``Drafts.load`` then costs none), and the
        commit records the update if the draft did not change (``storage.turns.postgres``)."""
        channel = channel if self._scope is None else f"{channel}@{self._scope}"
        params = {"channel": channel, "update_key": update_key, "seen_at": _day_of(now)}
        if lock is not None:
            read = await self._session.read_for_answer(params, lock, lock_id(lock))
            if read is not None:
                new, row = read
                if new:
                    self._locked.add(lock)  # guarded by the commit's check instead
                    self._loaded[lock] = row
                return new
            if self._sql.record_and_lock is not None:
                params["lock_id"] = lock_id(lock)
                recorded = await self._session.scalar(self._sql.record_and_lock, params)
                self._locked.add(lock)
                return bool(recorded)
        return bool(await self._session.changed(self._sql.first_delivery, params))


class SqlSubscribers(_Repository):
    async def subscribe(self, channel: str, chat: str, day: date) -> None:
        """The opt-in goes through the ballot box, so it is mixed like the forms."""
        await ballot.drop(
            self._session, ballot.subscription(channel, chat, day, self._municipality)
        )

    async def unsubscribe(self, channel: str, chat: str) -> bool:
        """An opt-in still waiting in the box is withdrawn too (under the box's lock: another
        citizen's opt-in rewrites the waiting ones meanwhile)."""
        await mixing.serialise(self._session, mixing.BOX_LOCK)
        where = {"channel": channel, "chat": chat, "municipality": self._municipality}
        waiting = await self._session.execute(
            self._sql.ballot_withdraw, {"kind": ballot.SUBSCRIPTION, "address": chat, **where}
        )
        result = await self._session.execute(self._sql.subscriber_remove, where)
        return bool(waiting.rowcount) or bool(result.rowcount)

    async def of(self, channel: str) -> list[str]:
        params = {"channel": channel, "municipality": self._municipality}
        rows = await self._session.execute(self._sql.subscribers_of, params)
        return [chat for (chat,) in rows]


class SqlRuns(_Repository):
    async def claim(self, kind: str, period: str, now: datetime) -> bool:
        params = {"kind": kind, "period": period, "ran_at": _utc(now)}
        params["municipality"] = self._municipality
        return bool((await self._session.execute(self._sql.run_claim, params)).rowcount)


class SqlPaperBatches(_Repository):
    async def get(self, key: str) -> tuple[date | None, int] | None:
        row = (await self._session.execute(self._sql.paper_get, {"key": key})).first()
        return None if row is None else (row[0], row[1])

    async def save(self, key: str, forms_date: date | None, entered: int) -> None:
        params = {"key": key, "forms_date": forms_date, "entered": entered}
        await self._session.execute(self._sql.paper_save, params)

    async def end(self, key: str) -> int | None:
        row = (await self._session.execute(self._sql.paper_end, {"key": key})).first()
        return None if row is None else row[0]


class Transaction:
    """The unit of work: every repository on one session, committed once, for one
    municipality. Drafts, daily counts and paper batches are told apart by their keys,
    which the dialogue scopes by municipality (``Municipality.scope``); delivery records by
    ``scope``, the channel instance (``None``: the home municipality's, as before)."""

    def __init__(
        self, session: Session, municipality: str = HOME, scope: str | None = None
    ) -> None:
        self._session: Any = session
        self.municipality = municipality
        sql = statements_for(dialect_of(session).name)
        locked: set[str] = set()
        """Drafts whose advisory lock this transaction holds."""
        loaded: dict[str, Any] = {}
        """Drafts read with the update's record (PostgreSQL), not read again."""
        self.reminders = SqlReminders(session, sql, municipality)
        self.drafts = SqlDrafts(session, sql, self.reminders, locked, loaded)
        self.responses = SqlResponses(session, sql, municipality)
        self.counts = SqlCounts(session, sql)
        self.deliveries = SqlDeliveries(session, sql, locked, loaded, scope)
        self.subscribers = SqlSubscribers(session, sql, municipality)
        self.runs = SqlRuns(session, sql, municipality)
        self.paper = SqlPaperBatches(session, sql)
        self.kiosks = SqlKiosks(session, municipality)
        self.codes = SqlCodes(session, municipality)
        self.changes = SqlChanges(session, municipality)

    async def commit(self) -> None:
        await self._session.commit()

    async def purge(self, drafts_before: datetime, seen_before: datetime, today: date) -> int:
        """Deletes abandoned drafts, old delivery records and the daily counts of days that
        have ended (nothing that stands for a person outlives its day); never responses."""
        expired = select(DraftRow.key).where(DraftRow.updated_at < _utc(drafts_before))
        await self._session.execute(delete(ReminderRow).where(ReminderRow.draft_key.in_(expired)))
        drafts = await self._session.execute(
            delete(DraftRow).where(DraftRow.updated_at < _utc(drafts_before))
        )
        await self._session.execute(
            delete(SeenUpdateRow).where(SeenUpdateRow.seen_at < _utc(seen_before))
        )
        await self._session.execute(
            delete(SubmissionCountRow).where(SubmissionCountRow.day < today)
        )
        return drafts.rowcount or 0
