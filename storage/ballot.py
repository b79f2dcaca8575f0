"""The ballot box: a submitted form waits here, holding no key, until it is mixed with others.

The box is shared by the installation's municipalities: a batch may hold forms of several,
and each form lands among its own municipality's responses.

A paper box mixes the forms, so nobody can tell whose form is whose. Here a form is first
dropped into ``ballot_box`` (its answers and day, nothing that stands for the person) and
later moved to ``responses`` in a batch, in a transaction of its own, in shuffled order and
under new random ids. So no transaction id, row order or time ties a response to anything
written when the citizen pressed "send" (their daily-limit row, their update, their draft).
Opt-ins to "you said, we did" go through the box too, emptied in yet another transaction.

On SQLite the box is a ``WITHOUT ROWID`` table keyed by a random id, so even while forms wait
their physical order is not their order of arrival.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select

from storage.schema import HOME, BallotRow, ResponseRow, SubscriberRow
from storage.statements import once
from storage.turns import Session
from storage.upsert import insert_for

FORM = "form"
SUBSCRIPTION = "subscription"
_shuffler = random.SystemRandom()


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _due(now: datetime, window: timedelta) -> datetime:
    """A random moment within ``window``: the box is emptied by then at the latest."""
    return _utc(now + window * _shuffler.random())


@dataclass(frozen=True)
class Emptied:
    forms: int = 0
    subscriptions: int = 0


def ballot(
    kind: str,
    channel: str,
    day: date,
    now: datetime,
    window: timedelta,
    municipality: str = HOME,
    **content: Any,
) -> dict[str, Any]:
    """A ballot with a random id and its own random moment; ``content``: address, payload."""
    return {
        "id": uuid.uuid4().hex,
        "kind": kind,
        "channel": channel,
        "address": content.get("address"),
        "payload": content.get("payload", {}),
        "day": day,
        "due_at": _due(now, window),
        "municipality": municipality,
    }


def form(
    version: str,
    channel: str,
    answers: Mapping[str, Any],
    day: date,
    now: datetime,
    window: timedelta,
    municipality: str = HOME,
) -> dict[str, Any]:
    """A sent form's row in the box (the unit of work inserts it)."""
    payload = {"version": version, "answers": dict(answers)}
    return ballot(FORM, channel, day, now, window, municipality, payload=payload)


def subscription(
    channel: str,
    chat: str,
    day: date,
    now: datetime,
    window: timedelta,
    municipality: str = HOME,
) -> dict[str, Any]:
    """An opt-in's row in the box; only the month is kept, as in ``subscribers``."""
    first = day.replace(day=1)
    return ballot(SUBSCRIPTION, channel, first, now, window, municipality, address=chat)


_PER_KIND = select(func.count().label("n")).select_from(BallotRow).group_by(BallotRow.kind)
_DUE = select(
    func.max(_PER_KIND.subquery().c.n), select(func.min(BallotRow.due_at)).scalar_subquery()
)
_FORMS = select(func.count()).select_from(BallotRow).where(BallotRow.kind == FORM)
once(_DUE, _FORMS)


async def is_due(session: Session, now: datetime, batch: int) -> bool:
    """Enough forms (or opt-ins) to mix, or one waited until its random moment: asked
    after every "send", in one statement."""
    most, earliest = (await session.execute(_DUE)).first()
    return (most or 0) >= batch or (earliest is not None and earliest <= _utc(now))


async def waiting(session: Session) -> int:
    return await session.scalar(_FORMS) or 0


@dataclass(frozen=True)
class Rule:
    """When a kind of ballot may leave the box: ``None`` = now, whatever waits."""

    batch: int
    now: datetime

    def allows(self, taken: list[Any]) -> bool:
        """At least ``batch`` taken, or one of them waited until its random moment.

        Decided on what the ``DELETE`` really took, not on an earlier count: two processes
        emptying at once must not leave a batch smaller than ``batch`` behind them.
        """
        if len(taken) >= self.batch:
            return True
        return any(row.due_at <= _utc(self.now) for row in taken)


async def _take(session: Session, kind: str, rule: Rule | None) -> list[Any]:
    """Deletes and returns every waiting ballot of ``kind``, shuffled; ``[]`` (and nothing
    deleted) when ``rule`` does not allow them to leave yet.

    ``DELETE … RETURNING`` takes each ballot exactly once even when two processes empty the
    box at the same moment.
    """
    statement = (
        delete(BallotRow)
        .where(BallotRow.kind == kind)
        .returning(
            BallotRow.channel,
            BallotRow.address,
            BallotRow.payload,
            BallotRow.day,
            BallotRow.due_at,
            BallotRow.municipality,
        )
    )
    taken = list(await session.execute(statement))
    if not taken or (rule is not None and not rule.allows(taken)):
        await session.rollback()
        return []
    _shuffler.shuffle(taken)
    return taken


async def take_forms(session: Session, rule: Rule | None = None) -> int:
    """Moves the waiting forms into ``responses``, shuffled, with fresh ids."""
    taken = await _take(session, FORM, rule)
    rows = [
        {
            "id": uuid.uuid4().hex,
            "questionnaire_version": row.payload["version"],
            "channel": row.channel,
            "answers": row.payload["answers"],
            "submitted_on": row.day,
            "municipality": row.municipality,
        }
        for row in taken
    ]
    if rows:
        await session.execute(insert(ResponseRow), rows)  # written in the shuffled order
    return len(taken)


async def take_subscriptions(session: Session, rule: Rule | None = None) -> int:
    upsert = insert_for(session)
    taken = await _take(session, SUBSCRIPTION, rule)
    for row in taken:
        statement = upsert(SubscriberRow).values(
            channel=row.channel,
            chat_id=row.address,
            opted_in_month=row.day,
            municipality=row.municipality,
        )
        await session.execute(statement.on_conflict_do_nothing())
    return len(taken)
