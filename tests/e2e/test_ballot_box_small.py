"""The ballot box at the seed's own rate: seven forms a week, so every form comes alone.

Each citizen here finishes before the next one starts, as at seven a week, and the attacker
holds a copy of the database, the feedback secret and the list of candidate ids (here, the
citizens' own). A form emptied on its own (``BALLOT_BOX_SIZE=1``: the box's window is always
shorter than the gap between two forms) or one waiting for days must be tied to its sender no
better than chance: one right pair in a pairing, on average, however many citizens.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pytest
from sqlalchemy import select

from storage.schema import Base
from tests.support.attacks import (
    complete_and_subscribe,
    dialect,
    pairing_hits,
    physical_order,
    rows,
    shared_with_people,
    suggestion_of,
    xmins,
)
from tests.support.citizen import Citizen
from tests.support.flows import stored_responses

pytestmark = pytest.mark.both_databases

CITIZENS = 12
FIRST_ID = 780000000
BEYOND_CHANCE = 7
"""Pairs a pairing may get right: a random order gets one on average, more than seven once in
about 90,000 tries; the order of arrival gets all twelve. (SQLite fills a page from its end:
tests/integration/test_storage_order.py asks about order in both directions, with sixty
rows.)"""


@pytest.fixture
def clock(clock):
    """Noon in Tbilisi: twelve citizens one after another never cross a midnight."""
    clock.now = clock.now.replace(hour=8, minute=0, second=0, microsecond=0)
    return clock


@pytest.fixture
def settings_env(settings_env: dict[str, str], request: pytest.FixtureRequest) -> dict[str, str]:
    marker = request.node.get_closest_marker("box")
    settings_env["BALLOT_BOX_SIZE"] = str(marker.args[0] if marker else 1)
    return settings_env


async def one_after_another(running_bot: Any) -> tuple[dict[str, int], dict[str, int], list[int]]:
    """Citizens answer one at a time; returns each suggestion's and each daily-limit key's
    citizen, and the update ids of their presses on "send", in the order they came."""
    runtime = running_bot.runtime
    keyer, day = runtime.conversation.keyer, runtime.today()
    sends = []
    for number in range(CITIZENS):
        citizen = Citizen(running_bot.api, FIRST_ID + number)
        sends.append(await complete_and_subscribe(citizen, number))
    texts = {suggestion_of(n): n for n in range(CITIZENS)}
    keys = {keyer.rate_key("telegram", str(FIRST_ID + n), day): n for n in range(CITIZENS)}
    return texts, keys, sends


async def orders(runtime: Any, table: str, texts: dict[str, int], keys: dict[str, int]):
    """The forms' citizens in storage order (``table``: responses or the box), and the
    daily-limit rows' citizens in theirs."""
    column = "answers" if table == "responses" else "payload"
    forms = await physical_order(runtime, table, column, list(texts))
    limits = await physical_order(runtime, "submission_counts", "key", list(keys))
    return [texts[t] for t in forms], [keys[k] for k in limits]


async def test_forms_sent_one_at_a_time_keep_no_order_of_their_senders(running_bot):
    runtime = running_bot.runtime
    texts, keys, _ = await one_after_another(running_bot)
    assert len(await stored_responses(runtime)) == CITIZENS, "each form was emptied alone"

    forms, limits = await orders(runtime, "responses", texts, keys)
    assert len(limits) == CITIZENS
    arrival = list(range(CITIZENS))
    assert pairing_hits(arrival, forms) <= BEYOND_CHANCE, "responses lie in sending order"
    assert pairing_hits(limits, forms) <= BEYOND_CHANCE, "limit rows pair with responses"

    if dialect(runtime) == "postgresql":
        assert len(set(await xmins(runtime, "responses"))) == 1, "the day's forms are one batch"
        assert len(set(await xmins(runtime, "submission_counts"))) == 1, "limits in order"
        assert not await shared_with_people(runtime, "responses")


async def test_update_records_keep_the_day_only_and_pair_with_no_form(running_bot):
    """The attacker knows which update was whose "send" (Telegram numbers them in order)
    and orders the records; the forms give that order nothing to pair with."""
    runtime = running_bot.runtime
    texts, _, sends = await one_after_another(running_bot)
    seen = await rows(runtime, "SELECT update_key, seen_at FROM seen_updates")
    assert {str(update) for update in sends} <= {key for key, _ in seen}
    moments = {str(moment)[11:] for _, moment in seen}
    assert moments <= {"00:00:00", "00:00:00.000000"}, "an update's record keeps its moment"

    by_update = sorted(range(CITIZENS), key=lambda n: sends[n])
    forms = await physical_order(runtime, "responses", "answers", list(texts))
    assert pairing_hits(by_update, [texts[t] for t in forms]) <= BEYOND_CHANCE


@pytest.mark.box(50)
async def test_a_copy_taken_while_forms_wait_ties_none_to_its_sender(running_bot):
    """At seven a week a box of 50 never fills: the forms wait until their day ends (or a
    digest empties the box); a copy taken meanwhile shows the waiting forms in no order and
    under one transaction id."""
    runtime = running_bot.runtime
    texts, keys, _ = await one_after_another(running_bot)
    assert await runtime.database.forms_waiting() == CITIZENS

    forms, limits = await orders(runtime, "ballot_box", texts, keys)
    assert pairing_hits(list(range(CITIZENS)), forms) <= BEYOND_CHANCE
    assert pairing_hits(limits, forms) <= BEYOND_CHANCE
    if dialect(runtime) == "postgresql":
        waiting = await rows(runtime, "SELECT xmin::text FROM ballot_box WHERE kind = 'form'")
        assert len({x for (x,) in waiting}) == 1, "the waiting forms share one transaction"
        assert not await shared_with_people(runtime, "ballot_box")

    await runtime.database.empty_box()  # as before a digest
    forms, limits = await orders(runtime, "responses", texts, keys)
    assert pairing_hits(limits, forms) <= BEYOND_CHANCE


@pytest.mark.box(8)
async def test_no_table_keeps_a_moment_finer_than_the_day_once_forms_are_sent(running_bot):
    """Every column of every table, read as the attacker would, after twelve forms were sent
    (eight emptied together, four still waiting in the box): no moment of sending anywhere."""
    runtime = running_bot.runtime
    await one_after_another(running_bot)
    assert await runtime.database.forms_waiting() == 4
    staff_only = {"job_runs", "forms"}  # when a job ran, when staff loaded a form
    async with runtime.database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in staff_only:
                continue
            for row in (await connection.execute(select(table))).all():
                for value in row:
                    if isinstance(value, datetime):
                        assert value.time() == time(0), f"{table.name} keeps {value}"
