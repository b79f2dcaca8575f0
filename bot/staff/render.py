"""How console pages are drawn and what every answer carries: jinja2 templates that escape
everything, no script, security headers, the session cookie (HttpOnly, SameSite=Strict,
Secure behind https), the posted form read without a multipart library for plain forms."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.application.staff_accounts import Role
from bot.questionnaire.content import bundled_locale, load_locale
from bot.questionnaire.i18n import Locale
from bot.staff.guard import in_navigation

if TYPE_CHECKING:
    from bot.staff.guard import Staff

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES = ("ka", "en")
"""Georgian first; English beside it."""
SESSION_COOKIE = "staff_session"
LANGUAGE_COOKIE = "staff_lang"
FORM_COOKIE = "staff_form"
"""Before sign-in: the CSRF token of the sign-in and set-up forms (double submit)."""
MAX_FORM = 1024 * 1024
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


@cache
def locale_of(language: str) -> Locale:
    return load_locale(bundled_locale(language if language in LANGUAGES else LANGUAGES[0]))


def language_of(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    return chosen if chosen in LANGUAGES else LANGUAGES[0]


async def read_form(request: Request) -> tuple[dict[str, str], dict[str, Any]]:
    """The posted fields (the first of each) and, for a multipart form, its files
    (multipart needs python-multipart, which Starlette asks for)."""
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        posted = await request.form(max_part_size=MAX_FORM)
        fields = {k: v for k, v in posted.items() if isinstance(v, str)}
        files = {k: v for k, v in posted.items() if not isinstance(v, str)}
        return fields, files
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            return {}, {}
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}, {}


class Renderer:
    def __init__(self, secure: bool) -> None:
        self.secure = secure
        """The public address is https: cookies are ``Secure`` even behind a plain proxy."""
        self.environment = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True)
        )

    def page(self, staff: Staff, template: str, status: int, **values: Any) -> Response:
        """A signed-in page: the navigation of the account's role, its sign-out form."""
        role = staff.role
        nav = [
            (staff.t(f"staff.{p.nav}.nav"), staff.url(p.path))
            for p in in_navigation(staff.account, staff.municipality)
        ]
        return self.bare(
            staff.request,
            template,
            staff.language,
            status,
            staff=staff,
            account=staff.account,
            role_name=staff.t(f"staff.roles.{role.value}"),
            place_name=staff.place.settings.municipality_name,
            nav=nav,
            csrf=staff.csrf,
            national=role is Role.NATIONAL,
            **values,
        )

    def bare(
        self, request: Request, template: str, language: str, status: int = 200, **values: Any
    ) -> Response:
        """Any page, signed in or not (sign-in, set-up, refusals)."""
        locale = locale_of(language)
        html = self.environment.get_template(template).render(
            t=locale.t,
            language=language,
            languages=LANGUAGES,
            here=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            **values,
        )
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    def set_cookie(
        self, request: Request, response: Response, name: str, value: str, age: int | None = None
    ) -> None:
        """HttpOnly, SameSite=Strict, for the console's path only."""
        response.set_cookie(
            name,
            value,
            max_age=age,
            httponly=True,
            secure=self.secure or request.url.scheme == "https",
            samesite="strict",
            path="/staff/",
        )

    def forget_cookie(self, request: Request, response: Response, name: str) -> None:
        self.set_cookie(request, response, name, "", age=0)


def safe_next(value: str | Mapping[str, str] | None) -> str:
    """Where to go after sign-in: a console path only, never another site."""
    path = value if isinstance(value, str) else ""
    if path.startswith("/staff/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/staff/"
