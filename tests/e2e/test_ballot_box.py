"""The ballot box: a reader of the database cannot tie a response to the person who sent it.

Each test plays the attacker of docs/anonymity.md: a copy of the database (SQLite files with
their write-ahead log, or PostgreSQL with its system columns) and the feedback secret.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

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

CITIZENS = 40
BATCH = 5


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["BALLOT_BOX_SIZE"] = str(BATCH)
    settings_env["MAX_RESPONSES_PER_DAY"] = "3"
    # Forty citizens within seconds, as in the attack; Telegram's 30 messages a second
    # would stretch that to half a minute.
    settings_env["TELEGRAM_RATE_LIMIT"] = "false"
    return settings_env


async def forty_citizens(running_bot: Any) -> dict[str, int]:
    """Forty citizens answer at once and opt in; returns their suggestion → their number."""
    citizens = [Citizen(running_bot.api, 770000000 + n) for n in range(CITIZENS)]
    await asyncio.gather(
        *(complete_and_subscribe(citizen, n) for n, citizen in enumerate(citizens))
    )
    return {suggestion_of(n): n for n in range(CITIZENS)}


async def test_no_transaction_or_row_order_ties_a_response_to_a_person(running_bot, clock):
    runtime = running_bot.runtime
    owners = await forty_citizens(running_bot)
    keyer, day = runtime.conversation.keyer, runtime.today()
    limit_owner = {keyer.rate_key("telegram", str(770000000 + n), day): n for n in range(CITIZENS)}

    mixed = await stored_responses(runtime)
    assert len(mixed) >= CITIZENS - BATCH + 1, "all but the last few forms were mixed"
    waiting = await runtime.database.forms_waiting()
    assert len(mixed) + waiting == CITIZENS

    texts = [r["answers"]["suggestions"] for r in mixed]
    responses = await physical_order(runtime, "responses", "answers", texts)
    response_owners = [owners[text] for text in responses]
    limits = await physical_order(runtime, "submission_counts", "key", list(limit_owner))
    limit_owners = [limit_owner[key] for key in limits]
    chats = [chat for (chat,) in await rows(runtime, "SELECT chat_id FROM subscribers")]
    subscribers = await physical_order(runtime, "subscribers", "chat_id", chats)
    subscriber_owners = [int(chat) - 770000000 for chat in subscribers]
    assert len(subscriber_owners) >= CITIZENS - 2 * BATCH

    # In arrival order all 40 pairs would match; by chance one does, on average.
    assert pairing_hits(limit_owners, response_owners) <= CITIZENS // 4
    assert pairing_hits(subscriber_owners, response_owners) <= CITIZENS // 4

    if dialect(runtime) == "postgresql":
        for table in ("responses", "ballot_box"):
            assert not await shared_with_people(runtime, table), f"{table} shares a transaction"
        response_xmins = await xmins(runtime, "responses")
        batches = {x: response_xmins.count(x) for x in response_xmins}
        assert min(batches.values()) >= BATCH, "every mixing transaction holds at least k forms"


def _suggestion(answers: Any) -> str:
    import json

    return (json.loads(answers) if isinstance(answers, str) else answers)["suggestions"]


async def test_the_write_ahead_log_keeps_no_history_of_mixed_forms_or_sealed_addresses(
    running_bot, database_path: Path, database_kind: str
):
    if database_kind != "sqlite":
        pytest.skip("the write-ahead log of an SQLite file")
    owners = await forty_citizens(running_bot)
    await running_bot.runtime.purge()  # the regular upkeep the bot runs every minute
    wal = Path(f"{database_path}-wal")
    history = wal.read_bytes() if wal.exists() else b""
    everything = database_path.read_bytes() + history
    mixed = {r["answers"]["suggestions"] for r in await stored_responses(running_bot.runtime)}
    assert mixed and mixed <= set(owners)
    for suggestion in mixed:
        assert suggestion.encode() in everything, "the scan must see what was stored"
        assert suggestion.encode() not in history, "the log replays how a form arrived"
    assert b"gAAAAA" not in everything, "a sealed address outlived its questionnaire"


async def test_daily_limit_key_changes_with_the_day_and_is_gone_when_the_day_ends(
    running_bot, clock
):
    runtime = running_bot.runtime
    citizen = Citizen(running_bot.api, 771000001)
    await complete_and_subscribe(citizen, 1)
    [(first,)] = await rows(runtime, "SELECT key FROM submission_counts")
    clock.now += timedelta(days=1)
    await complete_and_subscribe(citizen, 2)
    keys = {key for (key,) in await rows(runtime, "SELECT key FROM submission_counts")}
    assert first in keys and len(keys) == 2, "a new day gives the same person a new key"
    await runtime.purge()
    [(left,)] = await rows(runtime, "SELECT key FROM submission_counts")
    assert left != first, "yesterday's row is deleted once the day has ended"
