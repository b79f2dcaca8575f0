"""What reports and analysts read and write: responses by period, applications, reviews, notes."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Text, cast, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import paper
from storage.ballot import add_responses
from storage.mixing import shuffled
from storage.schema import (
    HOME,
    ApplicationsRow,
    CommentReviewRow,
    ImportedRowRow,
    PeriodNotesRow,
    ResponseRow,
)
from storage.upsert import insert_for

PAPER = "paper"
"""An import's channel for paper forms staff typed (the rows are confirmed)."""


@dataclass(frozen=True)
class StoredResponse:
    id: str
    submitted_on: date
    channel: str
    questionnaire_version: str
    answers: dict[str, Any]
    confirmed: bool = False
    """Begun with a desk slip, or typed in from paper by staff (never which slip)."""


@dataclass(frozen=True)
class Review:
    categories: tuple[str, ...] | None
    publishable: bool


@dataclass(frozen=True)
class VersionScope:
    """The responses of one form: only its versions, or all but the other forms' versions
    (the built-in form keeps everything stored before forms could be loaded)."""

    only: frozenset[str] | None = None
    excluding: frozenset[str] = frozenset()
    form: str | None = None
    """A loaded form's id: its application figures are its own (``None``: the built-in's)."""


DELETED_TEXT = "—"
"""A free text deleted under the retention rule (``storage.retention``): still counted as
written, with the categories it had, but never an example to learn from."""


def application_key(form: str | None, service: str) -> str:
    """How a service's applications are stored: a loaded form's codes under its id
    (``kindergarten/garden_1``), so two forms' codes never add up; the built-in's as they are."""
    return f"{form}/{service}" if form else service


