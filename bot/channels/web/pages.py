"""A web page of the questionnaire: the reply of a turn as HTML, its headers and cookies.

The pages carry no script; jinja2 escapes every text a citizen typed; every response has
the same strict headers (``HEADERS``). The page's own words (title, buttons, notes) are in
the citizen's language once they chose one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.channels.web.session import COOKIE, Session, Sessions
from bot.dialogue import chat
from bot.dialogue.events import Button, Outcome, Reply
from bot.dialogue.prompt import MAIN_MOVES, Nav, Option, State
from bot.questionnaire.i18n import Locale

CHANNEL = "web"
TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Page:
    notices: list[str]
    text: str
    progress: str = ""
    choices: Sequence[Option | Nav | Button] = ()
    """Big buttons: the options, and moves that answer (send, begin, go on)."""
    navigation: Sequence[Option | Nav | Button] = ()
    typed: bool = False
    start: str | None = None
    open: bool = True
    """A questionnaire is open: the page offers to stop it."""
    heading: str | None = None
    """A loaded form's title instead of the page's own heading."""
    back: bool = False
    """A refusal that keeps the questionnaire: the link goes back to it, not to a new one."""


HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}


class Pages:
    """One municipality's pages: its name, its path (``prefix``), its sessions' CSRF."""

    def __init__(
        self,
        locale_of: Callable[[str | None], Locale],
        sessions: Sessions,
        locale: Locale,
        municipality: str,
        prefix: str,
        secure: bool,
        draft_lifetime: int,
    ) -> None:
        self.locale_of = locale_of
        """The texts of the citizen's language (the municipality's first otherwise)."""
        self.sessions = sessions
        self.locale = locale
        self.municipality = municipality
        self.prefix = prefix
        self.secure = secure
        """``WEB_BASE_URL`` is https: cookies are ``Secure`` even behind a plain-http proxy."""
        self.draft_lifetime = draft_lifetime
        environment = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True)
        )
        self.template = environment.get_template("page.html.j2")

    def render(
        self, request: Request, session: Session, outcome: Outcome, set_cookie: bool = False
    ) -> Response:
        """The last reply's prompt as the page; the replies before it as notices above (a
        form's introduction left out: the welcome page said it)."""
        locale = self.locale_of(outcome.language).for_channel(CHANNEL)
        replies = list(outcome.replies) or [Reply(locale.t("web.expired"))]
        *earlier, last = replies
        notices = [r.text for r in earlier if r.prompt is None or r.prompt.state is not State.INTRO]
        asked = last.prompt
        if asked is None:
            page = Page(notices, last.text, open=False)
        else:
            moves = asked.moves()
            page = Page(
                notices=notices,
                text=chat.body(asked),
                progress=asked.progress.label if asked.progress else "",
                choices=[*asked.options, *(m for m in moves if m.kind in MAIN_MOVES)],
                navigation=[m for m in moves if m.kind not in MAIN_MOVES],
                typed=asked.typed,
                open=asked.open,
                heading=asked.title,
            )
        return self.page(request, session, page, set_cookie=set_cookie, locale=locale)

    def page(
        self,
        request: Request,
        session: Session,
        page: Page,
        action: str | None = None,
        set_cookie: bool = False,
        status: int = 200,
        locale: Locale | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """``locale``: the citizen's language once they chose one (the page's own words
        around the question: title, buttons, notes); the municipality's first before."""
        t = (locale or self.locale).t
        html = self.template.render(
            t=t,
            title=t("web.title", municipality=self.municipality),
            heading=page.heading or t("web.heading"),
            municipality=self.municipality,
            notices=page.notices,
            progress=page.progress,
            text=page.text,
            form=bool(page.choices or page.navigation or page.typed),
            typed=page.typed,
            choices=page.choices,
            navigation=page.navigation,
            start=page.start,
            action=action or f"{self.prefix}/",
            home=f"{self.prefix}/",
            csrf=self.sessions.csrf(session),
            stoppable=page.open,
            again=not (page.choices or page.navigation or page.typed),
            again_label=t("web.back") if page.back else t("web.again"),
        )
        response = HTMLResponse(html, status_code=status, headers={**HEADERS, **(headers or {})})
        if set_cookie:
            lifetime = self.draft_lifetime
            self.set_cookie(request, response, COOKIE, session.cookie, lifetime)
        return response

    def set_cookie(
        self, request: Request, response: Response, name: str, value: str, lifetime: int
    ) -> None:
        """HttpOnly, SameSite=Lax, Secure behind https, for this municipality's path."""
        response.set_cookie(
            name,
            value,
            max_age=lifetime,
            httponly=True,
            secure=self.secure or request.url.scheme == "https",
            samesite="lax",
            path=f"{self.prefix}/",
        )

    def message(
        self,
        request: Request,
        text: str,
        status: int,
        replace_cookie: bool = False,
        back: bool = False,
        headers: dict[str, str] | None = None,
        locale: Locale | None = None,
    ) -> Response:
        """``replace_cookie``: the browser brought no session of ours; it gets one.
        ``back``: a refusal that keeps the questionnaire links back to it."""
        session = self.sessions.new()
        page = Page([], text, open=False, back=back)
        return self.page(
            request,
            session,
            page,
            set_cookie=replace_cookie,
            status=status,
            headers=headers,
            locale=locale,
        )
