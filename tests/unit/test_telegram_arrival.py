"""A Telegram update read once from its JSON, exactly as the framework reads it, and a
body Telegram would never send refused, not half-read."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bot.channels.telegram.arrival import Arrival, NotAnUpdate, Roles, from_json
from bot.channels.telegram.polled import Polled
from bot.channels.telegram.updates import person_of
from bot.dialogue.events import AnalystCommand, PaperCommand, Press, Start, Text, Unsupported

ROLES = Roles(analysts=frozenset({7}), staff=frozenset({7, 8}))
PHOTO = {"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}
KEYBOARD = {"inline_keyboard": [[{"text": "ქალი", "callback_data": "a:gender:female"}]]}


def message(user: int = 5, chat: int | None = None, **content: Any) -> dict[str, Any]:
    chat_type = "private" if chat is None else "group"
    return {
        "message_id": 11,
        "date": 0,
        "chat": {"id": chat if chat is not None else user, "type": chat_type},
        "from": {"id": user, "is_bot": False, "first_name": "ნინო"},
        **content,
    }


def press(data: str = "a:gender:female", user: int = 5) -> dict[str, Any]:
    pressed = message(user, text="კითხვა 2 / 10", reply_markup=KEYBOARD)
    sender = {"id": user, "is_bot": False, "first_name": "ნინო"}
    return {"id": "q1", "chat_instance": "c", "from": sender, "data": data, "message": pressed}


UPDATES = {
    "an answer typed": {"message": message(text="ზამთრის თბობა")},
    "a link's start": {"message": message(text="/start home_care")},
    "a command to the bot by name": {"message": message(7, text="/report@feedback_bot 2025-Q3")},
    "a photo": {"message": message(photo=[PHOTO])},
    "a button pressed": {"callback_query": press()},
    "staff in a group": {"message": message(8, chat=-100, text="/paper")},
}


@pytest.mark.parametrize("name", UPDATES)
def test_an_update_reads_the_same_from_json_as_the_framework_reads_it(name: str) -> None:
    data = {"update_id": 41, **UPDATES[name]}
    arrival = from_json(data, ROLES)
    update = Update.de_json(data, None)
    chat, user, query = update.effective_chat, update.effective_user, update.callback_query
    assert arrival is not None and chat is not None and user is not None
    sender = arrival.incoming.sender
    assert (sender.user, sender.chat, sender.update_key) == (str(user.id), str(chat.id), "41")
    assert (arrival.chat_id, arrival.person) == (chat.id, user.id)
    assert arrival.incoming.private == (chat.type == "private")
    if query is not None:
        assert arrival.incoming.event == Press(query.data or "")
        assert (arrival.query_id, arrival.pressed) == (query.id, query.message.message_id)
    else:
        text = update.message.text if update.message else None
        assert isinstance(arrival.incoming.event, Unsupported) == (text is None)
        assert arrival.query_id is None and arrival.pressed is None


def test_a_polled_update_is_read_the_same_and_one_telegram_never_sends_is_skipped() -> None:
    data = {"update_id": 43, "callback_query": press()}
    assert Polled.read(data, ROLES) == Polled(43, from_json(data, ROLES))
    assert Polled.read({"update_id": 44, "message": 5}, ROLES) == Polled(44, None)
    assert isinstance(Polled.read(data, ROLES).arrival, Arrival)


def test_what_the_channel_answers_with_is_read_from_the_json() -> None:
    pressed = from_json({"update_id": 3, "callback_query": press()}, ROLES)
    typed = from_json({"update_id": 4, "message": message(7, text="/report 2025-Q3")}, ROLES)
    staff = from_json({"update_id": 5, "message": message(8, chat=-100, text="/paper")}, ROLES)
    photo = from_json({"update_id": 6, "message": message(photo=[])}, ROLES)
    started = from_json({"update_id": 7, "message": message(text="/start home_care")}, ROLES)
    assert pressed is not None and typed is not None and staff is not None
    assert pressed.incoming.event == Press("a:gender:female")
    assert (pressed.query_id, pressed.pressed, pressed.chat_id) == ("q1", 11, 5)
    assert pressed.incoming.sender.update_key == "3" and pressed.incoming.private
    assert isinstance(typed.incoming.event, AnalystCommand)
    assert typed.incoming.roles == {"analyst", "paper"} and typed.query_id is None
    assert isinstance(staff.incoming.event, PaperCommand) and not staff.incoming.private
    assert staff.chat_id == -100 and staff.person == 8
    assert photo is not None and isinstance(photo.incoming.event, Unsupported)
    assert started is not None and started.incoming.event == Start("home_care")
    plain = from_json({"update_id": 8, "message": message(text="4")}, ROLES)
    assert plain is not None and plain.incoming.event == Text("4")


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 9, "edited_message": message(text="x")},
        {"update_id": 9, "message": {**message(text="x"), "from": None}},
        {"update_id": 9, "callback_query": {**press(), "message": None}},
    ],
    ids=["an edited message", "a channel's post", "a button under an inline result"],
)
def test_an_update_no_person_sent_to_the_bot_is_let_be(update: dict[str, Any]) -> None:
    assert from_json(update, ROLES) is None


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"message": message(text="x")},
        {"update_id": "9", "message": message(text="x")},
        {"update_id": True, "message": message(text="x")},
        {"update_id": 9, "message": 5},
        {"update_id": 9, "message": {**message(text="x"), "chat": {"type": "private"}}},
        {"update_id": 9, "message": {**message(), "text": 42}},
        {"update_id": 9, "callback_query": {**press(), "from": {"id": "5"}}},
        {"update_id": 9, "callback_query": {**press(), "data": ["x"]}},
    ],
)
def test_a_body_telegram_never_sends_is_not_an_update(body: object) -> None:
    with pytest.raises(NotAnUpdate):
        from_json(body, ROLES)


def test_an_update_read_from_json_waits_for_the_same_persons_earlier_ones() -> None:
    """The update processor orders by person: the same person either way it was read."""
    data = {"update_id": 12, "callback_query": press(user=9)}
    arrival = from_json(data, ROLES)
    polled = Polled.read(data, ROLES)
    assert person_of(arrival) == person_of(polled) == person_of(Update.de_json(data, None)) == 9
