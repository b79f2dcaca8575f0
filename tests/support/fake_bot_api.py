"""A small Bot API server on 127.0.0.1 that the real python-telegram-bot talks to.

Tests queue updates as citizens would send them and read back what the bot sent. Updates
stay queued until the bot confirms them with ``offset``, as on Telegram, so a bot killed
before confirming gets them again; ``redeliver`` forces a duplicate on a live bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

JSON_PARAMETERS = {
    "chat_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "reply_markup",
    "allowed_updates",
    "commands",
    "scope",
}
FAULTY = {
    "sendMessage",
    "answerCallbackQuery",
    "editMessageText",
    "editMessageReplyMarkup",
    "sendChatAction",
    "sendDocument",
}
"""The calls the fault mode may fail: all the bot's sending, not the polling itself."""
BOT_USER = {
    "id": 700000001,
    "is_bot": True,
    "first_name": "უკუკავშირი",
    "username": "test_feedback_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    result_id: int | None = None
    content_type: str = ""
    """How the call's parameters came: JSON, a form, or multipart (files)."""


class FakeBotApi:
    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.unsupported: set[str] = set()
        self.blocked: set[int] = set()
        self.server_errors: int = 0
        """How many of the next sendMessage calls answer 502 Bad Gateway."""
        self.too_many: int = 0
        """How many of the next sendMessage calls answer 429 (retry after 1 s)."""
        self.delivered: dict[int, float] = {}
        self._queue: list[tuple[dict[str, Any], bool]] = []
        self._next_update_id = 5000
        self._next_message_id = 1
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.webhook: dict[str, Any] = {}
        self.webhook_error = ""
        """What getWebhookInfo says went wrong with the last delivery (none by default)."""
        """What the bot gave ``setWebhook`` (url, secret_token, allowed_updates)."""
        self.webhook_targets: list[str] = []
        """Where updates go instead of ``getUpdates``: several processes behind a load
        balancer are reached in turn."""
        self.webhook_answers: list[int] = []
        self._turn = 0
        self.fault_rate = 0.0
        """Share of the bot's sending calls answered 429 (retry after 1 s) or 502, at random."""
        self.repeat_rate = 0.0
        """Share of pushed updates delivered a second time."""
        self.faults = 0
        self.random = random.Random(20261124)
        self.probes: set[int] = set()
        """Group chats of the probes ``handled`` sends; their traffic is kept out of ``calls``."""
        self.probe_calls: list[Call] = []
        self._probe_chats = itertools.count(-1_900_000_000_001, -1)
        self.people: set[int] = set()
        """Everyone whose updates were pushed: ``handled()`` waits for each of them."""

    async def start(self) -> str:
        self._runner, self.base_url = await _serve(self._handle)
        return self.base_url

    async def stop(self) -> None:
        async with self._changed:
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what tests do -------------------------------------------------------------
    async def push(self, update: dict[str, Any]) -> dict[str, Any]:
        update.setdefault("update_id", self._take_update_id())
        self.people.add(_sender(update))
        if self.repeat_rate and self.random.random() < self.repeat_rate:
            async with self._changed:
                self._queue.append((update, True))
        if self.webhook_targets:
            await self._post_to_webhook(update)
            return update
        async with self._changed:
            self._queue.append((update, False))
            self._changed.notify_all()
        return update

    async def redeliver(self, update: dict[str, Any]) -> None:
        self.delivered.pop(update["update_id"], None)
        async with self._changed:
            self._queue.append((update, True))
            self._changed.notify_all()

    async def _post_to_webhook(self, update: dict[str, Any], attempts: int = 5) -> None:
        """As Telegram does: POST with the secret token; anything but 200 is tried again,
        at the next process in turn."""
        secret = self.webhook.get("secret_token", "")
        async with aiohttp.ClientSession() as http:
            for _ in range(attempts):
                target = self.webhook_targets[self._turn % len(self.webhook_targets)]
                self._turn += 1
                self.delivered[update["update_id"]] = time.monotonic()
                headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
                try:
                    async with http.post(target, json=update, headers=headers) as response:
                        self.webhook_answers.append(response.status)
                        if response.status == 200:
                            return
                except aiohttp.ClientConnectionError:
                    self.webhook_answers.append(0)
                await asyncio.sleep(0.1)

    def _take_update_id(self) -> int:
        self._next_update_id += 1
        return self._next_update_id

    def sent(self, chat_id: int, since: int = 0, method: str = "sendMessage") -> list[Call]:
        return [
            call
            for call in self.calls[since:]
            if call.method == method and call.params.get("chat_id") == chat_id
        ]

    async def handled(self, update: dict[str, Any] | None = None, limit: float = 90.0) -> None:
        """Waits until the bot has finished handling ``update`` (without one: every update
        pushed so far): the event itself, not a quiet moment, so it holds on a busy machine.

        The bot handles one person's updates one after the other, in order, and different
        people's at once. A probe from the same person sent after ``update`` (``/help`` in a
        group of its own, which the bot answers without touching their conversation) is
        answered only once every reply to ``update`` was sent, whatever other people's
        updates are doing. A webhook call returns after the update was handled: nothing to
        wait for.
        """
        if self.webhook_targets:
            return
        people = {_sender(update)} if update is not None else self.people or {42}
        chats = [await self._probe(person) for person in sorted(people)]

        def answered() -> bool:
            done = {
                c.params.get("chat_id")
                for c in self.probe_calls
                if c.method == "sendMessage" and c.result_id
            }
            return all(chat in done for chat in chats)

        await self.wait_until(answered, limit)
        if update is not None and update["update_id"] not in self.delivered:
            raise TimeoutError(f"update {update['update_id']} was never fetched")

    async def _probe(self, person: int) -> int:
        """Queues the probe from ``person``; its group chat's id."""
        chat = next(self._probe_chats)
        self.probes.add(chat)
        text = "/help"
        message = {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "group", "title": "probe"},
            "from": {"id": person, "is_bot": False, "first_name": "probe"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        }
        probe = {"update_id": self._take_update_id(), "message": message}
        async with self._changed:
            self._queue.append((probe, False))
            self._changed.notify_all()
        return chat

    async def wait_until(self, condition: Callable[[], bool], limit: float = 60.0) -> None:
        deadline = time.monotonic() + limit
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not do what was awaited")
            await asyncio.sleep(0.05)

    # --- the Bot API -----------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        call = Call(method, await _params(request), content_type=request.content_type)
        if call.params.get("chat_id") in self.probes:
            self.probe_calls.append(call)
        elif method != "getUpdates":
            self.calls.append(call)
        if method in self.unsupported:
            return _error(404, "Not Found: method not found")
        if method in FAULTY and self.random.random() < self.fault_rate:
            self.faults += 1
            return _too_many() if self.random.random() < 0.5 else _error(502, "Bad Gateway")
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        response = await handler(call.params)
        if method == "sendMessage" and response.status == 200:
            call.result_id = json.loads(response.body)["result"]["message_id"]
        call.at = time.monotonic()
        return response

    async def _getMe(self, _params: dict[str, Any]) -> web.Response:
        return _ok(BOT_USER)

    async def _deleteWebhook(self, _params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _setWebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = params
        return _ok(True)

    async def _getWebhookInfo(self, _params: dict[str, Any]) -> web.Response:
        info: dict[str, Any] = {"url": self.webhook.get("url", ""), "pending_update_count": 0}
        if self.webhook_error:
            info |= {"last_error_date": int(time.time()), "last_error_message": self.webhook_error}
        return _ok(info)

    async def _setMyCommands(self, _params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _answerCallbackQuery(self, _params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _sendChatAction(self, _params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _getUpdates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        async with self._changed:
            self._queue = [
                (u, forced) for u, forced in self._queue if forced or u["update_id"] >= offset
            ]
            if not self._queue and timeout:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), timeout)
            batch = [u for u, _ in self._queue]
            self._queue = [(u, False) for u, forced in self._queue if not forced]
        self.delivered.update((u["update_id"], time.monotonic()) for u in batch)
        return _ok(batch)

    async def _sendMessage(self, params: dict[str, Any]) -> web.Response:
        if params["chat_id"] in self.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        if self.server_errors:
            self.server_errors -= 1
            return _error(502, "Bad Gateway")
        if self.too_many:
            self.too_many -= 1
            return _too_many()
        self._next_message_id += 1
        message = {
            "message_id": self._next_message_id,
            "date": int(time.time()),
            "chat": {"id": params["chat_id"], "type": "private"},
            "from": BOT_USER,
            "text": params["text"],
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(params["chat_id"], message["message_id"])] = message
        return _ok(message)

    async def _sendDocument(self, params: dict[str, Any]) -> web.Response:
        self._next_message_id += 1
        upload = params["document"]
        document = {
            "file_id": f"doc{self._next_message_id}",
            "file_unique_id": "u",
            "file_name": upload["filename"],
        }
        message = {
            "message_id": self._next_message_id,
            "date": int(time.time()),
            "chat": {"id": params["chat_id"], "type": "private"},
            "document": document,
        }
        return _ok(message)

    def documents(self, chat_id: int) -> dict[str, bytes]:
        return {
            call.params["document"]["filename"]: call.params["document"]["content"]
            for call in self.sent(chat_id, method="sendDocument")
        }

    async def _editMessageReplyMarkup(self, params: dict[str, Any]) -> web.Response:
        message = self.messages.get((params.get("chat_id"), params.get("message_id")))
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return _ok(message)

    async def _editMessageText(self, params: dict[str, Any]) -> web.Response:
        message = self.messages.get((params.get("chat_id"), params.get("message_id")))
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        message["text"] = params["text"]
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return _ok(message)


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return dict(await request.json())
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in {**request.query, **form}.items():
        if isinstance(value, web.FileField):
            params[key] = {"filename": value.filename, "content": value.file.read()}
        else:
            params[key] = json.loads(value) if key in JSON_PARAMETERS else value
    return params


def _too_many() -> web.Response:
    body = {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    return web.json_response(body, status=429)


async def _serve(handle: Any) -> tuple[web.AppRunner, str]:
    """The Bot API's address on 127.0.0.1 (a free port): every method of every token."""
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", handle)
    app.router.add_get("/bot{token}/{method}", handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/bot"


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str) -> web.Response:
    body = {"ok": False, "error_code": code, "description": description}
    return web.json_response(body, status=code)


class FakeBotApis:
    """Several bots' Bot API on one address, as a self-hosted Bot API server serves them:
    each request goes to the fake of the bot whose token it carries."""

    def __init__(self, *apis: FakeBotApi) -> None:
        self.apis = {api.token: api for api in apis}
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> str:
        self._runner, self.base_url = await _serve(self._handle)
        for api in self.apis.values():
            api.base_url = self.base_url
        return self.base_url

    async def stop(self) -> None:
        for api in self.apis.values():
            async with api._changed:
                api._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        api = self.apis.get(request.match_info["token"])
        if api is None:
            return _error(401, "Unauthorized")
        return await api._handle(request)


def _sender(update: dict[str, Any]) -> int:
    """Who sent a pushed update (the bot keeps each person's updates in order)."""
    for kind in ("message", "callback_query", "edited_message"):
        if kind in update and "from" in update[kind]:
            return int(update[kind]["from"]["id"])
    return 42
