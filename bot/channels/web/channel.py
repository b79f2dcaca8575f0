"""The questionnaire in any web browser: one question a page, plain HTML forms, no script.

Each request is one event for the router, as a chat message is: the page shows the reply.
Nothing of the request — cookie, address, browser — is stored or logged; the server signs
the cookie for this municipality's path, renews it when a questionnaire begins and after one
is sent, and its HMAC keys the draft (see ``session``). Every form carries a CSRF token;
requests are limited per address in memory; bodies over ``MAX_BODY`` get 413; jinja2 escapes
every text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.channels.port import ChannelLimits, Needs
from bot.channels.web.session import (
    COOKIE,
    RateLimit,
    Session,
    Sessions,
    handoff_path,
    read_handoff,
)
from bot.dialogue.callbacks import Language, Restart, Resume, decode
from bot.dialogue.events import (
    Button,
    Event,
    Incoming,
    Outcome,
    Press,
    Repeat,
    Reply,
    Sender,
    Start,
    Stop,
    Text,
)
from bot.questionnaire import slip_codes
from bot.questionnaire.engine import ChangeAnswer, Choose, Pick, Submit
from bot.questionnaire.i18n import Locale

log = logging.getLogger(__name__)

CHANNEL = "web"
MAX_BODY = 32 * 1024
"""A page's form: one answer of at most 1,000 characters, a few fields."""
PROGRESS = re.compile(r"^[^\n]{1,40} \d+ / \d+$")
CHOICES = (Choose, Pick, Submit, ChangeAnswer, Resume, Restart)
TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Page:
    notices: list[str]
    text: str
    progress: str = ""
    choices: Sequence[Button] = ()
    navigation: Sequence[Button] = ()
    typed: bool = False
    start: str | None = None
    open: bool = True
    """A questionnaire is open: the page offers to stop it."""
    heading: str | None = None
    """A loaded form's title instead of the page's own heading."""


