"""The ledger of public outputs: every report, results page, national view, card and feed
entry that printed public figures, with what each printed.

A new public output is audited against all of them together (``reporting.ledger_audit``):
suppression that looks at one output at a time cannot see that a year minus three of its
quarters is the fourth. An entry holds aggregate counts only (the cells printed, the marks,
and per quarter the counts they add up), never a response, and no day it was made (see ``made_on``).
The same output made again from the same counts is the same entry (its digest), so asking
twice adds nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, String, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from storage.database import Database
from storage.schema import Base


class PublicOutputRow(Base):
    __tablename__ = "public_outputs"

    municipality: Mapped[str] = mapped_column(String(24), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    output: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    made_on: Mapped[date] = mapped_column(Date)
    """The period's last day, never the day the output was made: the audit needs no date,
    and two snapshots of a quarter dated by the day they were made would date the late
    paper form typed in between (the column stays for the schema of migration 0020)."""
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    """``quarters``, ``printed``, ``truth``, ``lines``, ``k`` (``reporting.ledger_audit``)."""


@dataclass(frozen=True)
class Entry:
    output: str
    start: date
    end: date
    figures: dict[str, Any]

    @property
    def digest(self) -> str:
        canonical = json.dumps(
            [self.output, self.start.isoformat(), self.end.isoformat(), self.figures],
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


class Ledger:
    """One municipality's public outputs, on the database's own sessions."""

    def __init__(self, database: Database, municipality: str) -> None:
        self._sessions = async_sessionmaker(database.engine, expire_on_commit=False)
        self.municipality = municipality

    async def entries(self) -> list[Entry]:
        query = select(PublicOutputRow).where(PublicOutputRow.municipality == self.municipality)
        async with self._sessions() as session:
            rows = (await session.scalars(query.order_by(PublicOutputRow.digest))).all()
        return [Entry(r.output, r.period_start, r.period_end, r.figures) for r in rows]

    async def record(self, entry: Entry) -> bool:
        """Keeps ``entry``; ``False`` when the same one was kept before (nothing added)."""
        async with self._sessions() as session, session.begin():
            key = (self.municipality, entry.digest)
            if await session.get(PublicOutputRow, key) is not None:
                return False
            session.add(
                PublicOutputRow(
                    municipality=self.municipality,
                    digest=entry.digest,
                    output=entry.output,
                    period_start=entry.start,
                    period_end=entry.end,
                    made_on=entry.end,
                    figures=entry.figures,
                )
            )
        return True