class Analysis:
    """One municipality's data: every query is limited to it, so nothing an analyst does
    here can read or change another municipality's responses, reviews or notes."""

    def __init__(self, session: AsyncSession, municipality: str = HOME) -> None:
        self._session = session
        self._insert = insert_for(session)
        self.municipality = municipality

    async def commit(self) -> None:
        await self._session.commit()

    async def responses_between(
        self, start: date, end: date, scope: VersionScope | None = None
    ) -> list[StoredResponse]:
        """Responses submitted from ``start`` to ``end``, both included."""
        found: list[StoredResponse] = []
        async for chunk in self.responses_in_chunks(start, end, scope=scope):
            found += chunk
        return found

    async def responses_in_chunks(
        self, start: date, end: date, size: int = 50_000, scope: VersionScope | None = None
    ) -> AsyncIterator[list[StoredResponse]]:
        """The same, a chunk at a time, so a million responses never sit in memory as dicts.

        Answers are fetched as text and decoded one chunk per call: per-row decoding was
        half of the time of a 100k-response report.
        """
        columns = (
            ResponseRow.id,
            ResponseRow.submitted_on,
            ResponseRow.channel,
            ResponseRow.questionnaire_version,
            cast(ResponseRow.answers, Text),
            ResponseRow.confirmed,
        )
        query = select(*columns).where(
            ResponseRow.municipality == self.municipality,
            ResponseRow.submitted_on.between(start, end),
        )
        if scope is not None and scope.only is not None:
            query = query.where(ResponseRow.questionnaire_version.in_(sorted(scope.only)))
        if scope is not None and scope.excluding:
            query = query.where(ResponseRow.questionnaire_version.not_in(sorted(scope.excluding)))
        result = await self._session.stream(query.order_by(ResponseRow.submitted_on))
        async for rows in result.partitions(size):
            answers = json.loads("[" + ",".join(row[4] for row in rows) + "]")
            yield [
                StoredResponse(row[0], row[1], row[2], row[3], given, bool(row[5]))
                for row, given in zip(rows, answers, strict=True)
            ]

    async def response_ids_starting(self, prefix: str) -> list[str]:
        query = select(ResponseRow.id).where(
            ResponseRow.municipality == self.municipality,
            ResponseRow.id.startswith(prefix, autoescape=True),
        )
        return list((await self._session.scalars(query.limit(2))).all())

    async def set_applications(self, start: date, end: date, service: str, count: int) -> None:
        values = {"period_start": start, "period_end": end, "service": service, "count": count}
        statement = self._insert(ApplicationsRow).values(municipality=self.municipality, **values)
        statement = statement.on_conflict_do_update(
            index_elements=["municipality", "period_start", "period_end", "service"],
            set_={"count": count},
        )
        await self._session.execute(statement)

    async def applications_within(
        self, start: date, end: date, form: str | None = None
    ) -> dict[str, int]:
        """Applications per service of one form (the built-in one when ``form`` is ``None``)
        for ``start``–``end``: a service is left out (its figure unknown) unless its entries
        inside the period cover it exactly. A year with one quarter entered would otherwise
        print a quarter's applications as the year's and a rate several times too high."""
        query = select(
            ApplicationsRow.service,
            ApplicationsRow.period_start,
            ApplicationsRow.period_end,
            ApplicationsRow.count,
        ).where(
            ApplicationsRow.municipality == self.municipality,
            ApplicationsRow.period_start >= start,
            ApplicationsRow.period_end <= end,
        )
        prefix = f"{form}/" if form else None
        spans: dict[str, list[tuple[date, date, int]]] = {}
        for service, first, last, count in await self._session.execute(query):
            if prefix is None and "/" not in service:
                spans.setdefault(service, []).append((first, last, int(count)))
            elif prefix is not None and service.startswith(prefix):
                spans.setdefault(service.removeprefix(prefix), []).append((first, last, int(count)))
        found = {s: covering(entries, start, end) for s, entries in spans.items()}
        return {service: count for service, count in found.items() if count is not None}

    async def reviews(self, field: str = "") -> dict[str, Review]:
        """Every analyst review of one free text (``""``: the main comment) by response; few
        comments are ever reviewed, so the table stays small."""
        rows = await self._session.scalars(
            select(CommentReviewRow).where(
                CommentReviewRow.municipality == self.municipality,
                CommentReviewRow.field == field,
            )
        )
        return {
            row.response_id: Review(
                tuple(row.categories) if row.categories is not None else None, row.publishable
            )
            for row in rows
        }

    async def corrected_comments(self, main: str = "suggestions") -> list[tuple[str, list[str]]]:
        """(text, categories) for every free text an analyst re-categorised, of any form: the
        examples the categoriser learns from, in every period. ``main``: the name of the
        main comment's question."""
        return [(text, codes) for _, text, codes in await self.corrected_texts(main)]

    async def corrected_texts(self, main: str = "suggestions") -> list[tuple[str, str, list[str]]]:
        """``corrected_comments`` with each text's field (``""``: the main comment): the
        extra needs teach their own categories."""
        query = (
            select(ResponseRow.answers, CommentReviewRow.field, CommentReviewRow.categories)
            .join(CommentReviewRow, CommentReviewRow.response_id == ResponseRow.id)
            .where(
                CommentReviewRow.categories.is_not(None),
                ResponseRow.municipality == self.municipality,
            )
        )
        found = []
        for answers, field, categories in await self._session.execute(query):
            text = (answers or {}).get(field or main)
            if isinstance(text, str) and text.strip() and text != DELETED_TEXT and categories:
                found.append((field, text, list(categories)))
        return found

    async def review(
        self,
        response_id: str,
        categories: Iterable[str] | None = None,
        publishable: bool | None = None,
        field: str = "",
    ) -> None:
        row = await self._session.get(CommentReviewRow, (response_id, field))
        if row is not None and row.municipality != self.municipality:
            raise LookupError("a response of another municipality")
        if row is None:
            row = CommentReviewRow(
                response_id=response_id,
                field=field,
                categories=None,
                publishable=False,
                municipality=self.municipality,
            )
            self._session.add(row)
        if categories is not None:
            row.categories = list(categories)
        if publishable is not None:
            row.publishable = publishable

    async def imported(self, hashes: Iterable[str]) -> set[str]:
        wanted, found = list(hashes), set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            query = select(ImportedRowRow.row_hash).where(
                ImportedRowRow.municipality == self.municipality,
                ImportedRowRow.row_hash.in_(chunk),
            )
            found |= set((await self._session.scalars(query)).all())
        return found

    async def add_imported(
        self, row_hash: str, version: str, channel: str, answers: dict[str, Any], day: date
    ) -> None:
        """A response from a file, and the mark that its row was imported (one transaction)."""
        await self.add_imported_many([(row_hash, version, channel, answers, day)])

    async def add_imported_many(
        self, rows: Sequence[tuple[str, str, str, dict[str, Any], date]]
    ) -> None:
        """Many responses from a file (row hash, version, channel, answers, day) and their
        marks: a 200,000-row file never holds 400,000 ORM objects. A file lists its rows in
        the order they were sent (Google Forms does): they are stored shuffled, each day's
        responses written anew with them (``storage.ballot.add_responses``). Paper forms
        (``--channel paper``: staff typed them, into Google Forms as the seed's did) are
        confirmed, as those typed at the desk are: a clerk held each one."""
        if not rows:
            return
        rows = shuffled(list(rows))
        mine = self.municipality  # never the column's default: the home municipality's
        await self._session.execute(
            insert(ImportedRowRow),
            [{"row_hash": r[0], "municipality": mine, "month": r[4].replace(day=1)} for r in rows],
        )
        values = [
            {
                "id": uuid.uuid4().hex,
                "questionnaire_version": version,
                "channel": channel,
                "answers": answers,
                "submitted_on": day,
                "municipality": mine,
                "confirmed": channel == PAPER,
            }
            for _, version, channel, answers, day in rows
        ]
        await add_responses(self._session, values)

    async def add_paper(self, version: str, forms: Sequence[dict[str, Any]], day: date) -> None:
        """A batch of paper forms typed in at the staff console (``storage.paper``)."""
        await paper.add_paper(self._session, self.municipality, version, forms, day)

    async def remove_paper(
        self, version: str, forms: Sequence[dict[str, Any]], day: date
    ) -> int | None:
        """That batch taken back whole, found by its answers (``storage.paper``)."""
        return await paper.remove_paper(self._session, self.municipality, version, forms, day)

    async def notes(self, start: date, end: date) -> tuple[str | None, str | None]:
        row = await self._session.get(PeriodNotesRow, (self.municipality, start, end))
        return (row.summary, row.changes) if row else (None, None)

    async def set_note(self, start: date, end: date, kind: str, text: str) -> None:
        if kind not in {"summary", "changes"}:
            raise ValueError(f"unknown note kind {kind!r}")
        row = await self._session.get(PeriodNotesRow, (self.municipality, start, end))
        if row is None:
            row = PeriodNotesRow(municipality=self.municipality, period_start=start, period_end=end)
            self._session.add(row)
        setattr(row, kind, text)


def covering(entries: list[tuple[date, date, int]], start: date, end: date) -> int | None:
    """The applications of ``start``–``end`` from entries inside it: the one entered for
    exactly that period, else the sum of entries that follow each other day after day from
    ``start`` to ``end``; ``None`` when they leave a gap or overlap (a year entered beside
    its quarters), since a sum of those would count some applications twice or not at all."""
    for first, last, count in entries:
        if (first, last) == (start, end):
            return int(count)
    day, total = start, 0
    for first, last, count in sorted(entries):
        if first != day:
            return None
        day, total = last + timedelta(days=1), total + int(count)
    return total if entries and day == end + timedelta(days=1) else None
