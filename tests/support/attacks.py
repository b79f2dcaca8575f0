"""The attacker of docs/anonymity.md, as a script: a copy of the database (SQLite's files
with their write-ahead log; PostgreSQL with its system columns) and the feedback secret.

Each helper is one way such a reader puts rows in an order of arrival, or ties rows of one
transaction together."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import text

from tests.support.citizen import Citizen
from tests.support.flows import STEPS, SUGGESTION, step_update


def suggestion_of(number: int) -> str:
    return f"შეშის ფული გაზარდეთ, ჩემი აზრი ნომერი {number}!"


async def answer(citizen: Citizen, update: dict[str, Any], keyboard: bool = True) -> None:
    """Sends an update and waits for this citizen's reply (the one with buttons, if
    ``keyboard``), without waiting for the whole bot to go quiet: others answer meanwhile."""
    api, before = citizen.api, len(citizen.api.calls)
    await api.push(update)

    def replied() -> bool:
        sent = [
            api.messages[(citizen.chat_id, c.result_id)] for c in api.sent(citizen.chat_id, before)
        ]
        return any(m.get("reply_markup") for m in sent) if keyboard else bool(sent)

    await api.wait_until(replied, limit=120)
    citizen.received.extend(
        api.messages[(citizen.chat_id, c.result_id)] for c in api.sent(citizen.chat_id, before)
    )


async def complete_and_subscribe(citizen: Citizen, number: int) -> int:
    """The usual questionnaire with a suggestion only this citizen writes, then the opt-in;
    returns the update id of the press on "send"."""
    await answer(citizen, citizen.message_update(text="/start"))
    for kind, value in STEPS:
        value = suggestion_of(number) if value == SUGGESTION else value
        update = await step_update(citizen, (kind, value))
        await answer(citizen, update)
    [opt_in] = [d for label, d in citizen.buttons().items() if "მინდა გავიგო" in label]
    await answer(citizen, citizen.callback_update(opt_in, citizen.last_keyboard_message()), False)
    return int(update["update_id"])


PERSON_TABLES = ("submission_counts", "subscribers", "drafts", "reminders", "paper_batches")
"""Rows that stand for a person (a keyed hash of them, or their chat)."""


async def rows(runtime: Any, query: str) -> list[tuple[Any, ...]]:
    async with runtime.database.engine.connect() as connection:
        return [tuple(row) for row in (await connection.execute(text(query))).all()]


def dialect(runtime: Any) -> str:
    return runtime.database.engine.dialect.name


async def physical_order(runtime: Any, table: str, column: str, marks: list[str]) -> list[str]:
    """``marks`` (a text only that row holds, found in ``column``) in the order their rows
    lie in storage: PostgreSQL's heap position; for SQLite, where the bytes of each lie in
    the files (page by page, and within a page, which SQLite fills from its end as rows
    come: the finest order a copy of the file gives)."""
    if dialect(runtime) == "postgresql":
        found = await rows(runtime, f"SELECT {column}::text FROM {table} ORDER BY ctid")
        ordered = [_mark_in(str(value), marks) for (value,) in found]
        return [mark for mark in ordered if mark is not None]
    path = Path(runtime.settings.database_url.split("///", 1)[1])
    wal = Path(f"{path}-wal")
    everything = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    where = {mark: everything.find(mark.encode()) for mark in marks}
    assert all(offset >= 0 for offset in where.values()), "every row must be found"
    return sorted(marks, key=where.__getitem__)


async def physical_places(
    database: Any, url: str, table: str, column: str, marks: list[str]
) -> dict[str, tuple[int, int]]:
    """Where each mark's row lies: (page, place in the page). PostgreSQL: the row's
    ``ctid``; SQLite: the page of the file its bytes are in, and their offset in it."""
    async with database.engine.connect() as connection:
        if database.engine.dialect.name == "postgresql":
            found = await connection.execute(
                text(f"SELECT ctid::text, {column}::text FROM {table}")
            )
            places = {}
            for ctid, value in found:
                mark = _mark_in(str(value), marks)
                if mark is not None:
                    page, item = ctid.strip("()").split(",")
                    places[mark] = (int(page), int(item))
            return places
        page_size = (await connection.exec_driver_sql("PRAGMA page_size")).scalar()
    path = Path(url.split("///", 1)[1])
    everything = path.read_bytes()
    offsets = {mark: everything.find(mark.encode()) for mark in marks}
    assert all(offset >= 0 for offset in offsets.values()), "every row must be found"
    return {mark: (offset // page_size, offset % page_size) for mark, offset in offsets.items()}


def concordance(arrival: list[str], places: dict[str, tuple[int, int]], same_page: bool) -> float:
    """Of the pairs of rows (on one page, with ``same_page``), the share that lie in the
    order they came: 0.5 by chance; 1.0 for rows in order of arrival, 0.0 for rows in reverse
    (as SQLite fills a page from its end), whichever way a table keeps them."""
    agree = pairs = 0
    for i, first in enumerate(arrival):
        for second in arrival[i + 1 :]:
            a, b = places[first], places[second]
            if same_page and a[0] != b[0]:
                continue
            pairs += 1
            agree += a < b
    assert pairs >= 20, "too few pairs to tell chance from order"
    share = agree / pairs
    print(f"order attack: {agree} of {pairs} pairs in order of arrival (chance: half)")
    return share


def _mark_in(value: str, marks: list[str]) -> str | None:
    """The mark a row holds (``None`` for a row of another kind, such as an opt-in)."""
    decoded = json.loads(value) if value.startswith("{") else value
    flat = json.dumps(decoded, ensure_ascii=False) if isinstance(decoded, dict) else value
    found = [m for m in marks if m in flat]
    assert len(found) <= 1
    return found[0] if found else None


def pairing_hits(people: list[Any], forms: list[Any]) -> int:
    """Pairs the i-th person with the i-th form, each in the order the attacker found, and
    counts the pairs that are really the same citizen. By chance (a random order) one pair
    matches on average, however many there are."""
    hits = sum(person == owner for person, owner in zip(people, forms, strict=False))
    print(f"pairing attack: {hits} of {min(len(people), len(forms))} right (chance: 1)")
    return hits


async def xmins(runtime: Any, table: str) -> list[str]:
    return [x for (x,) in await rows(runtime, f"SELECT xmin::text FROM {table}")]


async def shared_with_people(runtime: Any, table: str) -> set[str]:
    """Transaction ids of ``table``'s rows that a row standing for a person also has."""
    mine = set(await xmins(runtime, table))
    people: set[str] = set()
    for person_table in PERSON_TABLES:
        people |= set(await xmins(runtime, person_table))
    return mine & people
