"""Messenger events in, the shared conversation, Messenger messages out.

Meta may call the webhook several times at once; one person's events are still handled one
at a time and in order, so their questionnaire never sees two answers racing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any
from weakref import WeakValueDictionary

import httpx
from starlette.routing import Route

from bot.channels.messenger.graph import GraphClient, GraphError
from bot.channels.messenger.pages import Pages
from bot.channels.messenger.render import MORE, Renderer
from bot.channels.port import ChannelLimits, Needs
from bot.channels.web.session import handle_for, handoff, handoff_path
from bot.dialogue.callbacks import Language, Resume, decode, encode
from bot.dialogue.events import (
    Button,
    ChooseLanguage,
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
from bot.dialogue.events import Incoming as Routed
from bot.dialogue.router import Router
from bot.questionnaire.i18n import Locale
from bot.settings import StartupError

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
    name = CHANNEL
    limits = ChannelLimits(reply_window=REPLY_WINDOW)

    def __init__(
        self, router: Router, graph: GraphClient, locale: Locale, needs: Needs | None = None
    ) -> None:
        self.router = router
        self.needs = needs
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
            if isinstance(entry, Mapping):
                await self.receive_entry(entry)

    async def receive_entry(self, entry: Mapping[str, Any]) -> None:
        """One page's items (``entry[]``: the pages routes each to its own channel)."""
        items = entry.get("messaging")
        for item in items if isinstance(items, list) else ():
            incoming = translate(item) if isinstance(item, Mapping) else None
            if incoming is not None:
                await self.handle(incoming)

    async def handle(self, incoming: Incoming) -> None:
        keyer = self.router.conversation.keyer
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
                if self.web_mode:
                    await self._to_the_web(incoming, sender)
                    return
                outcome = await self.router.handle(Routed(sender, incoming.event))
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
                if not await self.post(psid, message):
                    return

    async def post(
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

    # --- the default mode: the questionnaire as a web page, never in the inbox ----------
    @property
    def web_mode(self) -> bool:
        return self.needs is not None and self.needs.settings.messenger_mode == "web"

    async def _to_the_web(self, incoming: Incoming, sender: Sender) -> None:
        """Every message gets the button that opens the questionnaire in Messenger's in-app
        browser; answers are given there, so none is a message the page's inbox keeps.

        The draft is opened here, under an HMAC of the page-scoped id (``web_sender``), with
        the person's address sealed for the one reminder and the daily limit counted; the
        web page continues the same draft through a one-use signed link."""
        event = incoming.event
        web_sender = replace(sender, user=handle_for(self.router.conversation.keyer, sender.user))
        if isinstance(event, Stop | Help | ChooseLanguage):
            outcome = await self.router.handle(Routed(web_sender, event))
            await self._deliver(incoming.psid, outcome)
            return
        chosen = isinstance(event, Press) and isinstance(decode(event.data), Language)
        payload = event.payload if isinstance(event, Start) else None
        # a language is chosen here, in the chat; the questions that follow, on the page
        asked = event if chosen else Start(payload)
        outcome = await self.router.handle(Routed(web_sender, asked))
        if not outcome.replies:
            return  # a repeated delivery
        last = outcome.replies[-1]
        if not last.buttons or _language_choice(last):  # the limit, or the choice of language
            await self._deliver(incoming.psid, outcome)
            return
        said = self.router.conversation.locale_of(outcome.language).for_channel(CHANNEL)
        if isinstance(event, Start) or chosen:
            count = self.router.conversation.views.count
            intro = said.t("messenger_web.intro", municipality=self._municipality(), count=count)
            if not await self.post(incoming.psid, {"text": intro}):
                return
        open_text = said.t("messenger_web.open")
        await self._open_button(incoming.psid, web_sender.user, open_text, locale=said)

    async def _open_button(
        self,
        psid: str,
        handle: str,
        text: str,
        messaging_type: str = "RESPONSE",
        locale: Locale | None = None,
    ) -> bool:
        assert self.needs is not None
        settings, keyer = self.needs.settings, self.router.conversation.keyer
        base = settings.web_base_url or f"http://{settings.webhook_host}:{settings.webhook_port}"
        token = handoff(keyer, handle, int(REPLY_WINDOW.total_seconds()))
        button = {
            "type": "web_url",
            "url": base.rstrip("/") + handoff_path(self.needs.scope, token),
            "title": (locale or self.locale).t("messenger_web.button"),
            "webview_height_ratio": "full",
        }
        template = {"template_type": "button", "text": text, "buttons": [button]}
        message = {"attachment": {"type": "template", "payload": template}}
        return await self.post(psid, message, messaging_type)

    def _municipality(self) -> str:
        return self.needs.settings.municipality_name if self.needs else ""

    # --- the channel port ------------------------------------------------------------
    def routes(self) -> list[Route]:
        """One webhook for the app's pages: served by the first page's channel."""
        assert self.needs is not None
        return pages_of(self.needs).routes_once()

    async def start(self) -> None:
        """Sets the page chat's Get Started button, menu and greeting. A Graph API that
        cannot be reached at all stops the start (the page could not be answered); one that
        answers with an error leaves the profile as it was."""
        assert self.needs is not None
        try:
            await self.graph.set_profile(self.profile(self.needs.settings.municipality_name))
        except httpx.TransportError as error:
            reason = str(error) or type(error).__name__
            raise StartupError(self.locale.t("cli.graph_unreachable", reason=reason)) from None
        except Exception as error:
            log.warning(self.locale.t("cli.messenger_profile_failed", reason=error))

    async def stop(self) -> None:
        await self.graph.close()

    async def send(self, psid: str, reply: Reply) -> bool:
        for message in self.renderer.render(reply):
            if not await self.post(psid, message, messaging_type="UPDATE"):
                return False
        return True

    def staff_outbox(self) -> None:
        return None

    async def remind(self, psid: str) -> bool:
        """The one reminder, sent while the person's 24-hour window is still open."""
        if self.web_mode:
            handle = handle_for(self.router.conversation.keyer, psid)
            text = self.locale.t("reminder.text")
            return await self._open_button(psid, handle, text, messaging_type="UPDATE")
        reply = Reply(
            self.locale.t("reminder.text"),
            ((Button(self.locale.t("buttons.resume"), encode(Resume())),),),
        )
        sent = True
        for message in self.renderer.render(reply):
            sent = sent and await self.post(psid, message, messaging_type="UPDATE")
        return sent

    def profile(self, municipality: str) -> dict[str, Any]:
        """The page chat's Get Started button, menu and greeting, set when the bot starts."""
        t = self.locale.t
        greeting = t(
            "greeting", municipality=municipality, count=self.router.conversation.views.count
        )
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


def _language_choice(reply: Reply) -> bool:
    """The municipality's languages to choose from (nothing of the questionnaire yet)."""
    return all(isinstance(decode(b.data), Language) for row in reply.buttons for b in row)


def open_channel(needs: Needs) -> MessengerChannel:
    """The registry's entry: the channel on the Graph API with the page's token."""
    settings = needs.settings
    assert settings.messenger_page_token is not None
    graph = GraphClient(
        settings.messenger_graph_url, settings.messenger_page_token.get_secret_value()
    )
    channel = MessengerChannel(needs.router, graph, needs.locale, needs)
    pages_of(needs).add(settings.messenger_page_id, channel)
    return channel


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