class WebChannel:
    name = CHANNEL
    limits = ChannelLimits(reminders=False)

    def __init__(self, needs: Needs) -> None:
        self.needs = needs
        self.router = needs.router
        self.locale = needs.locale.for_channel(CHANNEL)
        self.sessions = Sessions(needs.keyer, needs.scope)
        self.rate = RateLimit()
        self.secure = (needs.settings.web_base_url or "").startswith("https://")
        environment = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True)
        )
        self.template = environment.get_template("page.html.j2")
        self.municipality = needs.settings.municipality_name
        self.prefix = "" if needs.scope is None else f"/m/{needs.scope}"
        """The home municipality at ``/``, every other one at ``/m/<code>/``."""

    # --- the channel port ------------------------------------------------------------
    def routes(self) -> Sequence[BaseRoute]:
        prefix = self.prefix
        routes = [
            Route(f"{prefix}/", self.show, methods=["GET"]),
            Route(f"{prefix}/", self.answer, methods=["POST"]),
            Route(f"{prefix}/q/{{service}}", self.show, methods=["GET"]),
            Route(handoff_path(self.needs.scope, "{token}"), self.handoff, methods=["GET", "POST"]),
        ]
        if prefix:  # before the home municipality's /m/<token>, which would take it
            routes.insert(0, Route(prefix, self._to_slash, methods=["GET"]))
        return routes

    async def _to_slash(self, _request: Request) -> Response:
        return RedirectResponse(f"{self.prefix}/", status_code=308)

    async def start(self) -> None:
        log.info(self.locale.t("web.listening", url=self.address()))

    async def stop(self) -> None:
        return None

    async def send(self, address: str, reply: Reply) -> bool:
        return False  # a web page cannot be written to: the browser asks, we answer

    async def remind(self, address: str) -> bool:
        return False

    def staff_outbox(self) -> None:
        return None

    def address(self) -> str:
        settings = self.needs.settings
        if settings.web_base_url:
            return settings.web_base_url.rstrip("/") + self.prefix + "/"
        return f"http://{settings.webhook_host}:{settings.webhook_port}{self.prefix}/"

    # --- pages -------------------------------------------------------------------------
    async def show(self, request: Request) -> Response:
        if (refused := self._refused(request)) is not None:
            return refused
        session = self._session(request)
        service = request.path_params.get("service")
        code = slip_codes.normalise(request.query_params.get("c", ""))
        if service is not None and code is not None:  # a desk slip's: used when begun
            service = slip_codes.join(service, code)
        if session is None:
            return self._welcome(request, self.sessions.new(), service, new=True)
        if service is not None:
            return self._welcome(request, session, service)
        outcome = await self._route(session, Repeat())
        if self._nothing_open(outcome):
            return self._welcome(request, session, None)
        return self._render(request, session, outcome)

    async def answer(self, request: Request) -> Response:
        if (refused := self._refused(request)) is not None:
            return refused
        form = await self._form(request)
        if form is None:
            return self._message(request, self.locale.t("web.too_large"), 413)
        given = self._session(request)
        if given is None or not self.sessions.csrf_valid(given, form.get("csrf", "")):
            log.info("a web form without a valid session or CSRF token was refused")
            text = self.locale.t("web.expired")
            return self._message(request, text, 403, replace_cookie=given is None)
        event = _event(form)
        session = await self._for_beginning(given, event)
        outcome = await self._route(session, event)
        session = await self._after_ending(session, event)
        return self._render(request, session, outcome, set_cookie=session != given)

    async def _for_beginning(self, session: Session, event: Event) -> Session:
        """A questionnaire begins under a value issued now, never under the one the browser
        brought: someone who obtained a session and planted it in this browser knows that
        one. ``Restart`` always begins anew (the old draft is stopped first); a start,
        a language chosen or a form's name typed do when nothing is open under the cookie
        (otherwise they show or go on with the open questionnaire)."""
        action = decode(event.data) if isinstance(event, Press) else None
        if isinstance(action, Restart):
            await self._route(session, Stop())
            return self.sessions.renewed(session)
        may_begin = isinstance(event, Start | Text) or isinstance(action, Language)
        if may_begin and not await self._has_draft(session):
            return self.sessions.renewed(session)
        return session

    async def _after_ending(self, session: Session, event: Event) -> Session:
        """After "send" (the draft is gone) or a stop, the browser gets a new value: the
        one that keyed the questionnaire just ended is of no more use to anyone."""
        if isinstance(event, Stop):
            return self.sessions.renewed(session)
        sent = isinstance(event, Press) and isinstance(decode(event.data), Submit)
        if sent and not await self._has_draft(session):
            return self.sessions.renewed(session)
        return session

    async def _has_draft(self, session: Session) -> bool:
        return not self._nothing_open(await self._route(session, Repeat()))

    async def handoff(self, request: Request) -> Response:
        """Messenger's in-app browser opens ``/m/<token>``; a press of the button turns the
        one-use token into this browser's session (see docs/anonymity.md)."""
        if (refused := self._refused(request)) is not None:
            return refused
        token = request.path_params["token"]
        keyer = self.needs.keyer
        handle = read_handoff(keyer, token, scope=self.needs.scope)
        if handle is None:  # forged, expired, or another municipality's
            return self._message(request, self.locale.t("web.link_used"), 410)
        if request.method == "GET":  # in the language chosen in the chat, if one was
            seen = await self._route(self.sessions.for_messenger(handle), Repeat())
            said = self.router.conversation.locale_of(seen.language).for_channel(CHANNEL)
            begin = (Button(said.t("web.begin"), "go"),)
            page = Page([], said.t("web.from_messenger"), choices=begin, open=False)
            action = handoff_path(self.needs.scope, token)
            session = Session(token, CHANNEL, token)
            return self._page(request, session, page, action, locale=said)
        form = await self._form(request)
        if form is None or not self.sessions.csrf_valid(
            Session(token, CHANNEL, token), form.get("csrf", "")
        ):
            return self._message(request, self.locale.t("web.expired"), 403)
        async with self.router.units() as uow:
            first = await uow.deliveries.first(
                "web-handoff", keyer.update_key("web/handoff-used", token), self.router.clock()
            )
            await uow.commit()
        if not first:
            return self._message(request, self.locale.t("web.link_used"), 410)
        session = self.sessions.for_messenger(handle)
        outcome = await self._route(session, Repeat())
        return self._render(request, session, outcome, set_cookie=True)

    # --- helpers -----------------------------------------------------------------------
    def _refused(self, request: Request) -> Response | None:
        address = request.client.host if request.client else ""
        if not self.rate.allow(address):
            return self._message(request, self.locale.t("web.too_many"), 429)
        return None

    @staticmethod
    async def _form(request: Request) -> dict[str, str] | None:
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                return None
        fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        return {name: values[0] for name, values in fields.items()}

    def _session(self, request: Request) -> Session | None:
        """The browser's session in this municipality; ``None`` for none, or for a value the
        server did not sign for it (forged, or another municipality's)."""
        return self.sessions.from_header(request.headers.get("cookie"))

    async def _route(self, session: Session, event: Event) -> Outcome:
        sender = Sender(session.channel, session.user, draft_as=session.draft)
        return await self.router.handle(Incoming(sender, event))

    def _nothing_open(self, outcome: Outcome) -> bool:
        no_draft = self.locale.t("session.no_draft")
        return any(reply.text == no_draft for reply in outcome.replies)

    def _intro(self, payload: str | None = None) -> str:
        """The introduction of the form the address names (``/q/kindergarten``)."""
        return self.router.conversation.intro_for(payload, CHANNEL)

    def _welcome(
        self, request: Request, session: Session, service: str | None, new: bool = False
    ) -> Response:
        intro = self._intro(service)
        begin = (Button(self.locale.t("web.begin"), "start"),)
        heading = self.router.conversation.heading_for(service)
        page = Page([], intro, choices=begin, start=service or "", open=False, heading=heading)
        return self._page(request, session, page, set_cookie=new)

    def _render(
        self, request: Request, session: Session, outcome: Outcome, set_cookie: bool = False
    ) -> Response:
        said = self.router.conversation.locale_of(outcome.language).for_channel(CHANNEL)
        replies = list(outcome.replies) or [Reply(said.t("web.expired"))]
        *earlier, last = replies
        lines = last.text.split("\n")
        progress = lines[0] if PROGRESS.match(lines[0]) else ""
        text = "\n".join(lines[1:]).strip() if progress else last.text
        buttons = [button for row in last.buttons for button in row]
        choices = [b for b in buttons if isinstance(decode(b.data), CHOICES)]
        navigation = [b for b in buttons if b not in choices]
        conversation = self.router.conversation
        locale = conversation.locale_of(outcome.language).for_channel(CHANNEL)
        page = Page(
            notices=[r.text for r in earlier if not conversation.is_intro(r.text, CHANNEL)],
            text=text,
            progress=progress,
            choices=choices,
            navigation=navigation,
            typed=last.typed,
            open=bool(progress) or any(isinstance(decode(b.data), Submit | Pick) for b in buttons),
            heading=last.heading,
        )
        return self._page(request, session, page, set_cookie=set_cookie, locale=locale)

    def _page(
        self,
        request: Request,
        session: Session,
        page: Page,
        action: str | None = None,
        set_cookie: bool = False,
        status: int = 200,
        locale: Locale | None = None,
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
        )
        response = HTMLResponse(html, status_code=status, headers=HEADERS)
        if set_cookie:
            response.set_cookie(
                COOKIE,
                session.cookie,
                max_age=self.needs.settings.draft_ttl_days * 86400,
                httponly=True,
                secure=self.secure or request.url.scheme == "https",
                samesite="lax",
                path=f"{self.prefix}/",
            )
        return response

    def _message(
        self, request: Request, text: str, status: int, replace_cookie: bool = False
    ) -> Response:
        """``replace_cookie``: the browser brought no session of ours; it gets one."""
        session = self.sessions.new()
        page = Page([], text, open=False)
        return self._page(request, session, page, set_cookie=replace_cookie, status=status)


HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}


def _event(form: dict[str, str]) -> Event:
    """The form a page posted, as the event a chat message would be."""
    if form.get("stop"):
        return Stop()
    if "start" in form:
        return Start(form["start"].strip() or None)
    if form.get("b"):
        return Press(form["b"])
    if "text" in form:
        return Text(form["text"].replace("\r\n", "\n"))
    return Repeat()
