"""The ballot box: a submitted form waits here, holding no key, until it is mixed with others.

The box is shared by the installation's municipalities: a batch may hold forms of several,
and each form lands among its own municipality's responses.

A paper box mixes the forms, so nobody can tell whose form is whose. Here a form is first
dropped into ``ballot_box`` (its answers and day, nothing that stands for the person and no
time) and later moved to ``responses`` in a batch, in a transaction of its own, under new
random ids. So no transaction id, row order or time ties a response to anything written
when the citizen pressed "send" (their daily-limit row, their update, their draft). Opt-ins
to "you said, we did" go through the box too, emptied in yet another transaction.

At seven forms a week a batch is often one form, so order is hidden by rewriting, not by
batching alone (``storage.mixing``): every drop rewrites the waiting forms of the box,
shuffled, in the sender's transaction; every emptying rewrites the responses of the days it
adds to, shuffled, in its own. A copy of the database then shows the waiting forms under
one transaction id and each day's responses under one, in an order drawn by chance.

The box is emptied when ``batch`` forms (or opt-ins) wait, when a waiting ballot's day has
ended (the upkeep, each minute), and before every digest and report. It keeps no moment:
a ballot's only time is its day.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select

from storage import mixing
from storage.schema import HOME, BallotRow, ResponseRow, SubscriberRow
from storage.statements import once
from storage.turns import Session

FORM = "form"
SUBSCRIPTION = "subscription"
box = BallotRow.__table__
responses = ResponseRow.__table__
subscribers = SubscriberRow.__table__


@dataclass(frozen=True)
class Emptied:
    forms: int = 0
    subscriptions: int = 0


def ballot(
    kind: str, channel: str, day: date, municipality: str = HOME, **content: Any
) -> dict[str, Any]:
    """A ballot with a random id; ``content``: address, payload."""
    return {
        "id": uuid.uuid4().hex,
        "kind": kind,
        "channel": channel,
        "address": content.get("address"),
        "payload": content.get("payload", {}),
        "day": day,
        "municipality": municipality,
    }


def form(
    version: str,
    channel: str,
    answers: Mapping[str, Any],
    day: date,
    municipality: str = HOME,
    confirmed: bool = False,
) -> dict[str, Any]:
    """A sent form's row in the box; ``confirmed``: begun with a desk slip (never which)."""
    payload = {"version": version, "answers": dict(answers), "confirmed": confirmed}
    return ballot(FORM, channel, day, municipality, payload=payload)


def subscription(channel: str, chat: str, day: date, municipality: str = HOME) -> dict[str, Any]:
    """An opt-in's row in the box: only its month, as ``subscribers`` keeps (a day would be
    one person at seven forms a week, beside a chat id in clear)."""
    return ballot(SUBSCRIPTION, channel, day.replace(day=1), municipality, address=chat)


async def drop(session: Session, row: dict[str, Any]) -> None:
    """Puts ``row`` into the box and writes every waiting ballot of its kind anew, shuffled
    and under fresh ids, in this (the sender's) transaction: the waiting forms then share
    one transaction id and no order, however long they wait."""
    await mixing.serialise(session, mixing.BOX_LOCK)

    def with_new(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**r, "id": uuid.uuid4().hex} for r in [*rows, row]]

    await mixing.rewrite(session, box, box.c.kind == row["kind"], with_new)


_PER_KIND = select(BallotRow.kind, func.count(), func.min(BallotRow.day)).group_by(BallotRow.kind)
_FORMS = select(func.count()).select_from(BallotRow).where(BallotRow.kind == FORM)
_FORMS_OF = _FORMS.where(BallotRow.municipality == bindparam("municipality"))
once(_PER_KIND, _FORMS, _FORMS_OF)


async def is_due(session: Session, today: date, batch: int) -> bool:
    """Enough forms (or opt-ins) to mix, or one whose day (an opt-in: month) has ended:
    asked after every "send" and by the upkeep, in one statement."""
    rule = Rule(batch, today)
    found = await session.execute(_PER_KIND)
    return any(n >= batch or earliest < rule.cutoff(kind) for kind, n, earliest in found)


async def waiting(session: Session, municipality: str | None = None) -> int:
    """Forms in the box: every municipality's (``None``: the upkeep's concern) or one's (its
    dashboard: the box is shared, and another's form is none of its business)."""
    if municipality is None:
        return await session.scalar(_FORMS) or 0
    return await session.scalar(_FORMS_OF, {"municipality": municipality}) or 0


