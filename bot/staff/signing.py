"""The console's open doors: signing in (with the second factor when the account has one),
the one-time set-up link (a password, and TOTP enrolment with a QR code), signing out.

Their forms carry a CSRF token before there is a session: a random value in a cookie of
their own, repeated in the form (double submit); SameSite=Strict keeps other sites' forms
from sending the cookie at all."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Protocol

import segno
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.application.refusal import Refusal
from bot.application.staff_accounts import Outcome, Role
from bot.application.staff_secrets import MIN_PASSWORD, new_token, new_totp_secret, same, totp_uri
from bot.staff.render import (
    FORM_COOKIE,
    SESSION_COOKIE,
    language_of,
    locale_of,
    read_form,
    safe_next,
)

if TYPE_CHECKING:
    from bot.application.staff_accounts import Signed, StaffAccounts
    from bot.staff.render import Renderer


class Doors(Protocol):
    """What the open doors use of the console (``bot.staff.console.Console`` is one)."""

    renderer: Renderer
    accounts: StaffAccounts

    async def signed(self, request: Request) -> Signed | None: ...

    def refused(self, request: Request, status: int = 403, key: str = ...) -> Response: ...


def qr_svg(text: str) -> str:
    """The enrolment QR code as inline SVG (no request for an image, no script)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(
        out, kind="svg", scale=5, xmldecl=False, svgns=True, title="QR", unit="px"
    )
    return out.getvalue().decode()


class Signing:
    def __init__(self, console: Doors) -> None:
        self.console = console

    def _form_token(self, request: Request) -> str:
        return request.cookies.get(FORM_COOKIE) or new_token()

    def _page(
        self, request: Request, template: str, status: int = 200, **values: object
    ) -> Response:
        """An open page with its double-submit token (the cookie kept or set)."""
        token = self._form_token(request)
        renderer = self.console.renderer
        response = renderer.bare(
            request, template, language_of(request), status, csrf=token, **values
        )
        renderer.set_cookie(request, response, FORM_COOKIE, token)
        return response

    async def _posted(self, request: Request) -> dict[str, str] | None:
        fields, _files = await read_form(request)
        cookie = request.cookies.get(FORM_COOKIE, "")
        if not cookie or not same(fields.get("csrf", ""), cookie):
            return None
        return fields

    async def sign_in(self, request: Request) -> Response:
        wanted = safe_next(request.query_params.get("next"))
        if request.method == "GET":
            done = request.query_params.get("ready") == "1"
            return self._page(request, "sign_in.html.j2", next=wanted, ready=done)
        fields = await self._posted(request)
        if fields is None:
            return self.console.refused(request, 403, "staff.expired")
        email = fields.get("email", "")
        result = await self.console.accounts.sign_in(
            email, fields.get("password", ""), fields.get("code", "")
        )
        if result.outcome is Outcome.SIGNED_IN:
            earlier = request.cookies.get(SESSION_COOKIE, "")
            if earlier:  # this browser's earlier session ends, not only its cookie
                await self.console.accounts.sign_out(earlier)
            response = RedirectResponse(safe_next(fields.get("next")), status_code=303)
            self.console.renderer.set_cookie(request, response, SESSION_COOKIE, result.token)
            return response
        t = locale_of(language_of(request)).t
        problem = {
            Outcome.WRONG: t("staff.sign_in.wrong"),
            Outcome.WAIT: t("staff.sign_in.wait", seconds=result.seconds),
            Outcome.LOCKED: t("staff.sign_in.locked", minutes=-(-result.seconds // 60)),
            Outcome.NEEDS_CODE: t("staff.sign_in.needs_code"),
        }[result.outcome]
        if result.outcome is Outcome.WRONG and result.seconds:
            problem += " " + t("staff.sign_in.wait", seconds=result.seconds)
        status = {Outcome.WRONG: 401, Outcome.NEEDS_CODE: 403}.get(result.outcome, 429)
        return self._page(
            request, "sign_in.html.j2", status, next=wanted, problem=problem, email=email
        )

    async def setup(self, request: Request) -> Response:
        token = request.path_params["token"]
        account = await self.console.accounts.setup_of(token)
        if account is None:
            return self.console.refused(request, 410, "staff.setup.link_used")
        if request.method == "GET":
            return self._setup_page(request, account.email, account.role, new_totp_secret())
        fields = await self._posted(request)
        if fields is None:
            return self.console.refused(request, 403, "staff.expired")
        secret = fields.get("totp_secret", "")
        wants_code = account.role == Role.ADMIN or fields.get("use_code") == "1"
        password = fields.get("password", "")
        try:
            if password != fields.get("again", ""):
                raise Refusal("staff.setup.not_same")
            await self.console.accounts.finish_setup(
                token, password, secret if wants_code else None, fields.get("code", "")
            )
        except Refusal as refusal:
            problem = refusal.text(locale_of(language_of(request)))
            return self._setup_page(request, account.email, account.role, secret, problem)
        return RedirectResponse("/staff/sign-in?ready=1", status_code=303)

    def _setup_page(
        self, request: Request, email: str, role: str, secret: str, problem: str = ""
    ) -> Response:
        return self._page(
            request,
            "setup.html.j2",
            400 if problem else 200,
            email=email,
            admin=role == Role.ADMIN,
            secret=secret,
            qr=qr_svg(totp_uri(secret, email)),
            least=MIN_PASSWORD,
            problem=problem,
        )

    async def sign_out(self, request: Request) -> Response:
        """Ends the session in the database, not only in this browser."""
        signed = await self.console.signed(request)
        fields, _files = await read_form(request)
        if signed is not None:
            if not same(fields.get("csrf", ""), signed.session.csrf):
                return self.console.refused(request, 403, "staff.expired")
            await self.console.accounts.sign_out(request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse("/staff/sign-in", status_code=303)
        self.console.renderer.forget_cookie(request, response, SESSION_COOKIE)
        return response
