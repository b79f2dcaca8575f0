"""What the Telegram channel needs of an update, read once: who, in which chat, what.

python-telegram-bot turns an update into objects (``Update.de_json``). For a pressed
button that is the whole message the button was on, with every button of its keyboard:
about 0.14 ms of Python for the six values used here, more than our bot's own work on the
answer. So updates are read here straight from their JSON, those that come over HTTP
(webhook mode) and those polled (``telegram_polled``) alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from telegram.constants import ChatType

from bot.dialogue.events import Incoming, Press, Sender, Text, Unsupported, command
from bot.dialogue.router import ANALYST, NATIONAL, PAPER

CHANNEL = "telegram"


class NotAnUpdate(ValueError):
    """A webhook body that is not a Telegram update (or one of a shape Telegram never sends)."""


@dataclass(frozen=True)
class Arrival:
    """One update a person sent: the neutral event, and where to answer it."""

    incoming: Incoming
    chat_id: int
    person: int
    """Whose updates must keep their order (the sender)."""
    query_id: str | None = None
    """A pressed button's query, to be answered (the button stops spinning)."""
    pressed: int | None = None
    """The message whose button was pressed, to edit."""


@dataclass(frozen=True)
class Roles:
    """The staff the configuration names, by Telegram user id."""

    analysts: frozenset[int] = frozenset()
    staff: frozenset[int] = frozenset()
    national: frozenset[int] = frozenset()

    def of(self, user: int) -> frozenset[str]:
        roles = {PAPER} if user in self.staff else set()
        roles |= {ANALYST} if user in self.analysts else set()
        roles |= {NATIONAL} if user in self.national else set()
        return frozenset(roles)


def from_json(data: object, roles: Roles) -> Arrival | None:
    """An update as Telegram posts it; ``None`` for one that is not for us (no person,
    or a kind the bot does not take). ``NotAnUpdate`` for anything else."""
    try:
        return _from_json(data, roles)
    except (KeyError, TypeError, AttributeError) as error:
        raise NotAnUpdate() from error


def _from_json(data: object, roles: Roles) -> Arrival | None:
    if not isinstance(data, Mapping) or not _is_int(data.get("update_id")):
        raise NotAnUpdate()
    update_id = data["update_id"]
    if "callback_query" in data:
        query = _mapping(data["callback_query"])
        message = query.get("message")
        user = _id(query["from"])
        if message is None:
            return None  # a button under an inline result: no chat to answer in
        message = _mapping(message)
        chat, pressed = _mapping(message["chat"]), message["message_id"]
        event = Press(_text(query.get("data")) or "")
        where = (_text(query["id"]), pressed if _is_int(pressed) else None)
    elif "message" in data:
        message = _mapping(data["message"])
        chat = _mapping(message["chat"])
        sender = message.get("from")
        if sender is None:
            return None  # a channel's post
        user, where, event = _id(sender), (None, None), _said(_text(message.get("text")))
    else:
        return None
    return _arrival(update_id, user, _id(chat), chat.get("type"), event, roles, *where)


def _arrival(
    update_id: int,
    user: int,
    chat_id: int,
    chat_type: object,
    event: object,
    roles: Roles,
    query_id: str | None,
    pressed: int | None,
) -> Arrival:
    sender = Sender(CHANNEL, str(user), str(update_id), chat=str(chat_id))
    private = chat_type == ChatType.PRIVATE
    incoming = Incoming(sender, event, private, roles.of(user))  # type: ignore[arg-type]
    return Arrival(incoming, chat_id, user, query_id, pressed)


def _said(text: str | None) -> object:
    """A typed message as an event: an answer, a /command, or something without text."""
    if text is None:
        return Unsupported()
    if not text.startswith("/"):
        return Text(text)
    name, _, rest = text.partition(" ")
    return command(name[1:].split("@", 1)[0], rest, staff=True)


def _mapping(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise NotAnUpdate()
    return value


def _id(holder: Any) -> int:
    value = _mapping(holder)["id"]
    if not _is_int(value):
        raise NotAnUpdate()
    return int(value)


def _text(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise NotAnUpdate()
    return value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
