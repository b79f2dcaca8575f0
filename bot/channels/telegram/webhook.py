"""Telegram updates over HTTP, for several bot processes behind one load balancer.

Each update is handled before the answer goes back: if the process dies on the way,
Telegram delivers it again (to any process), and the update id makes the repeat harmless.
The update is read straight from its JSON (``bot.channels.telegram.arrival``) and goes
through the channel's update processor, as polled updates do: one person's in order.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Protocol

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram.ext import Application

from bot.channels.telegram.arrival import Arrival, NotAnUpdate, Roles, from_json

log = logging.getLogger(__name__)

PATH = "/telegram/webhook"
SECRET_HEADER = "x-telegram-bot-api-secret-token"
ALLOWED_UPDATES = ["message", "callback_query"]


class Answering(Protocol):
    """The Telegram channel, as its webhook sees it."""

    application: Application
    roles: Roles

    async def answer_safely(self, arrival: Arrival) -> None: ...


def path_for(scope: str | None) -> str:
    """The home municipality's bot at ``/telegram/webhook``, others' at their own."""
    return PATH if scope is None else f"/telegram/{scope}/webhook"


def telegram_routes(channel: Answering, secret: str, path: str = PATH) -> list[Route]:
    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret.encode()):
            log.warning("a Telegram webhook call without the right secret token was refused")
            return PlainTextResponse("forbidden", status_code=403)
        try:
            arrival = from_json(json.loads(await request.body()), channel.roles)
        except (NotAnUpdate, ValueError, RecursionError):
            log.warning("a Telegram webhook call with a body that is not an update was refused")
            return PlainTextResponse("not an update", status_code=400)
        if arrival is not None:
            processor = channel.application.update_processor
            await processor.process_update(arrival, channel.answer_safely(arrival))
        return PlainTextResponse("ok")

    return [Route(path, receive, methods=["POST"])]
