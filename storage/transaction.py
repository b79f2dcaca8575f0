"""The dialogue's repositories on SQLAlchemy, all inside one database transaction.

``Transaction`` is the unit of work ``bot.dialogue.store.UnitOfWork`` describes; each
repository is a handful of statements on one table.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.questionnaire.model import Answer, Draft
from storage import ballot
from storage.schema import (
    HOME,
    DraftRow,
    JobRunRow,
    PaperBatchRow,
    ReminderRow,
    ResponseRow,
    SeenUpdateRow,
    SubmissionCountRow,
    SubscriberRow,
)
from storage.upsert import insert_for


def _utc(moment: datetime) -> datetime:
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return moment.astimezone(UTC).replace(tzinfo=None)


class _Repository:
    def __init__(self, session: AsyncSession, municipality: str = HOME) -> None:
        self._session = session
        self._insert: Any = insert_for(session)
        self._municipality = municipality


class SqlReminders(_Repository):
    async def plan(self, draft_key: str, sealed_chat: str, due_at: datetime) -> None:
        """Moves the reminder to ``due_at`` unless it was already sent (one per draft)."""
        values = {"sealed_chat": sealed_chat, "due_at": _utc(due_at)}
        statement = self._insert(ReminderRow).values(
            draft_key=draft_key, sent=False, municipality=self._municipality, **values
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["draft_key"], set_=values, where=ReminderRow.sent.is_(False)
            )
        )

    async def drop(self, draft_key: str) -> None:
        await self._session.execute(delete(ReminderRow).where(ReminderRow.draft_key == draft_key))

    async def due(self, now: datetime, limit: int = 200) -> list[tuple[str, str]]:
        query = (
            select(ReminderRow.draft_key, ReminderRow.sealed_chat)
            .where(
                ReminderRow.due_at <= _utc(now),
                ReminderRow.sent.is_(False),
                ReminderRow.municipality == self._municipality,
            )
            .limit(limit)
        )
        return [(key, sealed) for key, sealed in await self._session.execute(query)]

    async def mark_sent(self, draft_key: str) -> bool:
        result = await self._session.execute(
            update(ReminderRow)
            .where(ReminderRow.draft_key == draft_key, ReminderRow.sent.is_(False))
            .values(sent=True, sealed_chat="")
        )
        return bool(result.rowcount)


class SqlDrafts(_Repository):
    def __init__(self, session: AsyncSession, reminders: SqlReminders) -> None:
        super().__init__(session, reminders._municipality)
        self._reminders = reminders

    async def lock(self, key: str) -> None:
        """PostgreSQL: an advisory lock on the key, which works before the draft row exists.
        SQLite needs none: the first write of a transaction already locks the whole file."""
        if self._session.bind.dialect.name == "postgresql":
            lock_id = int(key[:15], 16)  # 60 bits: fits PostgreSQL's bigint
            await self._session.execute(select(func.pg_advisory_xact_lock(lock_id)))

    async def load(self, key: str, fresh_since: datetime) -> tuple[str, Draft] | None:
        columns = (DraftRow.questionnaire_version, DraftRow.position, DraftRow.answers)
        query = select(*columns, DraftRow.updated_at).where(DraftRow.key == key)
        row = (await self._session.execute(query)).first()
        if row is None:
            return None
        version, position, answers, updated_at = row
        if updated_at < _utc(fresh_since):
            await self.delete(key)
            return None
        return version, Draft(position=position, answers=dict(answers))

    async def save(self, key: str, version: str, draft: Draft, now: datetime) -> None:
        """One statement (insert or update): this runs for every answer a citizen gives."""
        values = {
            "questionnaire_version": version,
            "position": draft.position,
            "answers": dict(draft.answers),
            "updated_at": _utc(now),
        }
        statement = self._insert(DraftRow).values(key=key, **values)
        await self._session.execute(
            statement.on_conflict_do_update(index_elements=["key"], set_=values)
        )

    async def delete(self, key: str) -> bool:
        await self._reminders.drop(key)
        result = await self._session.execute(delete(DraftRow).where(DraftRow.key == key))
        return bool(result.rowcount)

    async def count(self) -> int:
        return await self._session.scalar(select(func.count()).select_from(DraftRow)) or 0


class SqlResponses(_Repository):
    async def add(
        self, version: str, channel: str, answers: Mapping[str, Answer], submitted_on: date
    ) -> str:
        response_id = uuid.uuid4().hex
        self._session.add(
            ResponseRow(
                id=response_id,
                questionnaire_version=version,
                channel=channel,
                answers=dict(answers),
                submitted_on=submitted_on,
                municipality=self._municipality,
            )
        )
        return response_id

    async def drop_in_box(
        self,
        version: str,
        channel: str,
        answers: Mapping[str, Answer],
        day: date,
        now: datetime,
        window: timedelta,
    ) -> None:
        """See ``storage.ballot``: the form waits without a key until it is mixed."""
        await ballot.drop_form(
            self._session, version, channel, answers, day, now, window, self._municipality
        )


class SqlCounts(_Repository):
    async def on(self, key: str, day: date) -> int:
        query = select(SubmissionCountRow.count).where(
            SubmissionCountRow.key == key, SubmissionCountRow.day == day
        )
        return (await self._session.scalar(query)) or 0

    async def add(self, key: str, day: date) -> None:
        statement = self._insert(SubmissionCountRow).values(key=key, day=day, count=1)
        statement = statement.on_conflict_do_update(
            index_elements=["key", "day"], set_={"count": SubmissionCountRow.count + 1}
        )
        await self._session.execute(statement)


class SqlDeliveries(_Repository):
    def __init__(self, session: AsyncSession, scope: str | None) -> None:
        super().__init__(session)
        self._scope = scope

    async def first(self, channel: str, update_key: str, now: datetime) -> bool:
        """Per channel instance: two municipalities' bots number their updates alike."""
        channel = channel if self._scope is None else f"{channel}@{self._scope}"
        statement = (
            self._insert(SeenUpdateRow)
            .values(channel=channel, update_key=update_key, seen_at=_utc(now))
            .on_conflict_do_nothing()
        )
        result = await self._session.execute(statement)
        return bool(result.rowcount)


