"""The HTTP endpoint Meta calls: verification, then signed event deliveries.

A delivery is answered at once and handled afterwards: Meta expects an answer within
seconds and retries (or disables the webhook) otherwise.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

log = logging.getLogger(__name__)

PATH = "/messenger/webhook"
MAX_BODY = 1 << 20
"""Meta's deliveries are a few kilobytes; anything near a megabyte is not from Meta."""


def signature_valid(body: bytes, header: str | None, app_secret: bytes) -> bool:
    """``X-Hub-Signature-256: sha256=<hex HMAC of the raw body>``, compared in constant time."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").lower())


def messenger_routes(
    receive: Callable[[Mapping[str, Any]], Awaitable[None]],
    app_secret: bytes,
    verify_token: str,
) -> list[Route]:
    async def verify(request: Request) -> Response:
        query = request.query_params
        given = query.get("hub.verify_token", "").encode()
        if query.get("hub.mode") == "subscribe" and hmac.compare_digest(
            given, verify_token.encode()
        ):
            log.info("Messenger webhook verified")
            return PlainTextResponse(query.get("hub.challenge", ""))
        return PlainTextResponse("forbidden", status_code=403)

    async def deliver(request: Request) -> Response:
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                return PlainTextResponse("too large", status_code=413)
        if not signature_valid(bytes(body), request.headers.get("x-hub-signature-256"), app_secret):
            log.warning("a Messenger webhook call with a missing or wrong signature was refused")
            return PlainTextResponse("forbidden", status_code=403)
        try:
            payload = json.loads(body)
        except ValueError:
            return PlainTextResponse("not JSON", status_code=400)
        if not isinstance(payload, Mapping):
            return PlainTextResponse("not an object", status_code=400)
        return PlainTextResponse("EVENT_RECEIVED", background=BackgroundTask(receive, payload))

    return [Route(PATH, verify, methods=["GET"]), Route(PATH, deliver, methods=["POST"])]
