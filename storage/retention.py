"""Retention: old free texts deleted, their categories kept, their days coarsened to the month.

After ``TEXTS_KEPT_MONTHS`` whole months, a response's free texts are replaced by
``DELETED`` (so "how many wrote" still counts them) and the categories the report gave each
text are written to ``comment_reviews`` (so the category tables still count them); the
response's day becomes the first day of its month (monthly and quarterly figures keep their
counts; a day-level date no longer narrows the crowd to one day's senders).

The responses of a month are rewritten together, shuffled, in one transaction, under the
responses' lock (``storage.mixing``): an UPDATE in place would leave each row's new version
in the order the rows were updated (PostgreSQL appends it to the heap), and the month's
rows end with one transaction id and an order drawn by chance, as every group of responses
does (docs/anonymity.md). The run is claimed in ``job_runs`` (kind ``retention``, period
the cutoff date) in the same transaction, so a failed run leaves no claim and is tried again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from storage import mixing
from storage.analysis import DELETED_TEXT
from storage.database import Database
from storage.schema import CommentReviewRow, ImportedRowRow, JobRunRow, ResponseRow
from storage.statements import statements_for
from storage.transaction import SqlRuns

KIND = "retention"
DELETED = DELETED_TEXT
"""What a deleted free text becomes: not empty, so it is still counted as written."""


@dataclass(frozen=True)
class Run:
    """The latest retention of a municipality: texts before ``before`` deleted on ``on``."""

    before: date
    on: date


def month_of(day: date) -> date:
    return day.replace(day=1)


def months_back(today: date, months: int) -> date:
    """The first day of the month ``months`` whole months before this one: what was sent
    before it has been kept at least that long."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


class Retention:
    """One municipality's retention runs, on the database's own sessions."""

    def __init__(self, database: Database, municipality: str) -> None:
        self._sessions = async_sessionmaker(database.engine, expire_on_commit=False)
        self.municipality = municipality

    async def done(self, before: date) -> bool:
        """Whether texts before ``before`` were already deleted (by any process)."""
        return await self._run(before.isoformat()) is not None

    async def any_before(self, before: date) -> bool:
        """Whether any response was sent before ``before`` (mostly not: then the run
        neither loads the reports' categoriser nor empties the ballot box)."""
        query = select(ResponseRow.id).where(
            ResponseRow.municipality == self.municipality, ResponseRow.submitted_on < before
        )
        async with self._sessions() as session:
            return (await session.scalar(query.limit(1))) is not None

    async def latest(self) -> Run | None:
        return await self._run(None)

    async def _run(self, period: str | None) -> Run | None:
        query = select(JobRunRow.period, JobRunRow.ran_at).where(
            JobRunRow.kind == KIND, JobRunRow.municipality == self.municipality
        )
        if period is not None:
            query = query.where(JobRunRow.period == period)
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        if not rows:
            return None
        period_text, ran_at = max(rows)
        return Run(date.fromisoformat(period_text), ran_at.date())

    async def forget(
        self,
        before: date,
        texts: Mapping[str, Collection[str]],
        categories: Mapping[tuple[str, str], list[str]],
        now: datetime,
    ) -> int | None:
        """Deletes the free texts (``texts``: per questionnaire version, the answers that are
        free text in it; a version not named keeps every answer) of responses sent before
        ``before``
        and coarsens their days; ``categories``: (response id, review field) -> the
        categories the report gave the text. The number of texts deleted, or ``None`` when
        another process had done it."""
        async with self._sessions() as session:
            sql = statements_for(session.bind.dialect.name)
            if not await SqlRuns(session, sql, self.municipality).claim(
                KIND, before.isoformat(), now
            ):
                return None
            await mixing.serialise(session, mixing.RESPONSES_LOCK)
            deleted = 0
            for month in await self._months(session, before):
                deleted += await self._rewrite(session, month, before, texts)
            await self._keep_categories(session, categories)
            await session.execute(  # each a hash of a whole row, its deleted text included
                delete(ImportedRowRow).where(
                    ImportedRowRow.municipality == self.municipality,
                    ImportedRowRow.month < before,
                )
            )
            await session.commit()
        return deleted

    async def _months(self, session: Any, before: date) -> list[date]:
        query = (
            select(ResponseRow.submitted_on)
            .distinct()
            .where(ResponseRow.municipality == self.municipality, ResponseRow.submitted_on < before)
        )
        return sorted({month_of(day) for day in (await session.scalars(query)).all()})

    async def _rewrite(
        self, session: Any, month: date, before: date, texts: Mapping[str, Collection[str]]
    ) -> int:
        """The month's responses (before ``before``) written anew, shuffled: texts deleted,
        every day the month's first."""
        after = months_back(month, -1)
        table = ResponseRow.__table__
        where = (
            (table.c.municipality == self.municipality)
            & (table.c.submitted_on >= month)
            & (table.c.submitted_on < min(after, before))
        )
        deleted = [0]

        def forget(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            for row in rows:
                answers = dict(row["answers"] or {})
                free = texts.get(row["questionnaire_version"], ())
                for key in answers.keys() & set(free):
                    value = answers[key]
                    if isinstance(value, str) and value.strip() and value != DELETED:
                        answers[key] = DELETED
                        deleted[0] += 1
                row["answers"], row["submitted_on"] = answers, month
            return rows

        await mixing.rewrite(session, table, where, forget)
        return deleted[0]

    async def _keep_categories(
        self, session: Any, categories: Mapping[tuple[str, str], list[str]]
    ) -> None:
        """Each deleted text's categories kept, and no longer publishable (no text remains)."""
        for (response_id, field), found in categories.items():
            row = await session.get(CommentReviewRow, (response_id, field))
            if row is None:
                row = CommentReviewRow(
                    response_id=response_id, field=field, municipality=self.municipality
                )
                session.add(row)
            row.categories, row.publishable = list(found), False
