"""The pages that refuse or fail, in the citizen's language, each with its right way on:
an unknown address (404), a method no page takes (405), a page too old (403), too many
requests (429), a form over the limit (429), a text too long (413), a failure (500).

None offers "fill in another questionnaire": a refusal that keeps the answers leads back to
them, the others to the questionnaire's start.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from starlette.requests import ClientDisconnect, Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send

from bot.channels.web.pages import Link
from bot.channels.web.session import Session
from bot.questionnaire.i18n import Locale

if TYPE_CHECKING:
    from bot.channels.web.surface import Web

log = logging.getLogger("bot.channels.web.channel")

MAX_BODY = 32 * 1024
"""A page's form: one answer of at most 1,000 characters, a few fields."""
Handler = Callable[[Request], Awaitable[Response]]
ANY = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
"""The methods a page's address answers: those it does not take get a page saying so."""


async def read_form(request: Request) -> dict[str, str] | None:
    """The posted fields (the first of each); ``None`` for a body over ``MAX_BODY``."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


class NotFound(BaseRoute):
    """Matches nothing itself: the HTTP server's last resort for an unknown address under
    ``not_found_prefix`` (``bot.wiring.http_limits.slash_redirects``) draws this page."""

    def __init__(self, prefix: str, page: Handler) -> None:
        self.not_found_prefix = prefix
        self.page = page

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: object) -> object:
        raise LookupError(name)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.page(Request(scope, receive))
        await response(scope, receive, send)


class Errors:
    def __init__(self, web: Web) -> None:
        self.web = web

    def guard(self, get: Handler, post: Handler | None = None) -> Handler:
        """One address's handler: GET (and HEAD) and POST where the page takes them, a
        405 page otherwise, and a 500 page, never a trace, when something fails."""

        async def handle(request: Request) -> Response:
            try:
                if request.method in ("GET", "HEAD"):
                    return await get(request)
                if request.method == "POST" and post is not None:
                    return await post(request)
                return self.not_allowed(request, "GET, HEAD, POST" if post else "GET, HEAD")
            except ClientDisconnect:  # the browser left mid-form: nobody reads an answer
                return Response(status_code=400)
            except Exception as error:  # the page says so; the log says what, not whose
                log.error("a web page failed: %s", type(error).__name__)
                return self.failed(request)

        return handle

    def _said(self, request: Request, language: str | None = None) -> Locale:
        session = self.web.session_of(request)
        return self.web.pages.said(language or (session.language if session else None))

    def _back(self, said: Locale) -> Link:
        return Link(said.t("web.back"), f"{self.web.prefix}/")

    async def not_found(self, request: Request) -> Response:
        said = self._said(request)
        return self.web.pages.message(request, said.t("web.not_found"), 404, locale=said)

    def not_allowed(self, request: Request, allow: str) -> Response:
        said = self._said(request)
        text = said.t("web.not_allowed")
        headers = {"Allow": allow}
        return self.web.pages.message(request, text, 405, headers=headers, locale=said)

    def failed(self, request: Request) -> Response:
        said = self._said(request)
        return self.web.pages.message(request, said.t("web.failed"), 500, locale=said)

    def too_large(self, request: Request) -> Response:
        said = self._said(request)
        link = self._back(said)
        return self.web.pages.message(request, said.t("web.too_large"), 413, link=link, locale=said)

    def expired(self, request: Request, given: Session | None) -> Response:
        """A form without a valid session or CSRF token: nothing is changed; the answers
        kept are one press away."""
        said = self._said(request)
        text, link = said.t("web.expired"), self._back(said)
        replace = given is None
        return self.web.pages.message(
            request, text, 403, replace_cookie=replace, link=link, locale=said
        )

    async def refused(self, request: Request) -> Response | None:
        """Past the page-view budget (a flood, not people): 429 with ``Retry-After``,
        unless the request comes from a kiosk."""
        web = self.web
        wait = web.requests.wait(web.address_of(request))
        if not wait or await web.kiosks.token_of(request, fresh=False) is not None:
            return None
        said = self._said(request)
        headers = {"Retry-After": str(wait)}
        link = self._back(said)
        text = said.t("web.too_many")
        return web.pages.message(request, text, 429, link=link, headers=headers, locale=said)

    def come_back(self, request: Request, wait: int, language: str | None) -> Response:
        """Over the form limit: the answers stay in the draft; the page says, in the
        citizen's language, from what time (rounded up to the minute) to send them."""
        web = self.web
        settings = web.needs.settings
        at = (web.router.clock() + timedelta(seconds=wait + 59)).astimezone(settings.zone)
        said = self._said(request, language)
        text = said.t("web.form_limit", time=at.strftime("%H:%M"))
        headers = {"Retry-After": str(wait)}
        link = self._back(said)
        return web.pages.message(request, text, 429, link=link, headers=headers, locale=said)

    async def to_slash(self, _request: Request) -> Response:
        return RedirectResponse(f"{self.web.prefix}/", status_code=308)
