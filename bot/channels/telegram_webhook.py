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


def path_for(scope: str | None) -> str:
    """The home municipality's bot at ``/telegram/webhook``, others' at their own."""
    return PATH if scope is None else f"/telegram/{scope}/webhook"


def telegram_routes(application: Application, secret: str, path: str = PATH) -> list[Route]:
    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret.encode()):
            log.warning("a Telegram webhook call without the right secret token was refused")
            return PlainTextResponse("forbidden", status_code=403)
        update = _update(await request.body(), application)
        if update is None:
            log.warning("a Telegram webhook call with a body that is not an update was refused")
            return PlainTextResponse("not an update", status_code=400)
        # Through the update processor, as polled updates go: one person's in order.
        await application.update_processor.process_update(
            update, application.process_update(update)
        )
        return PlainTextResponse("ok")

    return [Route(path, receive, methods=["POST"])]


def _update(body: bytes, application: Application) -> Update | None:
    """The update in a call's body, or ``None`` for anything that is not one (``[]``,
    ``{"message": 5}``): python-telegram-bot raises all kinds of errors on such JSON."""
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return None
        return Update.de_json(data, application.bot)
    except Exception:
        return None
