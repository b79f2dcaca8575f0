"""Property-based: whatever Telegram delivers, the handler answers and stores only valid data.

The real adapter, conversation and SQLite storage run; only the Bot API is replaced by a
recorder at the edge, so hundreds of update sequences run in seconds.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import tempfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.polled import Polled
from bot.config.settings import Settings
from bot.dialogue.callbacks import Restart, Resume, Subscribe, encode
from bot.questionnaire import engine
from bot.questionnaire.content import load_content
from bot.questionnaire.model import PICK, SUMMARY
from bot.wiring.bootstrap import build_runtime
from tests.support.validity import problems

Q = load_content("ka").questionnaire
USERS = (5550001, 5550002)
KNOWN_DATA = sorted(
    {encode(engine.Choose(q.id, code)) for q in Q.questions for code in q.options}
    | {encode(engine.Skip(q.id)) for q in Q.questions}
    | {encode(engine.Back(p)) for p in [*(q.id for q in Q.questions), SUMMARY, PICK]}
    | {encode(engine.Pick(q.id)) for q in Q.questions}
    | {encode(a) for a in (engine.Submit(), engine.ChangeAnswer(), Resume(), Subscribe())}
    | {encode(Restart(None)), encode(Restart("winter_heating")), encode(Restart("x" * 40))}
)
TEXTS = st.one_of(
    st.text(max_size=60),
    st.text(min_size=1001, max_size=1100),
    st.sampled_from(
        [
            "/start",
            "/start winter_heating",
            "/start ../../etc",
            "/stop",
            "/help",
            "/unsubscribe",
            "/paper",
            "/report 2025Q3",
            "/nonsense",
            "1",
            "15",
            "4",
            "ქალი",
            "0",
            "-1",
        ]
    ),
)
PRESS_SHOWN = "press a button the bot showed"
ANYTHING = st.one_of(
    st.tuples(st.just("text"), TEXTS),
    st.tuples(st.just("data"), st.one_of(st.sampled_from(KNOWN_DATA), st.text(max_size=64))),
    st.tuples(st.just("sticker"), st.none()),
    st.tuples(st.just("photo"), st.none()),
    st.tuples(st.just("group"), TEXTS),
    st.tuples(st.just("edited"), TEXTS),
)
ACTIONS = st.integers(0, 9).flatmap(
    lambda n: st.tuples(st.just(PRESS_SHOWN), st.integers(0, 30)) if n < 7 else ANYTHING
)
"""Mostly buttons the bot showed, as people press them, so runs reach the end; anything
Telegram could deliver in between."""
STEPS = st.lists(
    st.tuples(st.sampled_from(USERS), ACTIONS, st.integers(0, 9).map(lambda n: n == 0)),
    min_size=10,
    max_size=80,
)


class RecordingBot:
    """The Bot API at the edge: every call is recorded and answered as Telegram would."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str, Any]] = []
        self._ids = itertools.count(1)

    async def send_message(self, chat_id: int, text: str, reply_markup: Any = None, **_: Any):
        assert isinstance(text, str) and 0 < len(text) <= 4096
        data = None
        if reply_markup is not None:
            data = [b.callback_data for row in reply_markup.inline_keyboard for b in row]
        self.sent.append((chat_id, text, data))
        return SimpleNamespace(message_id=next(self._ids))

    async def _post(self, endpoint: str, params: dict[str, Any]) -> Any:
        """The path the channel's replies take (``bot.channels.telegram.calls``)."""
        if endpoint != "sendMessage":
            return True
        text, markup = params["text"], params.get("reply_markup")
        assert isinstance(text, str) and 0 < len(text) <= 4096
        rows = json.loads(markup)["inline_keyboard"] if markup else None
        data = [b["callback_data"] for row in rows for b in row] if rows else None
        self.sent.append((params["chat_id"], text, data))
        return {"message_id": next(self._ids)}

    async def answer_callback_query(self, *_: Any, **__: Any) -> bool:
        return True

    async def edit_message_text(self, *_: Any, **__: Any) -> bool:
        return True

    async def edit_message_reply_markup(self, *_: Any, **__: Any) -> bool:
        return True

    def shown_data(self, chat_id: int) -> list[str]:
        for chat, _, data in reversed(self.sent):
            if chat == chat_id and data is not None:
                return data
        return []


def update_for(number: int, user: int, action: tuple[str, Any], bot: RecordingBot) -> dict:
    kind, value = action
    person = {"id": user, "is_bot": False, "first_name": "ნინო"}
    private = {"id": user, "type": "private", "first_name": "ნინო"}
    message: dict[str, Any] = {"message_id": number, "date": 1, "chat": private, "from": person}
    if kind == PRESS_SHOWN:
        shown = bot.shown_data(user)
        kind, value = ("data", shown[value % len(shown)]) if shown else ("text", "/start")
    if kind == "data":
        query = {"id": str(number), "from": person, "chat_instance": "1", "data": value}
        return {"update_id": number, "callback_query": {**query, "message": message}}
    if kind == "sticker":
        sticker = {
            "file_id": "s",
            "file_unique_id": "s",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        return {"update_id": number, "message": {**message, "sticker": sticker}}
    if kind == "photo":
        photo = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
        return {"update_id": number, "message": {**message, "photo": photo}}
    if kind == "group":
        group = {"id": -100123, "type": "group", "title": "სოფელი"}
        return {"update_id": number, "message": {**message, "chat": group, "text": value}}
    key = "edited_message" if kind == "edited" else "message"
    if value.startswith("/"):
        length = len(value.split(" ")[0])
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"update_id": number, key: {**message, "text": value}}


async def play(steps: list, folder: Path) -> None:
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{folder / 'fuzz.db'}",
        feedback_secret="f" * 32,
        scheduled_jobs=False,
        max_responses_per_day=50,
    )
    runtime = await build_runtime(settings)
    bot = RecordingBot()
    channel = TelegramChannel(runtime.router, runtime.content.locale)
    context = SimpleNamespace(bot=bot, error=None)
    seen: set[int] = set()
    try:
        for number, (user, action, repeat) in enumerate(steps, 1):
            update_id = number - 1 if repeat and number > 1 else number
            data = update_for(update_id, user, action, bot)
            update = Update.de_json(data, bot)  # type: ignore[arg-type]  # to check against
            before = len(bot.sent)
            polled = Polled.read(data, channel.roles)  # as the bot reads it
            await channel.on_polled(polled, context)  # type: ignore[arg-type]
            is_private = update.effective_chat and update.effective_chat.type == "private"
            answered_kinds = update.message is not None or update.callback_query is not None
            if is_private and answered_kinds and update_id not in seen:
                assert len(bot.sent) > before, f"{action[0]} went unanswered"
            seen.add(update_id)
        async with runtime.database.analysis() as analysis:
            stored = await analysis.responses_between(date.min, date.max)
        for response in stored:
            event("a response was stored")
            assert problems(Q, response.answers) == []
    finally:
        await runtime.close()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(STEPS)
def test_any_update_sequence_is_answered_and_stores_only_valid_responses(steps):
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(play(steps, Path(folder)))
