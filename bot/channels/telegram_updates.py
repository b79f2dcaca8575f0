"""Telegram updates of different chats handled at once, each chat's in the order it came.

python-telegram-bot handles polled updates one after the other by default, so every
citizen waits while another's answer is being stored (on PostgreSQL, several round trips)
and an analyst's report holds up everyone. Its concurrent mode would lift that, but could
then take two quick presses of one person out of order. Here the updates of one chat wait
for each other, and only those.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MOST_AT_ONCE = 8
"""Updates in progress at once (python-telegram-bot's own default for concurrent mode)."""


class ChatOrderedUpdates(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = MOST_AT_ONCE) -> None:
        super().__init__(max_concurrent_updates)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}
        """Per chat with an update in progress: its lock, and how many of its updates hold
        or wait for it (the entry goes when none does)."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock, users = self._chats.get(chat.id, (asyncio.Lock(), 0))
        self._chats[chat.id] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._chats[chat.id]
            if users == 1:
                del self._chats[chat.id]
            else:
                self._chats[chat.id] = (lock, users - 1)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
