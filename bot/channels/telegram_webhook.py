"""Telegram updates over HTTP, for several bot processes behind one load balancer.

Each update is handled before the answer goes back: if the process dies on the way,
Telegram delivers it again (to any process), and the update id makes the repeat harmless.
"""

from __future__ import annotations

import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

PATH = "/telegram/webhook"
SECRET_HEADER = "x-telegram-bot-api-secret-token"
ALLOWED_UPDATES = ["message", "callback_query"]


def telegram_routes(application: Application, secret: str) -> list[Route]:
    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret.encode()):
            log.warning("a Telegram webhook call without the right secret token was refused")
            return PlainTextResponse("forbidden", status_code=403)
        try:
            update = Update.de_json(json.loads(await request.body()), application.bot)
        except (ValueError, TypeError, KeyError):
            return PlainTextResponse("not an update", status_code=400)
        # Through the update processor, as polled updates go: one chat's in order.
        await application.update_processor.process_update(
            update, application.process_update(update)
        )
        return PlainTextResponse("ok")

    return [Route(PATH, receive, methods=["POST"])]
