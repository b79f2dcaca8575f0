"""The questionnaire in any web browser: one question a page, plain HTML forms, no script.

Each request is one event for the router, as a chat message is: the page shows the reply.
Nothing of the request — cookie, address, browser — is stored or logged; the server signs
the cookie for this municipality's path, renews it when a questionnaire begins and after one
is sent, and its HMAC keys the draft (see ``session``). Every form carries a CSRF token;
completed forms, and far more loosely page views, are limited per address in memory
(``limits``; a registered front-desk tablet, ``kiosk``, has its own limit); bodies over ``MAX_BODY``
get 413; jinja2 escapes every text.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.channels.port import ChannelLimits, Needs
from bot.channels.web import kiosk
from bot.channels.web.limits import FormGate, FormLimit, ProxyCheck, RequestBudget
from bot.channels.web.pages import CHANNEL, Page, Pages
from bot.channels.web.session import Session, Sessions, handoff_path, read_handoff
from bot.dialogue.callbacks import Language, Restart, decode
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
from bot.dialogue.prompt import State
from bot.questionnaire import slip_codes
from bot.wiring.once_a_minute import once_a_minute

log = logging.getLogger(__name__)

MAX_BODY = 32 * 1024
"""A page's form: one answer of at most 1,000 characters, a few fields."""


