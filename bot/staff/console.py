"""The console's routes: the open doors (sign-in, set-up, sign-out, language) and every
registered page behind the guard (``bot.staff.guard``)."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Mapping
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.application.staff_accounts import Signed, StaffAccounts
from bot.application.staff_secrets import same
from bot.config.settings import Settings
from bot.staff import pages
from bot.staff.guard import PAGES, Place, Staff, StaffPage
from bot.staff.render import (
    LANGUAGE_COOKIE,
    LANGUAGES,
    SESSION_COOKIE,
    Renderer,
    language_of,
    locale_of,
    read_form,
    safe_next,
)
from bot.staff.signing import Signing

log = logging.getLogger(__name__)


def load_pages() -> list[StaffPage]:
    """Every module in ``bot/staff/pages/`` registers its pages as it is imported."""
    for found in pkgutil.iter_modules(pages.__path__):
        importlib.import_module(f"{pages.__name__}.{found.name}")
    return PAGES


class Console:
    """The console for every municipality of the installation (``places`` by code)."""

    def __init__(
        self, places: Mapping[str, Place], settings: Settings, accounts: StaffAccounts
    ) -> None:
        self.places = places
        self.settings = settings
        self.accounts = accounts
        self.renderer = Renderer((settings.web_base_url or "").startswith("https://"))
        self.signing = Signing(self)

    def routes(self) -> list[BaseRoute]:
        doors = self.signing
        open_doors: list[BaseRoute] = [
            Route("/staff/", self.start),
            Route("/staff/sign-in", doors.sign_in, methods=["GET", "POST"]),
            Route("/staff/setup/{token}", doors.setup, methods=["GET", "POST"]),
            Route("/staff/sign-out", doors.sign_out, methods=["POST"]),
            Route("/staff/language", self.language),
        ]
        guarded = [
            Route(p.full_path, self.guarded(p), methods=list(p.methods)) for p in load_pages()
        ]
        return [*open_doors, *guarded]

    async def signed(self, request: Request) -> Signed | None:
        token = request.cookies.get(SESSION_COOKIE)
        return None if not token else await self.accounts.signed(token)

    def to_sign_in(self, request: Request) -> Response:
        wanted = request.url.path if request.method == "GET" else "/staff/"
        return RedirectResponse(f"/staff/sign-in?next={quote(wanted)}", status_code=303)

    async def start(self, request: Request) -> Response:
        """``/staff/``: a municipality's member of staff goes to its home page; a national
        one chooses a municipality."""
        signed = await self.signed(request)
        if signed is None:
            return self.to_sign_in(request)
        own = signed.account.municipality
        if own is not None:
            return RedirectResponse(f"/staff/{own}/", status_code=303)
        language = language_of(request)
        names = [(code, p.settings.municipality_name) for code, p in self.places.items()]
        return self.renderer.bare(
            request,
            "choose.html.j2",
            language,
            places=names,
            account=signed.account,
            csrf=signed.session.csrf,
            role_name=locale_of(language).t("staff.roles.national"),
        )

    async def language(self, request: Request) -> Response:
        """A link, not a form: it works without JavaScript and changes nothing but words."""
        chosen = request.query_params.get("to", "")
        response = RedirectResponse(safe_next(request.query_params.get("back")), status_code=303)
        if chosen in LANGUAGES:
            self.renderer.set_cookie(request, response, LANGUAGE_COOKIE, chosen, 365 * 86400)
        return response

    def refused(self, request: Request, status: int = 403, key: str = "staff.refused") -> Response:
        return self.renderer.bare(
            request, "refused.html.j2", language_of(request), status, text_key=key
        )

    def guarded(self, page: StaffPage):
        async def endpoint(request: Request) -> Response:
            return await self.serve(page, request)

        endpoint.__name__ = page.handler.__name__
        return endpoint

    async def serve(self, page: StaffPage, request: Request) -> Response:
        signed = await self.signed(request)
        if signed is None:
            return self.to_sign_in(request)
        code = request.path_params["municipality"]
        if not page.allows(signed.account, code):
            return self.refused(request)
        place = self.places.get(code)
        if place is None:
            return self.refused(request, 404, "staff.not_found")
        fields, files = {}, {}
        if request.method == "POST":
            fields, files = await read_form(request)
            if not same(fields.get("csrf", ""), signed.session.csrf):
                return self.refused(request, 403, "staff.expired")
        language = language_of(request)
        staff = Staff(
            request,
            signed.account,
            place,
            signed.session.csrf,
            locale_of(language),
            language,
            fields,
            self.renderer,
            self.accounts,
            page,
            files=files,
        )
        response = await page.handler(staff)
        action = page.audit_post if request.method == "POST" and page.audit_post else page.audit
        if action and response.status_code < 400:
            await self.accounts.record(signed.account, action, code, staff.audit_object)
        return response
