"""A municipality's registered front-desk tablets (kiosks): added by staff, enrolled once.

Staff add a kiosk (``feedback-bot kiosk add``): it gets a short id, their label, and the
keyed hash of a one-use link. Opening that link on the tablet swaps it for a token the
tablet's cookie carries; only the token's keyed hash is kept, so nobody reading the database
can act as the kiosk. No address and no moment of use is stored: the day it was added is
the staff's own record, and the forms it sent are a count for the current week only.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, delete, insert, select, update

from storage.schema import HOME, KioskRow


@dataclass(frozen=True)
class Kiosk:
    id: str
    label: str
    enrolled: bool
    added_on: date
    sent_this_week: int = 0


class SqlKiosks:
    """One municipality's kiosks, on the unit of work's session."""

    def __init__(self, session: Any, municipality: str = HOME) -> None:
        self._session = session
        self._municipality = municipality

    async def add(self, label: str, link_hash: str, day: date) -> str:
        """A new kiosk waiting for its tablet; its id."""
        kiosk = secrets.token_hex(4)
        row = {"id": kiosk, "label": label, "link_hash": link_hash, "added_on": day}
        await self._session.execute(
            insert(KioskRow).values(municipality=self._municipality, token_hash=None, **row)
        )
        return kiosk

    async def enrol(self, link_hash: str, token_hash: str) -> bool:
        """The tablet that opened the link becomes the kiosk; the link is used up."""
        result = await self._session.execute(
            update(KioskRow)
            .where(KioskRow.municipality == self._municipality, KioskRow.link_hash == link_hash)
            .values(link_hash=None, token_hash=token_hash)
        )
        return bool(result.rowcount)

    async def known(self, token_hash: str) -> bool:
        """A tablet's cookie stands for a kiosk of this municipality that was not removed."""
        found = await self._session.execute(
            select(KioskRow.id).where(
                KioskRow.municipality == self._municipality, KioskRow.token_hash == token_hash
            )
        )
        return found.first() is not None

    async def count_sent(self, token_hash: str, week_of: date) -> None:
        """One more form sent from the kiosk this week (the count starts again each week).
        Called after the form's own commit, in a transaction of its own, as a citizen's
        daily count is: no transaction holds both the form and the kiosk."""
        row = KioskRow.__table__.c
        await self._session.execute(
            update(KioskRow)
            .where(KioskRow.municipality == self._municipality, KioskRow.token_hash == token_hash)
            .values(
                sent=case((row.week_of == week_of, row.sent + 1), else_=1),
                week_of=week_of,
            )
        )

    async def all(self, week_of: date | None = None) -> list[Kiosk]:
        """Every kiosk, with its forms sent in the week of ``week_of`` (a Monday)."""
        rows = await self._session.execute(
            select(
                KioskRow.id,
                KioskRow.label,
                KioskRow.token_hash,
                KioskRow.added_on,
                KioskRow.week_of,
                KioskRow.sent,
            )
            .where(KioskRow.municipality == self._municipality)
            .order_by(KioskRow.added_on, KioskRow.label)
        )
        return [
            Kiosk(i, label, token is not None, day, sent if week == week_of else 0)
            for i, label, token, day, week, sent in rows
        ]

    async def remove(self, kiosk: str) -> bool:
        result = await self._session.execute(
            delete(KioskRow).where(
                KioskRow.municipality == self._municipality, KioskRow.id == kiosk
            )
        )
        return bool(result.rowcount)
