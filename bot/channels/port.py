"""The channel port: what every channel (Telegram, Messenger, the web, …) gives the runner.

A channel receives (a polling task started by ``start``, or web routes served on the one
HTTP server), translates each update once into a neutral ``Incoming`` for the router, and
sends neutral ``Reply``s back. The runner knows nothing else about it; the registry
(``bot.channels.registry``) says which channels exist and when each is configured.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from starlette.routing import BaseRoute

from bot.config.settings import Settings
from bot.dialogue.events import Reply
from bot.dialogue.router import Router
from bot.questionnaire.i18n import Locale
from bot.questionnaire.identity import Keyer


@dataclass(frozen=True)
class ChannelLimits:
    reply_window: timedelta | None = None
    """The channel lets us write only this long after the person's last message
    (Messenger: 24 hours), so a reminder comes inside it and no later news is offered."""
    reminders: bool = True
    """The channel can write to a person first (the one reminder)."""


class Channel(Protocol):
    name: str
    limits: ChannelLimits

    def routes(self) -> Sequence[BaseRoute]:
        """HTTP routes served on the shared server (webhooks, web pages); may be none."""

    async def start(self) -> None:
        """Begins receiving (polling), and sets up what the platform needs (menus, webhook)."""

    async def stop(self) -> None: ...

    async def send(self, address: str, reply: Reply) -> bool:
        """One reply to a person (``address``: the chat, as the channel knows it)."""

    async def remind(self, address: str) -> bool:
        """The one reminder for an unfinished questionnaire, with a "continue" button."""

    def staff_outbox(self) -> StaffOutbox | None:
        """Where staff news goes (digests, reports, "you said, we did"), if this channel
        can carry it."""


class Delivery(enum.Enum):
    SENT = "sent"
    GONE = "gone"
    """The chat blocked us or no longer exists: stop writing to it."""
    FAILED = "failed"


class StaffOutbox(Protocol):
    """Digests, reports and subscriber news, to chats or e-mail addresses; retries are the
    outbox's business (``TelegramOutbox``, ``EmailOutbox``)."""

    channel: str
    """Whose chats these are: subscribers of this channel get the quarterly news."""

    async def post(
        self,
        chat: str,
        texts: Sequence[str] = (),
        files: Sequence[Path] = (),
        html: bool = False,
        subject: str | None = None,
    ) -> Delivery:
        """``subject``: an e-mail's; chats have none."""


@dataclass(frozen=True)
class Needs:
    """What a channel is built from: everything passed in, nothing read deep inside."""

    settings: Settings
    router: Router
    locale: Locale
    keyer: Keyer
    webhook: bool = False
    """Telegram: updates arrive over HTTP (``run --webhook``) instead of being polled."""
    scope: str | None = None
    """The municipality this channel instance serves (``Municipality.scope``): ``None`` for
    the home municipality, whose addresses (``/``, ``/telegram/webhook``) stay as they were;
    others get their own (``/m/<code>/``, ``/telegram/<code>/webhook``)."""
    hub: dict[str, object] = field(default_factory=dict, compare=False)
    """Shared by every municipality's instances in one process: Messenger's pages share
    one webhook (one Meta app), routed by page id."""
