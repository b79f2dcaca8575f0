"""Messenger events in, the shared conversation, Messenger messages out.

Meta may call the webhook several times at once; one person's events are still handled one
at a time and in order, so their questionnaire never sees two answers racing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from weakref import WeakValueDictionary

import httpx

from bot.channels.messenger.graph import GraphClient, GraphError
from bot.channels.messenger.render import MORE, Renderer
from bot.dialogue.callbacks import Resume, encode
from bot.dialogue.conversation import Conversation
from bot.dialogue.events import (
    Button,
    Event,
    Help,
    Outcome,
    Press,
    Repeat,
    Reply,
    Sender,
    Start,
    Stop,
    Text,
    Unsupported,
    command,
)
from bot.i18n import Locale

log = logging.getLogger(__name__)

CHANNEL = "messenger"
REPLY_WINDOW = timedelta(hours=24)
GET_STARTED = "start"
POSTBACKS: Mapping[str, type[Event]] = {"help": Help, "stop": Stop}


@dataclass(frozen=True)
class Incoming:
    """One messaging item: who (the page-scoped id, kept in memory only), which message
    (to recognise a repeat), what, and which page of a long option list to show."""

    psid: str
    message_key: str | None
    event: Event
    page: int = 0


def translate(item: Mapping[str, Any]) -> Incoming | None:
    """The event in a ``messaging`` item; ``None`` for echoes, receipts and the like."""
    psid = str(_mapping(item.get("sender")).get("id") or "")
    if not psid:
        return None
    if isinstance(message := item.get("message"), Mapping):
        return None if message.get("is_echo") else _message(psid, message)
    if isinstance(postback := item.get("postback"), Mapping):
        key = postback.get("mid") or f"postback:{psid}:{item.get('timestamp')}"
        return Incoming(psid, key, _postback(postback))
    if isinstance(referral := item.get("referral"), Mapping):
        ref = referral.get("ref")
        key = f"referral:{psid}:{item.get('timestamp')}:{ref}"
        return Incoming(psid, key, Start(str(ref) if ref else None))
    return None


def _mapping(value: object) -> Mapping[str, Any]:
    """Meta's JSON as it should be; anything else reads as empty rather than failing."""
    return value if isinstance(value, Mapping) else {}


def _message(psid: str, message: Mapping[str, Any]) -> Incoming:
    mid = message.get("mid")
    quick_reply = message.get("quick_reply")
    if isinstance(quick_reply, Mapping):
        payload = str(quick_reply.get("payload") or "")
        if payload.startswith(MORE):
            page = payload.removeprefix(MORE)
            return Incoming(psid, mid, Repeat(), int(page) if page.isdigit() else 0)
        return Incoming(psid, mid, Press(payload))
    text = message.get("text")
    if isinstance(text, str) and not message.get("attachments"):
        return Incoming(psid, mid, _text(text))
    return Incoming(psid, mid, Unsupported())


def _text(text: str) -> Event:
    """Typed commands work as on Telegram, for those who know them."""
    if not text.startswith("/"):
        return Text(text)
    name, _, rest = text[1:].partition(" ")
    return command(name, rest)


def _postback(postback: Mapping[str, Any]) -> Event:
    payload = str(postback.get("payload") or "")
    if payload == GET_STARTED:
        ref = _mapping(postback.get("referral")).get("ref")
        return Start(str(ref) if ref else None)
    kind = POSTBACKS.get(payload)
    return kind() if kind else Press(payload)


class MessengerChannel:
    def __init__(self, conversation: Conversation, graph: GraphClient, locale: Locale) -> None:
        self.conversation = conversation
        self.graph = graph
        self.locale = locale.for_channel(CHANNEL)
        self.renderer = Renderer(self.locale)
        self._locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()

    async def receive(self, payload: Mapping[str, Any]) -> None:
        """Every item of one webhook call (Meta batches them), in the order given."""
        if payload.get("object") != "page":
            return
        entries = payload.get("entry")
        for entry in entries if isinstance(entries, list) else ():
            items = entry.get("messaging") if isinstance(entry, Mapping) else None
            for item in items if isinstance(items, list) else ():
                incoming = translate(item) if isinstance(item, Mapping) else None
                if incoming is not None:
                    await self.handle(incoming)

    async def handle(self, incoming: Incoming) -> None:
        keyer = self.conversation.keyer
        key = incoming.message_key
        sender = Sender(
            CHANNEL,
            incoming.psid,
            update_key=keyer.update_key(CHANNEL, str(key)) if key else None,
            chat=incoming.psid,
            reply_window=REPLY_WINDOW,
        )
        lock = self._locks.setdefault(incoming.psid, asyncio.Lock())
        async with lock:
            try:
                outcome = await self.conversation.handle(sender, incoming.event)
            except Exception:
                log.exception("a Messenger message could not be handled")
                await self._deliver(
                    incoming.psid, Outcome((Reply(self.locale.t("session.apology")),))
                )
                return
            await self._deliver(incoming.psid, outcome, incoming.page)

    async def _deliver(self, psid: str, outcome: Outcome, page: int = 0) -> None:
        """Sends the replies in order; gives up on the rest when one cannot be delivered."""
        last = len(outcome.replies) - 1
        for index, reply in enumerate(outcome.replies):
            for message in self.renderer.render(reply, page if index == last else 0):
                if not await self.send(psid, message):
                    return

    async def send(
        self, psid: str, message: dict[str, Any], messaging_type: str = "RESPONSE"
    ) -> bool:
        try:
            await self.graph.send(psid, message, messaging_type)
        except GraphError as error:
            if error.outside_window:
                log.info("a Messenger reply came after the 24-hour window; the draft is kept")
            elif error.unavailable:
                log.info("a Messenger user cannot be reached (551)")
            else:
                log.warning("a Messenger message was refused: %s", error)
            return False
        except httpx.HTTPError as error:
            log.warning("a Messenger message could not be sent: %s", type(error).__name__)
            return False
        return True

    async def remind(self, psid: str) -> bool:
        """The one reminder, sent while the person's 24-hour window is still open."""
        reply = Reply(
            self.locale.t("reminder.text"),
            ((Button(self.locale.t("buttons.resume"), encode(Resume())),),),
        )
        sent = True
        for message in self.renderer.render(reply):
            sent = sent and await self.send(psid, message, messaging_type="UPDATE")
        return sent

    def profile(self, municipality: str) -> dict[str, Any]:
        """The page chat's Get Started button, menu and greeting, set when the bot starts."""
        t = self.locale.t
        greeting = t("greeting", municipality=municipality, count=self.conversation.views.count)
        menu = [
            {"type": "postback", "title": t(f"menu.{payload}"), "payload": payload}
            for payload in (GET_STARTED, "help", "stop")
        ]
        return {
            "get_started": {"payload": GET_STARTED},
            "persistent_menu": [
                {"locale": "default", "composer_input_disabled": False, "call_to_actions": menu}
            ],
            "greeting": [{"locale": "default", "text": greeting}],
        }
