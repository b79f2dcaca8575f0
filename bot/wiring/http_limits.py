"""What the HTTP server does around every request, before any channel sees it.

- A request takes one of the capped places in flight only once its whole body has arrived:
  a hundred POST heads whose bodies never came held every place before, and every citizen,
  ``/healthz`` and the Telegram webhook got 503. Over the cap a request gets 503 with
  ``Retry-After`` and a short page in the municipality's language, at once, instead of
  waiting behind the others. ``/healthz`` is never refused: it costs nothing, and a load
  balancer that saw 503 would take a working process out.
- One address (an IPv6 /64 counts as one) has at most ``per_address`` requests under way,
  bodies still coming included: one client cannot hold all the connections' bodies open.
  A request a channel vouches for (Telegram's webhook call with the bot's secret token:
  Telegram opens up to 40 connections from one address) is held to the overall cap only.
- A body over ``MAX_BODY`` is refused with 413 before it is read (pages post under 32 KiB),
  with a short text in the municipality's language saying the file is too large. A request
  to the staff console that carries a session cookie may be up to ``UPLOAD_BODY``: a clerk's
  export (20 MiB) or an admin's form (5 MiB) reaches its page, which checks the session and
  the file and answers in words (a blank 413 and a dropped connection said nothing).
- A client that went away (a POST dropped half-way, or closed for being too slow) is not an
  error of ours: no traceback, no 500 (uvicorn logged "Exception in ASGI application" for
  each one).
- Starlette's redirect of a path with or without its trailing slash wrote the request's
  ``Host`` header into ``Location``; ``slash_redirects`` builds it from the configured public
  address (``WEB_BASE_URL``), or as a path alone when there is none.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections import Counter
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from starlette.requests import ClientDisconnect
from starlette.routing import BaseRoute, Match, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.common.once_a_minute import OnceAMinute
from bot.staff.render import SESSION_COOKIE

RETRY_AFTER_SECONDS = 10
MAX_BODY = 1024 * 1024
"""The largest request body read, far above any page's form or a webhook's update."""
UPLOAD_BODY = 21 * 1024 * 1024
"""A staff upload's body: the largest file a console page takes (20 MiB) and its form."""
STAFF_PATH = "/staff/"
HEALTH_PATH = "/healthz"
SAFE_IN_PATH = "/:@!$&'()*+,;=-._~"


class Limits:
    """The outermost ASGI layer: the caps on requests in flight, and clients that left."""

    def __init__(
        self,
        app: ASGIApp,
        max_requests: int,
        busy_text: str,
        once: OnceAMinute,
        per_address: int | None = None,
        vouched: Callable[[Scope], bool] | None = None,
        too_large_text: str = "",
    ) -> None:
        self.app = app
        self.too_large_body = too_large_text.encode()
        self.vouched = vouched or (lambda _scope: False)
        self.max_requests = max_requests
        self.per_address = per_address or max(2, max_requests // 4)
        self.busy_body = busy_text.encode()
        self.once = once
        self.in_flight = 0
        self.under_way: Counter[str] = Counter()
        """Requests per address, from their head to their answer; held in memory only."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") == HEALTH_PATH:
            await self.app(scope, receive, send)
            return
        if self.vouched(scope):
            await self._vouched(scope, receive, send)
            return
        address = _address(scope)
        if self.under_way[address] >= self.per_address:
            self.once.warn("address", f"{self.per_address} requests under way from one address")
            await self._busy(send, close=True)
            return
        self.under_way[address] += 1
        try:
            await self._when_read(scope, receive, send)
        except ClientDisconnect:
            pass  # nobody is left to answer, and nothing of ours failed
        finally:
            self.under_way[address] -= 1
            if not self.under_way[address]:
                del self.under_way[address]

    async def _vouched(self, scope: Scope, receive: Receive, send: Send) -> None:
        with contextlib.suppress(ClientDisconnect):  # nobody is left to answer
            await self._when_read(scope, receive, send)

    async def _when_read(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app runs, in one of the places in flight, once the whole body is here."""
        largest = UPLOAD_BODY if _staff_upload(scope) else MAX_BODY
        body = await _body(scope, receive, largest)
        if body is None:
            self.once.warn("body", f"request bodies over {largest} bytes refused with 413")
            await _answer(send, 413, self.too_large_body, close=True)
            return
        if self.in_flight >= self.max_requests:
            self.once.warn("requests", f"{self.max_requests} requests in flight: 503 to others")
            await self._busy(send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, _replay(body, receive), send)
        finally:
            self.in_flight -= 1

    async def _busy(self, send: Send, close: bool = False) -> None:
        """Closed when the body was left unread: what follows on the connection is not a
        request."""
        retry = [(b"retry-after", str(RETRY_AFTER_SECONDS).encode())]
        await _answer(send, 503, self.busy_body, close=close, headers=retry)


async def _answer(
    send: Send,
    status: int,
    body: bytes,
    close: bool = False,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    fields = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *(headers or []),
        *([(b"connection", b"close")] if close else []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": fields})
    await send({"type": "http.response.body", "body": body})


def _staff_upload(scope: Scope) -> bool:
    """A POST to the staff console with a session cookie (which its page then checks): a
    stranger without one is held to ``MAX_BODY`` like everyone else."""
    if scope.get("method") != "POST" or not scope.get("path", "").startswith(STAFF_PATH):
        return False
    cookies = b";".join(v for k, v in scope.get("headers", []) if k == b"cookie")
    return any(c.strip().startswith(SESSION_COOKIE.encode() + b"=") for c in cookies.split(b";"))


async def _body(scope: Scope, receive: Receive, largest: int = MAX_BODY) -> bytes | None:
    """The whole body, or ``None`` when it is (or says it will be) over ``largest``; a
    client that leaves meanwhile raises ``ClientDisconnect``."""
    declared = dict(scope.get("headers", [])).get(b"content-length", b"0")
    if declared.isdigit() and int(declared) > largest:  # h11 refuses one not a number
        return None
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        body += message.get("body", b"")
        if len(body) > largest:
            return None
        if not message.get("more_body", False):
            return bytes(body)


def _replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` for the app: the body already read, then whatever comes next (a
    disconnect)."""
    given = False

    async def again() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again


def _address(scope: Scope) -> str:
    """The client's address as the cap counts it: an IPv6 address by its /64, which one
    household or phone is given whole."""
    client = scope.get("client")
    host = client[0] if client else ""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host
    if ip.version == 6 and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network((ip, 64), strict=False))
    return str(ip)


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
        page = _not_found_page(router.routes, path) if scope["type"] == "http" else None
        await (page.handle if page is not None else not_found)(scope, receive, send)

    router.default = default


def _not_found_page(routes: list[BaseRoute], path: str) -> BaseRoute | None:
    """The page a web channel draws for an unknown address under its path (the most
    specific one: ``/m/<code>/`` before ``/``); none: Starlette's plain 404."""
    found = [r for r in routes if path.startswith(getattr(r, "not_found_prefix", "\0"))]
    return max(found, key=lambda r: len(getattr(r, "not_found_prefix", "")), default=None)


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
