"""One Meta app, many pages: each ``entry[]`` of a webhook call goes to its page's channel.

Meta batches events of every page the app is subscribed to into one call; ``entry.id`` is
the page. A page's events reach only its own municipality's channel, so one page's citizen
never lands in another municipality's conversation. With a single page configured without
an id (an installation from before), every entry is that page's.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from starlette.routing import Route

from bot.channels.messenger.webhook import messenger_routes

if TYPE_CHECKING:
    from bot.channels.port import Needs

log = logging.getLogger(__name__)


class MessengerChannel(Protocol):
    """A page's channel, as the webhook hands it an entry (``channel.MessengerChannel``)."""

    async def receive_entry(self, entry: Mapping[str, Any]) -> None: ...


class Pages:
    def __init__(self, app_secret: bytes, verify_token: str) -> None:
        self.app_secret, self.verify_token = app_secret, verify_token
        self.by_page: dict[str, MessengerChannel] = {}
        self.unnamed: MessengerChannel | None = None
        self._served = False

    def add(self, page_id: str | None, channel: MessengerChannel) -> None:
        if page_id is None:
            self.unnamed = channel
        else:
            self.by_page[page_id] = channel

    def channel_for(self, page_id: object) -> MessengerChannel | None:
        found = self.by_page.get(str(page_id))
        if found is None and not self.by_page:
            return self.unnamed  # the one page there is
        return found

    async def receive(self, payload: Mapping[str, Any]) -> None:
        if payload.get("object") != "page":
            return
        entries = payload.get("entry")
        for entry in entries if isinstance(entries, list) else ():
            if not isinstance(entry, Mapping):
                continue
            channel = self.channel_for(entry.get("id"))
            if channel is None:
                log.warning("a Messenger entry for a page no municipality has; ignored")
                continue
            await channel.receive_entry(entry)

    def routes_once(self) -> list[Route]:
        """The webhook's routes, for the first channel that asks; the others serve none."""
        if self._served:
            return []
        self._served = True
        return messenger_routes(self.receive, self.app_secret, self.verify_token)


def pages_of(needs: Needs) -> Pages:
    """The process's one ``Pages`` (one Meta app), kept in the municipalities' shared hub."""
    settings = needs.settings
    assert settings.messenger_app_secret and settings.messenger_verify_token
    pages = needs.hub.setdefault(
        "messenger",
        Pages(
            settings.messenger_app_secret.get_secret_value().encode(),
            settings.messenger_verify_token.get_secret_value(),
        ),
    )
    assert isinstance(pages, Pages)
    return pages