@dataclass(frozen=True)
class Rule:
    """When a kind of ballot may leave the box: ``None`` = now, whatever waits."""

    batch: int
    today: date

    def cutoff(self, kind: str) -> date:
        """A ballot dated before this has waited long enough: a form until its day ends, an
        opt-in (which keeps its month only) until its month ends."""
        return self.today if kind == FORM else self.today.replace(day=1)

    def allows(self, kind: str, taken: list[dict[str, Any]]) -> bool:
        """At least ``batch`` taken, or one of them from a day (month) that has ended.

        Decided on what the ``DELETE`` really took, not on an earlier count: two processes
        emptying at once must not leave a batch smaller than ``batch`` behind them.
        """
        if len(taken) >= self.batch:
            return True
        return any(row["day"] < self.cutoff(kind) for row in taken)


async def _take(session: Session, kind: str, rule: Rule | None) -> list[dict[str, Any]]:
    """Deletes and returns every waiting ballot of ``kind``, shuffled; ``[]`` (and nothing
    deleted) when ``rule`` does not allow them to leave yet.

    ``DELETE … RETURNING`` takes each ballot exactly once even when two processes empty the
    box at the same moment.
    """
    await mixing.serialise(session, mixing.BOX_LOCK)
    result = await session.execute(box.delete().where(box.c.kind == kind).returning(*box.c))
    taken = [dict(row._mapping) for row in result]
    if not taken or (rule is not None and not rule.allows(kind, taken)):
        await session.rollback()
        return []
    return mixing.shuffled(taken)


async def take_forms(session: Session, rule: Rule | None = None) -> int:
    """Moves the waiting forms into ``responses`` with fresh ids, and writes every response
    of their days anew with them, shuffled: the day's responses then share this one
    transaction id and no order, even when each emptying holds a single form."""
    taken = await _take(session, FORM, rule)
    if not taken:
        return 0
    rows = [
        {
            "id": uuid.uuid4().hex,
            "questionnaire_version": row["payload"]["version"],
            "channel": row["channel"],
            "answers": row["payload"]["answers"],
            "submitted_on": row["day"],
            "municipality": row["municipality"],
            "confirmed": bool(row["payload"].get("confirmed", False)),
        }
        for row in taken
    ]
    await add_responses(session, rows)
    return len(taken)


async def add_responses(session: Session, rows: list[dict[str, Any]]) -> None:
    """Stores ``rows`` in ``responses`` by writing every response of their days (in their
    municipalities) anew with them, shuffled: the group then shares one transaction id and
    no order, even when it gains a single form. The box, the paper desk and imports alike."""
    await mixing.serialise(session, mixing.RESPONSES_LOCK)
    days: dict[str, set[date]] = {}
    for row in rows:
        days.setdefault(row["municipality"], set()).add(row["submitted_on"])
    where = or_(
        *(
            and_(responses.c.municipality == municipality, responses.c.submitted_on.in_(sorted(d)))
            for municipality, d in sorted(days.items())
        )
    )
    await mixing.rewrite(session, responses, where, lambda old: [*old, *rows])


async def take_subscriptions(session: Session, rule: Rule | None = None) -> int:
    """Moves the waiting opt-ins into ``subscribers``, writing every subscriber of their
    months anew with them, shuffled: no order or transaction id says who opted in when."""
    taken = await _take(session, SUBSCRIPTION, rule)
    if not taken:
        return 0
    new = {
        (row["municipality"], row["channel"], row["address"]): {
            "municipality": row["municipality"],
            "channel": row["channel"],
            "chat_id": row["address"],
            "opted_in_month": row["day"].replace(day=1),
        }
        for row in taken
    }
    months = {(row["opted_in_month"], row["municipality"]) for row in new.values()}
    where = or_(
        *(
            and_(subscribers.c.opted_in_month == month, subscribers.c.municipality == municipality)
            for month, municipality in sorted(months)
        )
    )

    def joined(old: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = {(r["municipality"], r["channel"], r["chat_id"]) for r in old}
        return [*old, *(row for key, row in new.items() if key not in kept)]

    await mixing.serialise(session, mixing.SUBSCRIBERS_LOCK)
    await _already_subscribed(session, new)
    await mixing.rewrite(session, subscribers, where, joined)
    return len(taken)


async def _already_subscribed(session: Session, new: dict[tuple[str, str, str], Any]) -> None:
    """Drops from ``new`` whoever is subscribed already (since an earlier month): they keep
    their row as it is."""
    for municipality, channel, chat in list(new):
        found = await session.scalar(
            select(func.count())
            .select_from(subscribers)
            .where(
                subscribers.c.municipality == municipality,
                subscribers.c.channel == channel,
                subscribers.c.chat_id == chat,
            )
        )
        if found:
            del new[(municipality, channel, chat)]
