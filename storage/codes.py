"""The desk slips' one-use codes: issued when staff print slips, used when a questionnaire
begins with one (``bot.dialogue.turn``).

A code is stored as HMAC(secret, code) with its service and whether it was used: no time
of printing or use. A slip is used in the transaction that begins its questionnaire, never
in the one that drops the form into the box, so no transaction id ties a used code to a
form (the draft between them carries only "confirmed", never which slip). Whenever a code
is issued or used, every code of its service is written anew, shuffled (``storage.mixing``):
a copy of the database shows the service's codes under one transaction id, in an order
drawn by chance, and never which was used last.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from bot.questionnaire.slip_codes import CLAIMED, UNKNOWN, USED, Claim
from storage import mixing
from storage.schema import HOME, DeskCodeRow

codes = DeskCodeRow.__table__


class SqlCodes:
    def __init__(self, session: Any, municipality: str = HOME) -> None:
        self._session = session
        self._municipality = municipality

    def _group(self, service: str) -> Any:
        return (codes.c.municipality == self._municipality) & (codes.c.service == service)

    async def claim(self, key: str) -> Claim:
        """Uses the code ``key`` if it is unused: at most one questionnaire ever gets it,
        whichever process asks (the rewrite holds the codes' lock on PostgreSQL, the write
        lock on SQLite, and reads the row again under it)."""
        await mixing.serialise(self._session, mixing.CODES_LOCK)
        found = await self._session.execute(
            select(codes.c.service, codes.c.spent).where(
                codes.c.municipality == self._municipality, codes.c.key == key
            )
        )
        row = found.first()
        if row is None:
            return Claim(UNKNOWN)
        service, spent = row
        if spent:
            return Claim(USED, service)

        def used(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{**r, "spent": r["spent"] or r["key"] == key} for r in rows]

        await mixing.rewrite(self._session, codes, self._group(service), used)
        return Claim(CLAIMED, service)

    async def issue(self, keys: Iterable[str], service: str) -> int:
        """New unused codes of ``service``, written with the service's others, shuffled."""
        new = [
            {"municipality": self._municipality, "key": k, "service": service, "spent": False}
            for k in dict.fromkeys(keys)
        ]
        await mixing.serialise(self._session, mixing.CODES_LOCK)
        await mixing.rewrite(self._session, codes, self._group(service), lambda old: [*old, *new])
        return len(new)

    async def tally(self) -> dict[str, tuple[int, int]]:
        """Per service: (codes issued, codes used)."""
        query = (
            select(codes.c.service, func.count(), func.count().filter(codes.c.spent))
            .where(codes.c.municipality == self._municipality)
            .group_by(codes.c.service)
        )
        rows = await self._session.execute(query)
        return {service: (int(n), int(used)) for service, n, used in rows}
