"""A municipality's "what we changed" entries (``bot.questionnaire.changes``), on the unit
of work's session. Each has a short random id (a number would tell the order they were
written, which is harmless here but is nobody's business either)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update

from bot.questionnaire.changes import ChangeEntry, Status, newest_first
from storage.schema import HOME, ChangeRow


class SqlChanges:
    def __init__(self, session: Any, municipality: str = HOME) -> None:
        self._session = session
        self._municipality = municipality

    async def add(
        self, asked: str, decided: str, status: Status, on: date, categories: Sequence[str]
    ) -> str:
        entry = secrets.token_hex(3)
        await self._session.execute(
            insert(ChangeRow).values(
                municipality=self._municipality,
                id=entry,
                asked=asked,
                decided=decided,
                status=status.value,
                on=on,
                categories=list(categories),
            )
        )
        return entry

    async def set_status(self, entry: str, status: Status, on: date) -> bool:
        result = await self._session.execute(
            update(ChangeRow)
            .where(ChangeRow.municipality == self._municipality, ChangeRow.id == entry)
            .values(status=status.value, on=on)
        )
        return bool(result.rowcount)

    async def all(self) -> list[ChangeEntry]:
        rows = await self._session.execute(
            select(
                ChangeRow.id,
                ChangeRow.asked,
                ChangeRow.decided,
                ChangeRow.status,
                ChangeRow.on,
                ChangeRow.categories,
            ).where(ChangeRow.municipality == self._municipality)
        )
        return newest_first(
            [
                ChangeEntry(i, asked, decided, Status(status), on, tuple(categories or ()))
                for i, asked, decided, status, on, categories in rows
            ]
        )