class SqlSubscribers(_Repository):
    async def subscribe(
        self, channel: str, chat: str, day: date, now: datetime, window: timedelta
    ) -> None:
        """The opt-in goes through the ballot box, so it is mixed like the forms."""
        await ballot.drop_subscription(
            self._session, channel, chat, day, now, window, self._municipality
        )

    async def unsubscribe(self, channel: str, chat: str) -> bool:
        mine = SubscriberRow.municipality == self._municipality
        waiting = await ballot.withdraw_subscription(
            self._session, channel, chat, self._municipality
        )
        result = await self._session.execute(
            delete(SubscriberRow).where(
                SubscriberRow.channel == channel, SubscriberRow.chat_id == chat, mine
            )
        )
        return waiting or bool(result.rowcount)

    async def of(self, channel: str) -> list[str]:
        query = select(SubscriberRow.chat_id).where(
            SubscriberRow.channel == channel, SubscriberRow.municipality == self._municipality
        )
        return list((await self._session.scalars(query)).all())


class SqlRuns(_Repository):
    async def claim(self, kind: str, period: str, now: datetime) -> bool:
        statement = (
            self._insert(JobRunRow)
            .values(kind=kind, period=period, municipality=self._municipality, ran_at=_utc(now))
            .on_conflict_do_nothing()
        )
        return bool((await self._session.execute(statement)).rowcount)


class SqlPaperBatches(_Repository):
    async def get(self, key: str) -> tuple[date | None, int] | None:
        row = await self._session.get(PaperBatchRow, key)
        return None if row is None else (row.forms_date, row.entered)

    async def save(self, key: str, forms_date: date | None, entered: int) -> None:
        row = await self._session.get(PaperBatchRow, key)
        if row is None:
            row = PaperBatchRow(key=key)
            self._session.add(row)
        row.forms_date, row.entered = forms_date, entered

    async def end(self, key: str) -> int | None:
        row = await self._session.get(PaperBatchRow, key)
        if row is None:
            return None
        await self._session.delete(row)
        return row.entered


class Transaction:
    """The unit of work: every repository on one session, committed once, for one
    municipality. Drafts, daily counts and paper batches are told apart by their keys,
    which the dialogue scopes by municipality (``Municipality.scope``); delivery records by
    ``scope``, the channel instance (``None``: the home municipality's, as before)."""

    def __init__(
        self, session: AsyncSession, municipality: str = HOME, scope: str | None = None
    ) -> None:
        self._session = session
        self.municipality = municipality
        self.reminders = SqlReminders(session, municipality)
        self.drafts = SqlDrafts(session, self.reminders)
        self.responses = SqlResponses(session, municipality)
        self.counts = SqlCounts(session)
        self.deliveries = SqlDeliveries(session, scope)
        self.subscribers = SqlSubscribers(session, municipality)
        self.runs = SqlRuns(session, municipality)
        self.paper = SqlPaperBatches(session)

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