class WebChannel:
    name = CHANNEL
    limits = ChannelLimits(reminders=False)

    def __init__(self, needs: Needs) -> None:
        self.needs = needs
        self.router = needs.router
        self.locale = needs.locale.for_channel(CHANNEL)
        self.sessions = Sessions(needs.keyer, needs.scope)
        self.requests = RequestBudget()
        self.proxy = ProxyCheck()
        settings = needs.settings
        self.forms = FormLimit(
            settings.web_forms_per_hour, total_per_hour=settings.web_forms_per_hour_total
        )
        self.kiosk_forms = FormLimit(kiosk.FORMS_PER_HOUR)
        self.kiosks = kiosk.Kiosks(needs.keyer, needs.scope, needs.router.units)
        self.prefix = "" if needs.scope is None else f"/m/{needs.scope}"
        """The home municipality at ``/``, every other one at ``/m/<code>/``."""
        self.pages = Pages(
            needs.router.locale_of,
            self.sessions,
            self.locale,
            needs.settings.municipality_name,
            self.prefix,
            (needs.settings.web_base_url or "").startswith("https://"),
            needs.settings.draft_ttl_days * 86400,
        )

    # --- the channel port ------------------------------------------------------------
    def routes(self) -> Sequence[BaseRoute]:
        prefix = self.prefix
        routes = [
            Route(f"{prefix}/", self.show, methods=["GET"]),
            Route(f"{prefix}/", self.answer, methods=["POST"]),
            Route(f"{prefix}/q/{{service}}", self.show, methods=["GET"]),
            Route(handoff_path(self.needs.scope, "{token}"), self.handoff, methods=["GET", "POST"]),
            Route(
                kiosk.kiosk_path(self.needs.scope, "{code}"), self.enrol, methods=["GET", "POST"]
            ),
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
        if (refused := await self._refused(request)) is not None:
            return refused
        session = self._session(request)
        at_kiosk = await self.kiosks.token_of(request, fresh=False) is not None
        if at_kiosk and session is not None and await self._left_idle(request, session):
            session = None
        response = await self._show(request, session)
        if at_kiosk:
            self._seen_now(request, response)
        return response

    async def _show(self, request: Request, session: Session | None) -> Response:
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
        return self.pages.render(request, session, outcome)

    async def answer(self, request: Request) -> Response:
        if (refused := await self._refused(request)) is not None:
            return refused
        form = await self._form(request)
        if form is None:
            return self.pages.message(request, self.locale.t("web.too_large"), 413)
        given = self._session(request)
        if given is None or not self.sessions.csrf_valid(given, form.get("csrf", "")):
            once_a_minute(log).info("refused", "forms without a valid session or CSRF token")
            text = self.locale.t("web.expired")
            return self.pages.message(request, text, 403, replace_cookie=given is None)
        token = await self.kiosks.token_of(request)
        if token is not None and await self._left_idle(request, given):
            response = self._welcome(request, self.sessions.new(), None, new=True)
            self._seen_now(request, response)
            return response
        event = _event(form)
        if token is not None:
            gate = FormGate(self.kiosk_forms, token)
        else:
            gate = FormGate(self.forms, self._address(request))
        sent = False
        try:
            session, outcome, sent = await self._answer(given, event, gate, token is not None)
        finally:
            gate.settle(sent)
        if sent and token is not None:
            today = self.router.clock().astimezone(self.needs.settings.zone).date()
            await self.kiosks.count_sent(token, today - timedelta(days=today.weekday()))
        if gate.wait:
            response = self._come_back(request, gate.wait, outcome.language)
        else:
            response = self.pages.render(request, session, outcome, set_cookie=session != given)
        if token is not None:
            self._seen_now(request, response)
        return response

    async def _left_idle(self, request: Request, session: Session) -> bool:
        """A kiosk's questionnaire untouched for ``kiosk.IDLE``: stopped (its draft
        deleted), so the next person at the desk starts afresh."""
        if not self.kiosks.idle(request, self.router.clock().timestamp()):
            return False
        await self._route(session, Stop())
        return True

    def _seen_now(self, request: Request, response: Response) -> None:
        value = self.kiosks.seen(self.router.clock().timestamp())
        self.pages.set_cookie(request, response, kiosk.SEEN, value, kiosk.LIFETIME)

    async def _answer(
        self, given: Session, event: Event, gate: FormGate, kiosk: bool
    ) -> tuple[Session, Outcome, bool]:
        """One posted form worked out: the session the page goes on with, what to show,
        and whether a questionnaire was sent. The limits are asked by the turn where a form
        really goes into the box (``gate``), however the send was asked for: a press of
        the button, or its label typed (answers stay in the draft when it is refused)."""
        session = await self._for_beginning(given, event)
        outcome = await self._route(session, event, gate)
        sent = _sent(outcome)
        return await self._after_ending(session, event, sent, kiosk), outcome, sent

    def _come_back(self, request: Request, wait: int, language: str | None) -> Response:
        """Over the form limit: the answers stay in the draft; the page says, in the
        citizen's language, from what time (rounded up to the minute) to send them."""
        settings = self.needs.settings
        at = (self.router.clock() + timedelta(seconds=wait + 59)).astimezone(settings.zone)
        said = self.router.locale_of(language).for_channel(CHANNEL)
        text = said.t("web.form_limit", time=at.strftime("%H:%M"))
        headers = {"Retry-After": str(wait)}
        return self.pages.message(request, text, 429, back=True, headers=headers, locale=said)

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

    async def _after_ending(
        self, session: Session, event: Event, sent: bool, kiosk: bool = False
    ) -> Session:
        """After a send (the draft is gone) or a stop, the browser gets a new value: the
        one that keyed the questionnaire just ended is of no more use to anyone. A kiosk's
        next citizen is someone else: its browser value is new too (so one person's daily
        limit is not the whole front desk's)."""
        if isinstance(event, Stop) or sent:
            return self.sessions.new() if kiosk else self.sessions.renewed(session)
        return session

    async def _has_draft(self, session: Session) -> bool:
        return not self._nothing_open(await self._route(session, Repeat()))

    async def handoff(self, request: Request) -> Response:
        """Messenger's in-app browser opens ``/m/<token>``; a press of the button turns the
        one-use token into this browser's session (see docs/anonymity.md)."""
        if (refused := await self._refused(request)) is not None:
            return refused
        token = request.path_params["token"]
        keyer = self.needs.keyer
        handle = read_handoff(keyer, token, scope=self.needs.scope)
        if handle is None:  # forged, expired, or another municipality's
            return self.pages.message(request, self.locale.t("web.link_used"), 410)
        if request.method == "GET":  # in the language chosen in the chat, if one was
            seen = await self._route(self.sessions.for_messenger(handle), Repeat())
            said = self.router.locale_of(seen.language).for_channel(CHANNEL)
            begin = (Button(said.t("web.begin"), "go"),)
            page = Page([], said.t("web.from_messenger"), choices=begin, open=False)
            action = handoff_path(self.needs.scope, token)
            session = Session(token, CHANNEL, token)
            return self.pages.page(request, session, page, action, locale=said)
        form = await self._form(request)
        if form is None or not self.sessions.csrf_valid(
            Session(token, CHANNEL, token), form.get("csrf", "")
        ):
            return self.pages.message(request, self.locale.t("web.expired"), 403)
        used = keyer.update_key("web/handoff-used", token)
        if not await self.router.first_use("web-handoff", used):
            return self.pages.message(request, self.locale.t("web.link_used"), 410)
        session = self.sessions.for_messenger(handle)
        outcome = await self._route(session, Repeat())
        return self.pages.render(request, session, outcome, set_cookie=True)

    async def enrol(self, request: Request) -> Response:
        """Staff open a kiosk's one-use link on the tablet (``feedback-bot kiosk add``); a
        press of the button, not the opening (a link preview), uses it up."""
        if (refused := await self._refused(request)) is not None:
            return refused
        code = request.path_params["code"]
        action = kiosk.kiosk_path(self.needs.scope, code)
        session = Session(code, CHANNEL, code)
        if request.method == "GET":
            begin = (Button(self.locale.t("web.kiosk_button"), "go"),)
            page = Page([], self.locale.t("web.kiosk_ask"), choices=begin, open=False)
            return self.pages.page(request, session, page, action)
        form = await self._form(request)
        if form is None or not self.sessions.csrf_valid(session, form.get("csrf", "")):
            return self.pages.message(request, self.locale.t("web.expired"), 403)
        token = await self.kiosks.enrol(code)
        if token is None:
            return self.pages.message(request, self.locale.t("web.kiosk_link_used"), 410)
        response = self.pages.message(request, self.locale.t("web.kiosk_ready"), 200)
        self.pages.set_cookie(request, response, kiosk.COOKIE, token, kiosk.LIFETIME)
        return response

    # --- helpers -----------------------------------------------------------------------
    async def _refused(self, request: Request) -> Response | None:
        """Past the page-view budget (a flood, not people): 429 with ``Retry-After``,
        unless the request comes from a kiosk."""
        wait = self.requests.wait(self._address(request))
        if not wait or await self.kiosks.token_of(request, fresh=False) is not None:
            return None
        text = self.locale.t("web.too_many")
        return self.pages.message(request, text, 429, back=True, headers={"Retry-After": str(wait)})

    @staticmethod
    async def _form(request: Request) -> dict[str, str] | None:
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                return None
        fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        return {name: values[0] for name, values in fields.items()}

    def _address(self, request: Request) -> str:
        """The address the limits count: the connection's, or the one a configured proxy
        forwarded (the HTTP server decides which to trust)."""
        host = request.client.host if request.client else ""
        self.proxy.see(host, request.headers.get("x-forwarded-for"))
        return host

    def _session(self, request: Request) -> Session | None:
        """The browser's session in this municipality; ``None`` for none, or for a value the
        server did not sign for it (forged, or another municipality's)."""
        return self.sessions.from_header(request.headers.get("cookie"))

    async def _route(self, session: Session, event: Event, gate: FormGate | None = None) -> Outcome:
        sender = Sender(session.channel, session.user, draft_as=session.draft, may_send=gate)
        return await self.router.handle(Incoming(sender, event))

    @staticmethod
    def _nothing_open(outcome: Outcome) -> bool:
        """The citizen has no questionnaire open (asked by showing the current prompt)."""
        return any(r.prompt and r.prompt.state is State.NOTHING_OPEN for r in outcome.replies)

    def _welcome(
        self, request: Request, session: Session, service: str | None, new: bool = False
    ) -> Response:
        """The introduction of the form the address names (``/q/kindergarten``)."""
        intro = self.router.introduction(service, CHANNEL)
        begin = (Button(self.locale.t("web.begin"), "start"),)
        page = Page(
            [], intro.text, choices=begin, start=service or "", open=False, heading=intro.title
        )
        return self.pages.page(request, session, page, set_cookie=new)


def _sent(outcome: Outcome) -> bool:
    """The turn sent a questionnaire: it closes with the thanks."""
    return any(r.prompt and r.prompt.state is State.CLOSING for r in outcome.replies)


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
