"""Bot API calls on the hot path, without parsing what Telegram answers.

python-telegram-bot turns every result into objects (``Message.de_json``): for a sent
question that is a whole message with its keyboard, which nobody here reads. These calls go
through the same client (its connection pool, rate limiter and error mapping: a refused
call still raises ``BadRequest``, ``Forbidden``, ``RetryAfter``…) and return the raw result.
Keyboards are serialised once per set of buttons, not per message.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from telegram import Bot

from bot.channels.telegram.payloads import RawJson
from bot.dialogue.events import Button

Buttons = tuple[tuple[Button, ...], ...]


async def call(bot: Bot, endpoint: str, params: dict[str, Any]) -> Any:
    """``endpoint`` with ``params``; the result as Telegram sent it (``True`` or a dict)."""
    # ``_post`` is the path every one of the client's methods takes (python-telegram-bot
    # 20 to 22); ``do_api_request`` would warn on each call to a method the client has.
    return await bot._post(endpoint, params)


@lru_cache(maxsize=2048)
def keyboard_json(buttons: Buttons) -> RawJson | None:
    """The inline keyboard as the Bot API takes it; ``None`` without buttons."""
    if not buttons:
        return None
    rows = [[{"text": b.label, "callback_data": b.data} for b in row] for row in buttons]
    return RawJson(json.dumps({"inline_keyboard": rows}))


def message(chat_id: int, text: str, buttons: Buttons = ()) -> dict[str, Any]:
    """``sendMessage``'s parameters for a text with its buttons."""
    params: dict[str, Any] = {"chat_id": chat_id, "text": text}
    markup = keyboard_json(buttons)
    if markup is not None:
        params["reply_markup"] = markup
    return params
