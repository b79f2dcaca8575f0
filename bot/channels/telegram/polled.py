"""Polled Telegram updates read from their JSON, as webhook ones are (``telegram_arrival``).

python-telegram-bot's updater asks its client for updates and queues what it gets, and
the application hands each to the handlers. Its client parses every update into objects
first (``Update.de_json``): for a pressed button, the whole message with its keyboard.
This client keeps the updater as it is (long polling, the offset, retries through network
trouble, the call at stop that confirms what was fetched) and only returns ``Polled``
updates instead, each read once; the application takes any object as an update, and the
channel's handler takes these.
"""

from __future__ import annotations

import datetime as dtm
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from telegram.ext import ExtBot
from telegram.request import BaseRequest

from bot.channels.telegram.arrival import Arrival, NotAnUpdate, Roles, from_json
from bot.channels.telegram.payloads import UNSET

DEFAULT_NONE = BaseRequest.DEFAULT_NONE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Polled:
    """One polled update: its number (the updater confirms it) and what it brings us."""

    update_id: int
    arrival: Arrival | None

    @classmethod
    def read(cls, data: Mapping[str, Any], roles: Roles) -> Polled:
        try:
            arrival = from_json(data, roles)
        except NotAnUpdate:
            log.warning("a polled update of a shape Telegram does not send was skipped")
            arrival = None
        return cls(int(data["update_id"]), arrival)


class PollingBot(ExtBot):  # type: ignore[type-arg]
    """The application's client, whose ``getUpdates`` gives ``Polled`` updates."""

    def __init__(self, *args: Any, roles: Roles, polling: BaseRequest, **kwargs: Any) -> None:
        super().__init__(*args, get_updates_request=polling, **kwargs)
        with self._unfrozen():
            self.roles = roles
            self.polling = polling

    async def get_updates(  # type: ignore[override]
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: int | dtm.timedelta | None = None,
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: Any = DEFAULT_NONE,
        write_timeout: Any = DEFAULT_NONE,
        connect_timeout: Any = DEFAULT_NONE,
        pool_timeout: Any = DEFAULT_NONE,
        api_kwargs: dict[str, Any] | None = None,
    ) -> tuple[Polled, ...]:
        """As the framework's own, which waits ``timeout`` longer than a call for the answer
        of a long poll; only the reading of the result differs."""
        data = {"timeout": timeout, "offset": offset, "limit": limit}
        data["allowed_updates"] = allowed_updates
        given = self.polling.read_timeout if isinstance(read_timeout, UNSET) else read_timeout
        waited = timeout.total_seconds() if isinstance(timeout, dtm.timedelta) else timeout or 0
        result = await self._post(
            "getUpdates",
            data,
            read_timeout=(given or 0) + waited,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            api_kwargs=api_kwargs,
        )
        return tuple(Polled.read(update, self.roles) for update in result)
