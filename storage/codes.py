"""The desk slips' one-use codes: issued when staff print slips, used when a questionnaire
begins with one (``bot.dialogue.turn``).

A code is stored as HMAC(secret, code) with its service and whether it was used: no time
of printing or use. A slip is used in the transaction that begins its questionnaire, never
in the one that drops the form into the box, so no transaction id ties a used code to a
form (the draft between them carries only "confirmed", never which slip). Whenever a code
is issued, every code of its service is written anew, shuffled (``storage.mixing``); when
one is used, every code of its *bucket* is: all the service's codes while it has fewer than
16 x ``BUCKET``, else those whose key begins with the used one's first hex digit(s), at
least ``BUCKET`` codes each. A copy of the database shows a bucket's codes under one
transaction id, in an order drawn by chance: which bucket was written last, never which of
its codes was used last. A claim so costs the same however many slips were ever printed
(``python bench/desk_codes.py``), and holds a lock of its own municipality and service only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from bot.questionnaire.slip_codes import CLAIMED, UNKNOWN, USED, Claim
from storage import mixing
from storage.schema import HOME, DeskCodeRow

codes = DeskCodeRow.__table__
BUCKET = 512
"""The fewest codes a bucket rewritten at a claim holds (see above)."""


def _lock(municipality: str, service: str) -> int:
    """The PostgreSQL advisory lock of one municipality's codes of one service."""
    name = f"{mixing.CODES_LOCK}\x1f{municipality}\x1f{service}".encode()
    return int.from_bytes(hashlib.blake2b(name, digest_size=8).digest(), "big", signed=True)


class SqlCodes:
    def __init__(self, session: Any, municipality: str = HOME) -> None:
        self._session = session
        self._municipality = municipality

    def _group(self, service: str) -> Any:
        return (codes.c.municipality == self._municipality) & (codes.c.service == service)

    async def claim(self, key: str) -> Claim:
        """Uses the code ``key`` if it is unused: at most one questionnaire ever gets it,
        whichever process asks (the rewrite holds its service's lock on PostgreSQL, the
        write lock on SQLite, and reads the row again under it)."""
        service = await self._service_of(key)
        if service is None:
            return Claim(UNKNOWN)
        await mixing.serialise(self._session, _lock(self._municipality, service))
        found = await self._session.execute(
            select(codes.c.spent).where(
                codes.c.municipality == self._municipality, codes.c.key == key
            )
        )
        spent = found.scalar()
        if spent is None:
            return Claim(UNKNOWN)
        if spent:
            return Claim(USED, service)

        def used(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{**r, "spent": r["spent"] or r["key"] == key} for r in rows]

        bucket = await self._bucket(service, key)
        await mixing.rewrite(self._session, codes, bucket, used)
        return Claim(CLAIMED, service)

    async def _service_of(self, key: str) -> str | None:
        found = await self._session.execute(
            select(codes.c.service).where(
                codes.c.municipality == self._municipality, codes.c.key == key
            )
        )
        return found.scalar()

    async def _bucket(self, service: str, key: str) -> Any:
        """The codes rewritten with ``key``'s: its service's whose keys share its first
        hex digits, as many digits as leave ``BUCKET`` codes or more in each bucket."""
        found = await self._session.execute(
            select(func.count()).select_from(codes).where(self._group(service))
        )
        count, digits = int(found.scalar() or 0), 0
        while count >= BUCKET * 16 ** (digits + 1):
            digits += 1
        if digits == 0:
            return self._group(service)
        prefix = key[:digits]
        return self._group(service) & (codes.c.key >= prefix) & (codes.c.key < prefix + "~")

    async def issue(self, keys: Iterable[str], service: str) -> int:
        """New unused codes of ``service``, written with the service's others, shuffled."""
        new = [
            {"municipality": self._municipality, "key": k, "service": service, "spent": False}
            for k in dict.fromkeys(keys)
        ]
        await mixing.serialise(self._session, _lock(self._municipality, service))
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
