"""Messenger's default mode: the questionnaire as a web page, never in the page's inbox.

The chat only hands over: a language may be chosen there, and the limit or a stop is said
there; every question is asked on the page the button opens.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from bot.channels.messenger import CHANNEL, REPLY_WINDOW
from bot.channels.web.session import handle_for, handoff, handoff_path
from bot.dialogue.callbacks import Language, decode
from bot.dialogue.events import ChooseLanguage, Help, Press, Privacy, Sender, Start, Stop
from bot.dialogue.events import Incoming as Routed
from bot.dialogue.prompt import State
from bot.questionnaire.i18n import Locale

if TYPE_CHECKING:
    from bot.channels.messenger.incoming import Incoming
    from bot.channels.port import Needs
    from bot.dialogue.events import Outcome
    from bot.dialogue.router import Router


class MessengerChannel(Protocol):
    """What the hand-over needs of the Messenger channel (``channel.MessengerChannel``):
    named here so the channel and its web mode do not import each other."""

    router: Router
    needs: Needs | None
    locale: Locale

    async def deliver(self, psid: str, outcome: Outcome, page: int = 0) -> None: ...

    async def post(
        self, psid: str, message: dict[str, Any], messaging_type: str = "RESPONSE"
    ) -> bool: ...


async def to_the_web(channel: MessengerChannel, incoming: Incoming, sender: Sender) -> None:
    """Every message gets the button that opens the questionnaire in Messenger's in-app
    browser; answers are given there, so none is a message the page's inbox keeps.

    The draft is opened here, under an HMAC of the page-scoped id (``web_sender``), with
    the person's address sealed for the one reminder and the daily limit counted; the
    web page continues the same draft through a one-use signed link."""
    event = incoming.event
    web_sender = replace(sender, user=handle_for(channel.router.keyer, sender.user))
    if isinstance(event, Stop | Help | Privacy | ChooseLanguage):
        outcome = await channel.router.handle(Routed(web_sender, event))
        await channel.deliver(incoming.psid, outcome)
        return
    chosen = isinstance(event, Press) and isinstance(decode(event.data), Language)
    payload = event.payload if isinstance(event, Start) else None
    # a language is chosen here, in the chat; the questions that follow, on the page
    asked = event if chosen else Start(payload)
    outcome = await channel.router.handle(Routed(web_sender, asked))
    if not outcome.replies:
        return  # a repeated delivery
    last = outcome.replies[-1]
    if last.prompt is None or last.prompt.state is State.LANGUAGES:  # the limit, or the choice
        await channel.deliver(incoming.psid, outcome)
        return
    said = channel.router.locale_of(outcome.language).for_channel(CHANNEL)
    if isinstance(event, Start) or chosen:
        count = channel.router.question_count
        intro = said.t("messenger_web.intro", municipality=_municipality(channel), count=count)
        if not await channel.post(incoming.psid, {"text": intro}):
            return
    open_text = said.t("messenger_web.open")
    await open_button(channel, incoming.psid, web_sender.user, open_text, locale=said)


async def open_button(
    channel: MessengerChannel,
    psid: str,
    handle: str,
    text: str,
    messaging_type: str = "RESPONSE",
    locale: Locale | None = None,
) -> bool:
    assert channel.needs is not None
    settings, keyer = channel.needs.settings, channel.router.keyer
    base = settings.web_base_url or f"http://{settings.webhook_host}:{settings.webhook_port}"
    scope = channel.needs.scope  # the link opens this municipality's page, and no other's
    token = handoff(keyer, handle, int(REPLY_WINDOW.total_seconds()), scope=scope)
    button = {
        "type": "web_url",
        "url": base.rstrip("/") + handoff_path(scope, token),
        "title": (locale or channel.locale).t("messenger_web.button"),
        "webview_height_ratio": "full",
    }
    template = {"template_type": "button", "text": text, "buttons": [button]}
    message = {"attachment": {"type": "template", "payload": template}}
    return await channel.post(psid, message, messaging_type)


def _municipality(channel: MessengerChannel) -> str:
    return channel.needs.settings.municipality_name if channel.needs else ""
