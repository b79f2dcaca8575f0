"""A web page of the questionnaire: the reply of a turn as HTML, its headers and cookies.

The pages carry no script; jinja2 escapes every text a citizen typed; every response has
the same strict headers (``HEADERS``). The page's own words (title, buttons, notes) are in
the citizen's language once they chose one. Every question page has the same controls: the
progress line, the question, the answers, Back/Skip, and a "stop" link to a page that asks
before anything is deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.channels.web import positions
from bot.channels.web.field_list import Field, fields_of, first_of
from bot.channels.web.session import COOKIE, Session, Sessions
from bot.dialogue import chat
from bot.dialogue.events import Button, Outcome, Reply
from bot.dialogue.prompt import MAIN_MOVES, Move, Nav, Option, State
from bot.questionnaire.i18n import Locale

CHANNEL = "web"
TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Link:
    """The one way on from a page that asks nothing (a thank-you, a refusal)."""

    label: str
    href: str


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
    link: Link | None = None
    """Where a page without a form leads (``None``: the questionnaire's start)."""
    at: str | None = None
    """The page's position (``positions``): its form says which question it answers."""
    lead: str = ""
    """The welcome's "choose your language", in each language, above ``languages``."""
    languages: Sequence[tuple[str, Button]] = ()
    """The welcome's languages (code, button), each in its own words, at the top."""
    confirm: bool = False
    """The page asks before stopping: its big button deletes the answers."""
    ends: bool = False
    """Nothing more to do here today (the daily limit): no link on."""
    results: Link | None = None
    """The thank-you's way to the public results page (``/results``)."""
    fields: Sequence[Field] = ()
    """A ``field-list`` group's questions, all on this one page (``field_list``)."""


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

    def said(self, language: str | None) -> Locale:
        """The page's own words in ``language`` (the municipality's first otherwise)."""
        return self.locale_of(language or None).for_channel(CHANNEL)

    def render(
        self,
        request: Request,
        session: Session,
        outcome: Outcome,
        set_cookie: bool = False,
        notices: Sequence[str] = (),
    ) -> Response:
        """The last reply's prompt as the page; the replies before it as notices above (a
        form's introduction left out: the welcome page said it)."""
        locale = self.said(outcome.language or session.language)
        page = self.of(outcome, locale, notices)
        return self.page(request, session, page, set_cookie=set_cookie, locale=locale)

    def of(self, outcome: Outcome, locale: Locale, notices: Sequence[str] = ()) -> Page:
        replies = list(outcome.replies) or [Reply(locale.t("web.expired"))]
        *earlier, last = replies
        shown = [*notices]
        shown += [r.text for r in earlier if r.prompt is None or r.prompt.state is not State.INTRO]
        asked = last.prompt
        if asked is None:
            return Page(shown, last.text, open=False, ends=True)
        moves = asked.moves()
        fields, first = fields_of(asked), first_of(asked)
        if fields:  # its own "go on" answers them all; Back is its first's; Skip, a blank
            moves = tuple(m for m in first.moves() if m.kind is Move.BACK)
        return Page(
            notices=shown,
            text=first.section if fields else chat.body(asked),
            fields=fields,
            progress="" if fields else asked.progress.label if asked.progress else "",
            choices=[] if fields else [*asked.options, *(m for m in moves if m.kind in MAIN_MOVES)],
            navigation=[m for m in moves if m.kind not in MAIN_MOVES],
            typed=asked.typed and not fields,
            open=asked.open,
            heading=asked.title,
            at=positions.key_of(first),
        )

    def results_link(self, locale: Locale) -> Link:
        return Link(locale.t("results.to_results"), f"{self.prefix}/results")

    def home_link(self, locale: Locale) -> Link:
        return Link(locale.t("web.to_start"), f"{self.prefix}/")

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
        t = (locale or self.said(session.language)).t
        form = bool(page.choices or page.navigation or page.typed or page.fields)
        quiet = form or page.confirm or page.ends
        html = self.template.render(
            t=t,
            title=t("web.title", municipality=self.municipality),
            heading=page.heading or t("web.heading"),
            municipality=self.municipality,
            page=page,
            form=form,
            action=action or f"{self.prefix}/",
            home=f"{self.prefix}/",
            stop=f"{self.prefix}/stop",
            csrf=self.sessions.csrf(session),
            link=None if quiet else (page.link or self.home_link(locale or self.locale)),
            asking=page.progress or page.at,
        )
        response = HTMLResponse(html, status_code=status, headers={**HEADERS, **(headers or {})})
        if set_cookie:
            self.keep(request, response, session)
        return response

    def keep(self, request: Request, response: Response, session: Session) -> None:
        """The browser keeps (or replaces) its session for the draft's lifetime."""
        self.set_cookie(request, response, COOKIE, session.cookie, self.draft_lifetime)

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
        link: Link | None = None,
        headers: dict[str, str] | None = None,
        locale: Locale | None = None,
    ) -> Response:
        """A page that asks nothing: a refusal or an error, with the right way on (``link``;
        the questionnaire's start by default). ``replace_cookie``: the browser brought no
        session of ours; it gets one."""
        session = self.sessions.new()
        page = Page([], text, open=False, link=link)
        return self.page(
            request,
            session,
            page,
            set_cookie=replace_cookie,
            status=status,
            headers=headers,
            locale=locale,
        )
