"""Messenger events in, the shared conversation, Messenger messages out.

Meta may call the webhook several times at once; one person's events are still handled one
at a time and in order, so their questionnaire never sees two answers racing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any
from weakref import WeakValueDictionary

import httpx
from starlette.routing import Route

from bot.channels.messenger import CHANNEL, REPLY_WINDOW
from bot.channels.messenger.graph import GraphClient, GraphError
from bot.channels.messenger.incoming import GET_STARTED, Incoming, translate
from bot.channels.messenger.pages import pages_of
from bot.channels.messenger.render import Renderer
from bot.channels.messenger.web_mode import open_button, to_the_web
from bot.channels.port import ChannelLimits, Needs
from bot.channels.web.session import handle_for
from bot.config.settings import StartupError
from bot.dialogue.callbacks import Resume, encode
from bot.dialogue.events import Button, Outcome, Reply, Sender
from bot.dialogue.events import Incoming as Routed
from bot.dialogue.router import Router
from bot.questionnaire.i18n import Locale

log = logging.getLogger(__name__)


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
        keyer = self.router.keyer
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
                    await to_the_web(self, incoming, sender)
                    return
                outcome = await self.router.handle(Routed(sender, incoming.event))
            except Exception:
                log.exception("a Messenger message could not be handled")
                await self.deliver(
                    incoming.psid, Outcome((Reply(self.locale.t("session.apology")),))
                )
                return
            await self.deliver(incoming.psid, outcome, incoming.page)

    async def deliver(self, psid: str, outcome: Outcome, page: int = 0) -> None:
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
            log.warning(
                "the Messenger page's Get Started button and menu could not be set (%s); "
                "going on without them",
                error,
            )

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
            handle = handle_for(self.router.keyer, psid)
            text = self.locale.t("reminder.text")
            return await open_button(self, psid, handle, text, messaging_type="UPDATE")
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
        greeting = t("greeting", municipality=municipality, count=self.router.question_count)
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
