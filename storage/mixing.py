"""Rows written anew in shuffled order, so that no storage order is an order of arrival.

A table remembers the order its rows came in: SQLite puts a new row's bytes in front of the
page's earlier ones (and a rowid table numbers them), PostgreSQL appends it to the heap
(``ctid``) under the transaction that wrote it (``xmin``). At seven forms a week every
"send" is alone, so that order *is* the order of the senders. Deleting a group of rows and
inserting them again, shuffled, in one transaction leaves the group with one transaction id
and a physical order drawn by chance: a reader learns the group, never who came when.

The groups are the ones the rows show anyway: the forms waiting in the box, the opt-ins
waiting in it, the responses of one day, the daily-limit rows of one day. Each rewrite holds
a lock of its own on PostgreSQL, so two processes never rewrite the same group at once (the
second would miss the first one's rows and leave its own with a transaction id of its own).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, delete, func, insert, select

_shuffler = random.SystemRandom()

BOX_LOCK = 0x62616C6C6F74
"""PostgreSQL advisory lock of the waiting ballots (forms and opt-ins alike)."""
RESPONSES_LOCK = 0x726573706F6E
COUNTS_LOCK = 0x636F756E7473
SUBSCRIBERS_LOCK = 0x7375627363
CODES_LOCK = 0x736C697073
"""The desk slips' codes (``storage.codes``)."""


async def serialise(session: Any, lock: int) -> None:
    """PostgreSQL: this transaction's hold on one kind of rewrite. SQLite needs none: its
    transactions take the database's write lock."""
    if session.bind.dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(lock)))


Arrange = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


async def rewrite(
    session: Any, table: Table, where: Any, arrange: Arrange | None = None
) -> list[dict[str, Any]]:
    """Deletes the rows ``where`` selects and inserts them again, shuffled; ``arrange`` may
    add rows or alter them on the way (a fresh id, one more count). Returns the rows as
    written. The caller holds the group's lock (``serialise``)."""
    taken = await session.execute(delete(table).where(where).returning(*table.c))
    rows = [dict(row._mapping) for row in taken]
    if arrange is not None:
        rows = arrange(rows)
    _shuffler.shuffle(rows)
    if rows:
        await session.execute(insert(table), rows)  # written in the shuffled order
    return rows


def shuffled(rows: list[Any]) -> list[Any]:
    _shuffler.shuffle(rows)
    return rows
