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
from sqlalchemy import text

from tests.support.citizen import Citizen
from tests.support.flows import STEPS, SUGGESTION, step_update, stored_responses

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


def suggestion_of(number: int) -> str:
    return f"შეშის ფული გაზარდეთ, ჩემი აზრი ნომერი {number}"


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


async def complete_and_subscribe(citizen: Citizen, number: int) -> None:
    """The usual questionnaire with a suggestion only this citizen writes, then the opt-in."""
    await answer(citizen, citizen.message_update(text="/start"))
    for kind, value in STEPS:
        value = suggestion_of(number) if value == SUGGESTION else value
        await answer(citizen, await step_update(citizen, (kind, value)))
    [opt_in] = [d for label, d in citizen.buttons().items() if "მინდა გავიგო" in label]
    await answer(citizen, citizen.callback_update(opt_in, citizen.last_keyboard_message()), False)


async def rows(runtime: Any, query: str) -> list[tuple[Any, ...]]:
    async with runtime.database.engine.connect() as connection:
        return [tuple(row) for row in (await connection.execute(text(query))).all()]


def physical(dialect: str) -> str:
    """The attacker's view of insertion order: SQLite's rowid, PostgreSQL's heap position."""
    return "rowid" if dialect == "sqlite" else "ctid"


def pairing_hits(people: list[str], responses: list[str]) -> int:
    """Pairs the i-th person row with the i-th response, both in physical order, and counts
    the pairs that are really the same citizen: the order attack of the issue."""
    return sum(person == owner for person, owner in zip(people, responses, strict=False))


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
    dialect = runtime.database.engine.dialect.name
    keyer, day = runtime.conversation.keyer, runtime.today()
    limit_owner = {keyer.rate_key("telegram", str(770000000 + n), day): n for n in range(CITIZENS)}
    order = physical(dialect)

    mixed = await stored_responses(runtime)
    assert len(mixed) >= CITIZENS - BATCH + 1, "all but the last few forms were mixed"
    waiting = await runtime.database.forms_waiting()
    assert len(mixed) + waiting == CITIZENS

    responses = await rows(runtime, f"SELECT answers FROM responses ORDER BY {order}")
    response_owners = [owners[_suggestion(answers)] for (answers,) in responses]
    limits = await rows(runtime, f"SELECT key FROM submission_counts ORDER BY {order}")
    limit_owners = [limit_owner[key] for (key,) in limits]
    subscribers = await rows(runtime, f"SELECT chat_id FROM subscribers ORDER BY {order}")
    subscriber_owners = [int(chat) - 770000000 for (chat,) in subscribers]
    assert len(limit_owners) == CITIZENS and len(subscriber_owners) >= CITIZENS - 2 * BATCH

    # In arrival order all 40 pairs would match; shuffled batches of 5 leave ~8 to chance.
    assert pairing_hits(limit_owners, response_owners) <= CITIZENS // 2
    assert pairing_hits(subscriber_owners, response_owners) <= CITIZENS // 2

    if dialect == "postgresql":
        response_xmins = [x for (x,) in await rows(runtime, "SELECT xmin::text FROM responses")]
        for table in ("submission_counts", "subscribers", "seen_updates", "drafts", "reminders"):
            person_xmins = {x for (x,) in await rows(runtime, f"SELECT xmin::text FROM {table}")}
            assert not person_xmins & set(response_xmins), f"{table} shares a transaction"
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
