"""``/results`` (another municipality's: ``/m/<code>/results``): what came of the answers.

The pages come from a ``ResultsSource`` (``bot.application.results``, wired in by the entry
point: a channel never reaches up to the application). Like ``/privacy`` they read no
cookie, set none, keep nothing and log nothing; no script. ``?lang=`` picks another of the
municipality's languages. Any address below ``/results`` that is not an ended quarter with
answers is a 404 that shows the latest results (the way on is on the page). While the
figures are still being worked out after a start, a short page asks to come back in a
minute (503, ``Retry-After``) instead of keeping the citizen waiting.
"""

from __future__ import annotations

import re
from typing import Protocol

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.channels.web.pages import HEADERS

PATH = "/results"
QUARTER = re.compile(r"^\d{4}(Q[1-4])?$")
"""A quarter (``2025Q1``) or a year (``2025``), as the municipality counts them."""
FEED_TYPE = "application/atom+xml; charset=utf-8"
RETRY_AFTER = "60"
"""Seconds: the page asks to come back in a minute, and says so to a feed reader too."""


class ResultsSource(Protocol):
    async def page(self, label: str | None, language: str | None) -> str | None:
        """The page of quarter ``label`` (the latest for ``None``); ``None``: no such one."""

    async def method(self, language: str | None) -> str: ...

    async def feed(self, address: str) -> str:
        """The Atom feed; ``address``: the results page's full public URL."""

    async def prepared(self) -> bool:
        """Whether the figures are ready (after a short wait while they are worked out)."""

    async def preparing(self, language: str | None) -> str:
        """The short page asking to come back in a minute."""


def results_routes(prefix: str, source: ResultsSource, public_url: str) -> list[Route]:
    """``public_url``: ``WEB_BASE_URL``, else the server's own address: the feed's links must
    be absolute, and the request's ``Host`` is the client's to say, never trusted for them."""
    base = prefix + PATH

    async def latest(request: Request) -> Response:
        if not await source.prepared():
            return await _preparing(source, request)
        return _page(await source.page(None, request.query_params.get("lang")))

    async def quarter(request: Request) -> Response:
        label, language = request.path_params["label"], request.query_params.get("lang")
        if not await source.prepared():
            return await _preparing(source, request)
        shown = await source.page(label, language) if QUARTER.match(label) else None
        if shown is None:  # not an ended quarter with answers: the latest, as a 404
            return _page(await source.page(None, language), status=404)
        return _page(shown)

    async def method(request: Request) -> Response:
        return HTMLResponse(await source.method(request.query_params.get("lang")), headers=HEADERS)

    async def feed(request: Request) -> Response:
        if not await source.prepared():
            return Response(status_code=503, headers={**HEADERS, "Retry-After": RETRY_AFTER})
        body = await source.feed(public_url.rstrip("/") + base)
        return Response(body, media_type=FEED_TYPE, headers=_feed_headers())

    return [
        Route(base, latest, methods=["GET"]),
        Route(f"{base}/method", method, methods=["GET"]),
        Route(f"{base}/feed.atom", feed, methods=["GET"]),
        Route(f"{base}/{{label}}", quarter, methods=["GET"]),
    ]


async def _preparing(source: ResultsSource, request: Request) -> Response:
    """503 with ``Retry-After``: the figures are being worked out after a start; a citizen
    is told so at once rather than kept waiting half a minute."""
    html = await source.preparing(request.query_params.get("lang"))
    headers = {**HEADERS, "Retry-After": RETRY_AFTER}
    return HTMLResponse(html, status_code=503, headers=headers)


def _page(html: str | None, status: int = 200) -> Response:
    return HTMLResponse(html or "", status_code=status, headers=HEADERS)


def _feed_headers() -> dict[str, str]:
    """A feed reader may keep it for a while (it changes a few times a quarter)."""
    return {**HEADERS, "Cache-Control": "public, max-age=600"}
