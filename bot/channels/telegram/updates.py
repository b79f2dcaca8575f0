"""Telegram updates of different people handled at once, each person's in the order they came.

python-telegram-bot handles polled updates one after the other by default, so every citizen
waits while another's answer is stored (on PostgreSQL, round trips to the server) and an
analyst's report holds up everyone. Its concurrent mode lifts that, but could take two quick
presses of one person out of order. Here the updates of one person (the sender; the chat
when there is none) wait for each other, and only those: a person's draft, daily count and
paper batch are theirs alone, so nothing two people do at once depends on its order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.channels.telegram.arrival import Arrival
from bot.channels.telegram.polled import Polled

MOST_AT_ONCE = 8
"""Updates in progress at once: enough to overlap the database's round trips and the Bot
API's answers, without a crowd of connections to either."""
QUEUED = 4096
"""python-telegram-bot's own limit, set high: a person's updates waiting for their turn
must not hold the places of other people's (``MOST_AT_ONCE`` applies once it is theirs)."""


def person_of(update: object) -> int | None:
    """Whose updates must keep their order: the sender's, else the chat's."""
    if isinstance(update, Polled):
        update = update.arrival
    if isinstance(update, Arrival):  # read from the update's JSON
        return update.person
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None


class PersonOrderedUpdates(BaseUpdateProcessor):
    def __init__(self, most_at_once: int = MOST_AT_ONCE) -> None:
        super().__init__(QUEUED)
        self._running = asyncio.BoundedSemaphore(most_at_once)
        self._people: dict[int, tuple[asyncio.Lock, int]] = {}
        """Per person with an update in progress: their lock, and how many of their updates
        hold or wait for it (the entry goes when none does)."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Takes the person's turn first (updates arrive here in their order, and an
        ``asyncio.Lock`` serves its waiters first come first served), then a place."""
        person = person_of(update)
        if person is None:
            async with self._running:
                await coroutine
            return
        lock, waiting = self._people.get(person, (asyncio.Lock(), 0))
        self._people[person] = (lock, waiting + 1)
        try:
            async with lock, self._running:
                await coroutine
        finally:
            lock, waiting = self._people[person]
            if waiting == 1:
                del self._people[person]
            else:
                self._people[person] = (lock, waiting - 1)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
