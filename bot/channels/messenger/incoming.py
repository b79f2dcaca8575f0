"""Meta's ``messaging`` items, read as the conversation's events.

Quick replies and postbacks carry the questionnaire's button data; typed commands work as
on Telegram; echoes, receipts and anything malformed are ignored rather than failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.channels.messenger.render import MORE
from bot.dialogue.events import Event, Help, Press, Repeat, Start, Stop, Text, Unsupported, command

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
