"""Telegram updates: one person's in order, different people's at once."""

from __future__ import annotations

import asyncio
import itertools

from telegram import Update

from bot.channels.telegram.updates import PersonOrderedUpdates

_ids = itertools.count(1)


def update_from(user: int) -> Update:
    data = {
        "update_id": next(_ids),
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": user, "type": "private"},
            "from": {"id": user, "is_bot": False, "first_name": "ნინო"},
            "text": "1",
        },
    }
    return Update.de_json(data, None)


async def test_a_persons_second_answer_waits_for_the_first_while_others_go_ahead():
    processor = PersonOrderedUpdates()
    release_first = asyncio.Event()
    done: list[str] = []

    async def handle(name: str, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        done.append(name)

    def process(update: Update, name: str, wait: asyncio.Event | None = None) -> asyncio.Task:
        return asyncio.create_task(processor.process_update(update, handle(name, wait)))

    slow = process(update_from(1), "nino: first", release_first)
    then = process(update_from(1), "nino: second")
    other = process(update_from(2), "giorgi")
    await other  # another citizen is not held up by Nino's slow answer
    assert done == ["giorgi"]
    release_first.set()
    await asyncio.gather(slow, then)
    assert done == ["giorgi", "nino: first", "nino: second"]


async def test_no_more_than_the_limit_are_handled_at_once():
    processor = PersonOrderedUpdates(most_at_once=2)
    running, most = 0, 0
    release = asyncio.Event()

    async def handle() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await release.wait()
        running -= 1

    tasks = [
        asyncio.create_task(processor.process_update(update_from(user), handle()))
        for user in range(10, 15)
    ]
    while most < 2:
        await asyncio.sleep(0)
    for _ in range(20):
        await asyncio.sleep(0)
    assert running == 2
    release.set()
    await asyncio.gather(*tasks)
    assert most == 2
