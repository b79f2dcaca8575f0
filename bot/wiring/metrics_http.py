"""``/metrics`` and ``/healthz`` on the bot's HTTP server, and the count of requests by route.

``/metrics`` is never open by default (``METRICS=on``), and then only to this machine's own
clients, or to one that sends ``Authorization: Bearer <METRICS_TOKEN>``. A request that came
through a reverse proxy (``X-Forwarded-For``, ``Forwarded``) is not the machine's own even
though it arrives on loopback: Caddy in front would otherwise publish the figures.

Requests are counted under their route's template (``/telegram/{code}/webhook``), never
the path asked for; every page of the web questionnaire is the one route ``web``, so the
page after "send" is counted as any other page; a path no route serves is ``other``.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import time
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.common.once_a_minute import OnceAMinute
from bot.wiring.metrics import CONTENT_TYPE, SERVING_A_PAGE, Metrics
from storage import Database

HEALTH_PATH, METRICS_PATH = "/healthz", "/metrics"
HEALTH_TIMEOUT = 3.0
"""Seconds the database has to answer ``/healthz`` (a load balancer waits about 5)."""
FRESH = 1.0
"""Seconds an answer of the database is reused: ``/healthz`` is exempt from the HTTP bounds,
so a flood of it asks the database once a second, not once a request."""
WEB = "web"
OTHER = "other"
PROXY_HEADERS = (b"x-forwarded-for", b"forwarded", b"x-real-ip")


@dataclass(frozen=True)
class Labelled:
    """A route and the label its requests are counted under."""

    route: BaseRoute
    label: str


def label_of(route: BaseRoute, channel: str, scope: str | None) -> Labelled:
    """``web`` for the questionnaire's pages; else the route's path with the municipality's
    code as ``{code}``."""
    if channel == WEB:
        return Labelled(route, WEB)
    path = getattr(route, "path", OTHER) or OTHER
    if scope:
        path = path.replace(f"/{scope}/", "/{code}/")
    return Labelled(route, path)


def labelled(routes: Sequence[BaseRoute | Labelled]) -> list[Labelled]:
    """Routes as given, a plain one counted under its own path."""
    return [r if isinstance(r, Labelled) else label_of(r, "", None) for r in routes]


class CountedRequests:
    """The outermost ASGI layer when metrics are on: every answer's route and status."""

    def __init__(self, app: ASGIApp, routes: Sequence[Labelled], metrics: Metrics) -> None:
        self.app, self.routes, self.metrics = app, list(routes), metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = self._route(scope)
        status = [500]
        page = SERVING_A_PAGE.set(route == WEB)

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            SERVING_A_PAGE.reset(page)
            self.metrics.request(route, status[0])

    def _route(self, scope: Scope) -> str:
        path = scope.get("path", "")
        if path in (HEALTH_PATH, METRICS_PATH):
            return path
        for labelled in self.routes:
            match, _child = labelled.route.matches(scope)
            if match is not Match.NONE:
                return labelled.label
        return OTHER


class Health:
    """``/healthz`` asks the database; ``/metrics`` tells the figures to whom may read them."""

    def __init__(
        self, database: Database, once: OnceAMinute, metrics: Metrics | None, token: str | None
    ) -> None:
        self.database, self.once, self.metrics = database, once, metrics
        self.token = token.encode() if token else None
        self._asking = asyncio.Lock()
        self._answered: tuple[float, bool] | None = None

    def routes(self) -> list[BaseRoute]:
        """``/healthz`` always; ``/metrics`` when metrics are on."""
        health = Route(HEALTH_PATH, self.healthz, methods=["GET"])
        if self.metrics is None:
            return [health]
        return [health, Route(METRICS_PATH, self.scrape, methods=["GET"])]

    def counted(self, app: ASGIApp, routes: Sequence[Labelled]) -> ASGIApp:
        """``app`` with its requests counted by route (when metrics are on)."""
        return app if self.metrics is None else CountedRequests(app, routes, self.metrics)

    async def database_answers(self) -> bool:
        """Asked once at a time, and reused for ``FRESH`` seconds."""
        async with self._asking:
            if self._answered and time.monotonic() - self._answered[0] < FRESH:
                return self._answered[1]
            up = await self.database.answers(HEALTH_TIMEOUT)
            self._answered = (time.monotonic(), up)
        if not up:
            self.once.warn("database", "/healthz: the database did not answer; 503")
        return up

    async def healthz(self, _request: Request) -> Response:
        """200 when this process serves and its database answers, else 503."""
        if await self.database_answers():
            return PlainTextResponse("ok")
        return PlainTextResponse("database unavailable", status_code=503)

    async def scrape(self, request: Request) -> Response:
        if self.metrics is None or not self.allowed(request):
            return PlainTextResponse("forbidden", status_code=403)
        up = await self.database_answers()
        body = await self.metrics.scrape(up)
        return Response(body, media_type=CONTENT_TYPE)

    def allowed(self, request: Request) -> bool:
        """The bearer token, or a loopback client that no proxy sent on."""
        given = request.headers.get("authorization", "")
        if self.token is not None and given.startswith("Bearer "):
            return hmac.compare_digest(given[len("Bearer ") :].encode(), self.token)
        headers = dict(request.scope.get("headers") or ())
        if any(name in headers for name in PROXY_HEADERS):
            return False
        client = request.client.host if request.client else ""
        try:
            return ipaddress.ip_address(client).is_loopback
        except ValueError:
            return False
