"""A small Graph API on 127.0.0.1 for the Messenger channel: the Send API and the page's
Messenger profile, with Meta's limits and Meta-shaped errors.

Like the real one, it refuses a message that breaks a limit (more than 13 quick replies, a
title over 20 characters, text over 2,000) instead of quietly trimming it, so a test fails
when the bot would lose a button on Facebook.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

VERSION = "v23.0"
MESSAGING_TYPES = {"RESPONSE", "UPDATE", "MESSAGE_TAG"}


@dataclass
class Sent:
    recipient: str
    message: dict[str, Any]
    messaging_type: str
    at: float = field(default_factory=time.monotonic)
    page_token: str = ""
    """Which page sent it (one app, several pages: each page has its own token)."""

    @property
    def text(self) -> str:
        return str(self.message.get("text", ""))

    @property
    def quick_replies(self) -> list[dict[str, Any]]:
        return list(self.message.get("quick_replies") or [])

    @property
    def urls(self) -> list[str]:
        """The web addresses of a button template's URL buttons."""
        payload = (self.message.get("attachment") or {}).get("payload") or {}
        return [b["url"] for b in payload.get("buttons") or [] if b.get("type") == "web_url"]

    @property
    def everything(self) -> str:
        """All the message says, template text and button titles included."""
        payload = (self.message.get("attachment") or {}).get("payload") or {}
        titles = [b.get("title", "") for b in payload.get("buttons") or []]
        titles += [q.get("title", "") for q in self.quick_replies]
        return "\n".join([self.text, str(payload.get("text", "")), *titles])


@dataclass
class Failure:
    status: int
    code: int
    subcode: int | None = None
    message: str = "(#613) Calls to this api have exceeded the rate limit."


PAGE_NAME = "ამბროლაურის მუნიციპალიტეტი"


class FakeGraphApi:
    def __init__(self, page_token: str, *other_pages: str) -> None:
        self.handled = 0
        """Webhook calls the bot has finished (counted by a spy in the test fixture)."""
        self.spied = False
        self.handled_for: Counter[str] = Counter()
        """The same, per person who wrote (a call may carry several)."""
        self.posted_for: Counter[str] = Counter()
        """Calls a test citizen made that the bot accepted, per person."""
        self.page_token = page_token
        self.tokens = {page_token, *other_pages}
        self.sent: list[Sent] = []
        self.refused: list[tuple[dict[str, Any], str]] = []
        """Requests refused for breaking a limit, with the reason."""
        self.attempts = 0
        self.profiles: list[dict[str, Any]] = []
        self.failures: list[Failure] = []
        """Answers for the next Send API calls, in order, before any is accepted."""
        self.outside_window: set[str] = set()
        self.unavailable: set[str] = set()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post(f"/{VERSION}/me/messages", self._messages)
        app.router.add_post(f"/{VERSION}/me/messenger_profile", self._profile)
        app.router.add_get(f"/{VERSION}/me", self._me)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/{VERSION}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what tests do -------------------------------------------------------------
    def fail_next(self, code: int, times: int = 1, status: int = 400, subcode: int | None = None):
        self.failures += [Failure(status, code, subcode)] * times

    def to(self, recipient: str, since: int = 0) -> list[Sent]:
        return [sent for sent in self.sent[since:] if sent.recipient == recipient]

    async def idle(self, posted: int, limit: float = 90.0) -> None:
        """Waits until the bot finished every webhook call it accepted (``posted``): the
        event itself, counted by the test's spy on the channel, not a quiet moment."""
        assert self.spied, "only an in-process bot can be watched this way"
        await self.wait_until(lambda: self.handled >= posted, limit)

    async def wait_until(self, condition: Callable[[], bool], limit: float = 90.0) -> None:
        deadline = time.monotonic() + limit
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not do what was awaited")
            await asyncio.sleep(0.05)

    # --- the Graph API ---------------------------------------------------------------
    def _authorised(self, request: web.Request) -> bool:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        return given in self.tokens

    async def _messages(self, request: web.Request) -> web.Response:
        self.attempts += 1
        if not self._authorised(request):
            return _error(400, 190, "Invalid OAuth access token.")
        body = await request.json()
        problem = _problem(body)
        if problem:
            self.refused.append((body, problem))
            return _error(400, 100, f"(#100) {problem}")
        if self.failures:
            failure = self.failures.pop(0)
            return _error(failure.status, failure.code, failure.message, failure.subcode)
        recipient = str(body["recipient"]["id"])
        if recipient in self.unavailable:
            return _error(400, 551, "This person isn't available right now.", 1545041)
        if recipient in self.outside_window:
            message = "(#10) This message is sent outside of allowed window."
            return _error(400, 10, message, 2018278)
        token = request.headers["Authorization"].removeprefix("Bearer ")
        self.sent.append(Sent(recipient, body["message"], body["messaging_type"], page_token=token))
        return web.json_response({"recipient_id": recipient, "message_id": f"m_{len(self.sent)}"})

    async def _me(self, request: web.Request) -> web.Response:
        """The page a token belongs to (``feedback-bot check``)."""
        if not self._authorised(request):
            return _error(400, 190, "Invalid OAuth access token.")
        return web.json_response({"name": PAGE_NAME, "id": "104000000000001"})

    async def _profile(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(400, 190, "Invalid OAuth access token.")
        self.profiles.append(await request.json())
        return web.json_response({"result": "success"})


def _problem(body: dict[str, Any]) -> str | None:
    """What Meta would refuse in a Send API request, or ``None``."""
    if not (body.get("recipient") or {}).get("id"):
        return "param recipient must be non-empty"
    if body.get("messaging_type") not in MESSAGING_TYPES:
        return "param messaging_type is invalid"
    message = body.get("message") or {}
    if "attachment" in message:
        return _template_problem(message["attachment"])
    text = message.get("text")
    if not isinstance(text, str) or not text.strip():
        return "param message must have text"
    if len(text) > 2000:
        return "param message[text] must be UTF-8 encoded and has to be less than 2000 characters"
    replies = message.get("quick_replies") or []
    if len(replies) > 13:
        return "param message[quick_replies] has too many elements"
    for reply in replies:
        title = reply.get("title") or ""
        if reply.get("content_type") != "text" or not title or len(title) > 20:
            return f"param message[quick_replies][title] is invalid: {title!r}"
        if not reply.get("payload") or len(reply["payload"]) > 1000:
            return "param message[quick_replies][payload] is invalid"
    return None


def _template_problem(attachment: Any) -> str | None:
    """A button template: text up to 640 characters, 1-3 buttons with titles up to 20."""
    payload = attachment.get("payload") or {} if isinstance(attachment, dict) else {}
    if attachment.get("type") != "template" or payload.get("template_type") != "button":
        return "param message[attachment] is not a button template"
    text, buttons = payload.get("text") or "", payload.get("buttons") or []
    if not text.strip() or len(text) > 640:
        return "param message[attachment][payload][text] must be 1-640 characters"
    if not 1 <= len(buttons) <= 3:
        return "param message[attachment][payload][buttons] must have 1-3 elements"
    for button in buttons:
        title = button.get("title") or ""
        if not title or len(title) > 20:
            return f"param message[attachment][payload][buttons][title] is invalid: {title!r}"
        if button.get("type") == "web_url" and not str(button.get("url", "")).startswith("http"):
            return "param message[attachment][payload][buttons][url] is invalid"
    return None


def _error(status: int, code: int, message: str, subcode: int | None = None) -> web.Response:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEfGhIjK",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return web.json_response({"error": error}, status=status)
