"""A citizen played by a test: sends messages and presses buttons through the fake Bot API."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from tests.support.fake_bot_api import FakeBotApi

_message_ids = itertools.count(900000)


@dataclass
class Citizen:
    api: FakeBotApi
    user_id: int
    first_name: str = "ნინო"
    last_name: str = "ბერიძე"
    username: str = "nino_b"
    chat_id: int | None = None
    chat_type: str = "private"
    received: list[dict[str, Any]] = field(default_factory=list)
    last_update: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.chat_id = self.chat_id or self.user_id

    @property
    def user(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
            "language_code": "ka",
        }

    @property
    def chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.chat_id, "type": self.chat_type}
        if self.chat_type == "private":
            chat.update(first_name=self.first_name, username=self.username)
        else:
            chat["title"] = "სოფლის ჯგუფი"
        return chat

    def message_update(self, **content: Any) -> dict[str, Any]:
        message = {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
            **content,
        }
        if str(content.get("text", "")).startswith("/"):
            length = len(content["text"].split(" ")[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"message": message}

    async def deliver(self, update: dict[str, Any], expect_reply: bool = True) -> list[str]:
        """Sends an update and returns the texts of the messages the bot sent back."""
        before = len(self.api.calls)
        update = self.last_update = await self.api.push(update)
        await self.api.handled(update)
        replies = self.api.sent(self.chat_id, since=before)
        if expect_reply and not replies:
            raise AssertionError(f"the bot handled update {update['update_id']} silently")
        self.received.extend(self.api.messages[(self.chat_id, _id(call))] for call in replies)
        return [call.params["text"] for call in replies]

    async def deliver_again(self, update: dict[str, Any]) -> list[str]:
        """The same update (same ``update_id``) delivered a second time."""
        before = len(self.api.calls)
        await self.api.redeliver(update)
        await self.api.handled(update)
        return [call.params["text"] for call in self.api.sent(self.chat_id, since=before)]

    async def send(self, text: str) -> list[str]:
        return await self.deliver(self.message_update(text=text))

    async def send_content(self, **content: Any) -> list[str]:
        return await self.deliver(self.message_update(**content))

    def last_keyboard_message(self) -> dict[str, Any]:
        for message in reversed(self.received):
            if message.get("reply_markup"):
                return message
        raise AssertionError("the bot has not shown any buttons")

    def buttons(self, message: dict[str, Any] | None = None) -> dict[str, str]:
        message = message or self.last_keyboard_message()
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        return {b["text"]: b["callback_data"] for row in rows for b in row}

    def callback_update(self, data: str, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "callback_query": {
                "id": str(next(_message_ids)),
                "from": self.user,
                "chat_instance": str(self.chat_id),
                "data": data,
                "message": {**message, "chat": self.chat},
            }
        }

    async def press(
        self, label: str, message: dict[str, Any] | None = None, expect_reply: bool = True
    ) -> list[str]:
        """Presses the button whose text contains ``label`` on the latest (or given) message."""
        message = message or self.last_keyboard_message()
        matches = [data for text, data in self.buttons(message).items() if label in text]
        assert len(matches) == 1, (
            f"{label!r} matches {len(matches)} buttons: {self.buttons(message)}"
        )
        return await self.deliver(self.callback_update(matches[0], message), expect_reply)

    async def tick(self, label: str) -> dict[str, Any]:
        """Presses a toggle (an option of a several-answers question): the bot redraws the
        pressed message in place and sends nothing new. Returns that message as edited."""
        message = self.last_keyboard_message()
        before = len(self.api.calls)
        await self.press(label, message, expect_reply=False)
        edits = self.api.sent(self.chat_id, since=before, method="editMessageText")
        sent = self.api.sent(self.chat_id, since=before)
        assert not sent, f"a new message instead of the tick in place: {sent}"
        assert [call.params["message_id"] for call in edits] == [message["message_id"]]
        return message

    async def press_data(self, data: str, message: dict[str, Any] | None = None) -> list[str]:
        message = message or self.last_keyboard_message()
        return await self.deliver(self.callback_update(data, message))


def _id(call: Any) -> int:
    """The message id the fake server gave a sendMessage call (they are sequential)."""
    return call.result_id


def buttons_of(message: dict[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["text"] for row in rows for b in row]
