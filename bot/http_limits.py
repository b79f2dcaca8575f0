"""What the HTTP server does around every request, before any channel sees it.

- Requests in flight are capped: over the cap a request gets 503 with ``Retry-After`` and a
  short page in the municipality's language, at once, instead of waiting behind the others.
- A client that went away (a POST dropped half-way, or closed for being too slow) is not an
  error of ours: no traceback, no 500 (uvicorn logged "Exception in ASGI application" for
  each one).
- Starlette's redirect of a path with or without its trailing slash wrote the request's
  ``Host`` header into ``Location``; ``slash_redirects`` builds it from the configured public
  address (``WEB_BASE_URL``), or as a path alone when there is none.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from starlette.requests import ClientDisconnect
from starlette.routing import Match, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.once_a_minute import OnceAMinute

RETRY_AFTER_SECONDS = 10
SAFE_IN_PATH = "/:@!$&'()*+,;=-._~"


class Limits:
    """The outermost ASGI layer: the cap on requests in flight, and clients that left."""

    def __init__(self, app: ASGIApp, max_requests: int, busy_text: str, once: OnceAMinute):
        self.app = app
        self.max_requests = max_requests
        self.busy_body = busy_text.encode()
        self.once = once
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_requests:
            self.once.warn("requests", f"{self.max_requests} requests in flight: 503 to others")
            await self._busy(send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        except ClientDisconnect:
            pass  # nobody is left to answer, and nothing of ours failed
        finally:
            self.in_flight -= 1

    async def _busy(self, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
                    (b"content-length", str(len(self.busy_body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": self.busy_body})


def slash_redirects(router: Router, public_address: str | None) -> None:
    """Replaces ``router``'s own trailing-slash redirect (which trusts ``Host``) with one to
    the configured public address; anything else unmatched stays a 404."""
    router.redirect_slashes = False
    not_found = router.default
    origin = _origin(public_address)

    async def default(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path != "/":
            other = path.rstrip("/") if path.endswith("/") else path + "/"
            other = "/" + other.lstrip("/")  # never //host: a path, not another site
            if any(r.matches({**scope, "path": other})[0] != Match.NONE for r in router.routes):
                await _redirect(send, origin + quote(other, safe=SAFE_IN_PATH), scope)
                return
        await not_found(scope, receive, send)

    router.default = default


def _origin(public_address: str | None) -> str:
    """``https://feedback.example.ge/base/`` → ``https://feedback.example.ge/base``."""
    if not public_address:
        return ""
    parts = urlsplit(public_address)
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


async def _redirect(send: Send, location: str, scope: Scope) -> None:
    query = scope.get("query_string", b"")
    target = location.encode() + (b"?" + query if query else b"")
    start: Message = {
        "type": "http.response.start",
        "status": 307,
        "headers": [(b"location", target), (b"content-length", b"0")],
    }
    await send(start)
    await send({"type": "http.response.body", "body": b""})
