"""The questionnaire in any web browser: one question a page, plain HTML forms, no script.

Each request is one event for the router, as a chat message is. An answer is posted and
answered with a redirect to the address of the next page (``answers``, ``positions``), so
the browser's Back and Forward work and a reload never sends again. Nothing of the request
— cookie, address, browser — is stored or logged; the server signs the cookie for this
municipality's path, renews it when a questionnaire begins and after one is sent, and its
HMAC keys the draft (see ``session``). Every form carries a CSRF token; completed forms, and
far more loosely page views, are limited per address in memory (``limits``; a registered
front-desk tablet, ``kiosk``, has its own limit); bodies over ``MAX_BODY`` get 413; jinja2
escapes every text. Refusals and errors are pages of their own (``errors``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.channels.port import ChannelLimits, Needs
from bot.channels.web import answers, kiosk, positions, welcome
from bot.channels.web.doors import Doors
from bot.channels.web.errors import ANY, Errors, NotFound
from bot.channels.web.limits import FormGate, FormLimit, ProxyCheck, RequestBudget
from bot.channels.web.notices import Notices
from bot.channels.web.pages import CHANNEL, Link, Page, Pages
from bot.channels.web.posting import Posting
from bot.channels.web.privacy import privacy_route
from bot.channels.web.session import Session, Sessions, handoff_path
from bot.dialogue.events import Event, Incoming, Outcome, Repeat, Reply, Sender, Stop
from bot.questionnaire import slip_codes

log = logging.getLogger(__name__)


class WebChannel:
    name = CHANNEL
    limits = ChannelLimits(reminders=False)

    def __init__(self, needs: Needs) -> None:
        self.needs = needs
        self.router = needs.router
        self.locale = needs.locale.for_channel(CHANNEL)
        self.sessions = Sessions(needs.keyer, needs.scope)
        self.notices = Notices(needs.keyer, needs.scope)
        self.requests = RequestBudget()
        self.proxy = ProxyCheck()
        settings = needs.settings
        self.languages = settings.citizen_languages
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
            settings.municipality_name,
            self.prefix,
            (settings.web_base_url or "").startswith("https://"),
            settings.draft_ttl_days * 86400,
        )
        self.errors = Errors(self)
        self.posting = Posting(self)
        self.doors = Doors(self)

    # --- the channel port ------------------------------------------------------------
    def routes(self) -> Sequence[BaseRoute]:
        prefix, guard, scope = self.prefix, self.errors.guard, self.needs.scope
        doors = self.doors
        routes: list[BaseRoute] = [
            Route(f"{prefix}/", guard(self.show, self.posting.answer), methods=ANY),
            Route(f"{prefix}{positions.PATH}{{key}}", guard(self.position), methods=ANY),
            Route(f"{prefix}/done", guard(self.done), methods=ANY),
            Route(f"{prefix}/stop", guard(self.stopping), methods=ANY),
            Route(f"{prefix}/q/{{service}}", guard(self.show), methods=ANY),
            Route(handoff_path(scope, "{token}"), guard(doors.handoff, doors.handoff), methods=ANY),
            Route(kiosk.kiosk_path(scope, "{code}"), guard(doors.enrol, doors.enrol), methods=ANY),
            privacy_route(prefix, self.router.locale_of, self.languages, self.pages.municipality),
            NotFound(f"{prefix}/", self.errors.not_found),
        ]
        if prefix:  # before the home municipality's /m/<token>, which would take it
            routes.insert(0, Route(prefix, self.errors.to_slash, methods=["GET"]))
        return routes

    async def start(self) -> None:
        log.info("the questionnaire in a web browser: %s", self.address())

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
        """The welcome, or the open questionnaire's page (at its own address)."""
        if (refused := await self.errors.refused(request)) is not None:
            return refused
        session, at_kiosk = await self.visitor(request)
        response = await self._show(request, session)
        if at_kiosk:
            self.seen_now(request, response)
        return response

    async def _show(self, request: Request, session: Session | None) -> Response:
        service = request.path_params.get("service")
        code = slip_codes.normalise(request.query_params.get("c", ""))
        if service is not None and code is not None:  # a desk slip's: used when begun
            service = slip_codes.join(service, code)
        if session is None:
            return self.welcome(request, self.sessions.new(), service, new=True)
        if service is not None:
            return self.welcome(request, session, service)
        outcome = await self.route(session, Repeat())
        if answers.nothing_open(outcome):
            return self.welcome(request, session, None)
        key = answers.key_of(outcome)
        if key is not None:
            return self.posting.redirect(request, positions.path(self.prefix, key))
        return self.shown(request, session, outcome)

    async def position(self, request: Request) -> Response:
        """A question's own address: shown if the questionnaire is there; an earlier one
        is gone back to (the browser's Back, as the page's own Back), a later one gone on
        to with the answers given before (its Forward), as far as they reach; any other
        address leads to where the questionnaire is."""
        if (refused := await self.errors.refused(request)) is not None:
            return refused
        session, at_kiosk = await self.visitor(request)
        home = f"{self.prefix}/"
        if session is None:
            return self.posting.redirect(request, home)
        key = request.path_params["key"]
        outcome = await self.route(session, Repeat())
        if answers.nothing_open(outcome):
            response = self.posting.redirect(request, home)
        else:
            here = answers.key_of(outcome)
            if answers.earlier(key, here):
                outcome = await answers.go_back_to(key, outcome, self.router_for(session))
            elif answers.earlier(here or "", key):
                outcome = await answers.go_forward_to(key, outcome, self.router_for(session))
            here = answers.key_of(outcome)
            if here == key:
                response = self.shown(request, session, outcome)
            else:
                response = self.posting.redirect(request, positions.path(self.prefix, here))
        if at_kiosk:
            self.seen_now(request, response)
        return response

    async def done(self, request: Request) -> Response:
        """The thanks after a questionnaire was sent (carried over the redirect), the
        page's own words in the language the thanks are in."""
        if (refused := await self.errors.refused(request)) is not None:
            return refused
        notices, main, language = self.notices.read(self.posting.notice_cookie(request))
        session = self._session(request) or self.sessions.new()
        if main is None:
            return self.posting.redirect(request, f"{self.prefix}/")
        said = self.pages.said(language or session.language)
        again = Link(said.t("web.again"), f"{self.prefix}/")
        page = Page(notices, main, open=False, link=again, results=self.pages.results_link(said))
        response = self.pages.page(request, session, page, locale=said)
        self.posting.forget_notice(request, response)
        return response

    async def stopping(self, request: Request) -> Response:
        """Asks before "stop" deletes the answers; the page's big button deletes them."""
        if (refused := await self.errors.refused(request)) is not None:
            return refused
        session = self._session(request)
        outcome = None if session is None else await self.route(session, Repeat())
        if session is None or outcome is None or answers.nothing_open(outcome):
            return self.posting.redirect(request, f"{self.prefix}/")
        said = self.pages.said(outcome.language or session.language)
        page = Page([], said.t("web.stop_question"), open=False, confirm=True)
        return self.pages.page(request, session, page, locale=said)

    def shown(
        self, request: Request, session: Session, outcome: Outcome, set_cookie: bool = False
    ) -> Response:
        """The page of ``outcome``, with what the last post had to say above it."""
        notices, _ = self.notices.unpack(self.posting.notice_cookie(request))
        response = self.pages.render(request, session, outcome, set_cookie, notices)
        if notices:
            self.posting.forget_notice(request, response)
        return response

    async def visitor(self, request: Request) -> tuple[Session | None, bool]:
        """The browser's session, and whether it is a kiosk's: a kiosk's questionnaire left
        idle is stopped first, so the next person finds the welcome."""
        session = self._session(request)
        at_kiosk = await self.kiosks.token_of(request, fresh=False) is not None
        if at_kiosk and session is not None and await self.left_idle(request, session):
            session = None
        return session, at_kiosk

    async def left_idle(self, request: Request, session: Session) -> bool:
        """A kiosk's questionnaire untouched for ``kiosk.IDLE``: stopped (its draft
        deleted), so the next person at the desk starts afresh."""
        if not self.kiosks.idle(request, self.router.clock().timestamp()):
            return False
        await self.route(session, Stop())
        return True

    def seen_now(self, request: Request, response: Response) -> None:
        value = self.kiosks.seen(self.router.clock().timestamp())
        self.pages.set_cookie(request, response, kiosk.SEEN, value, kiosk.LIFETIME)

    # --- helpers -----------------------------------------------------------------------
    def address_of(self, request: Request) -> str:
        """The address the limits count: the connection's, or the one a configured proxy
        forwarded (the HTTP server decides which to trust)."""
        host = request.client.host if request.client else ""
        self.proxy.see(host, request.headers.get("x-forwarded-for"))
        return host

    def _session(self, request: Request) -> Session | None:
        """The browser's session in this municipality; ``None`` for none, or for a value the
        server did not sign for it (forged, or another municipality's)."""
        return self.sessions.from_header(request.headers.get("cookie"))

    session_of = _session

    async def route(self, session: Session, event: Event, gate: FormGate | None = None) -> Outcome:
        sender = Sender(session.channel, session.user, draft_as=session.draft, may_send=gate)
        return await self.router.handle(Incoming(sender, event))

    def router_for(self, session: Session, gate: FormGate | None = None) -> answers.Route:
        """One session's turns, for going back step by step (or answering a page's
        questions one by one: ``gate`` then asks the limits where a form is sent)."""
        return lambda event: self.route(session, event, gate)

    def welcome(
        self, request: Request, session: Session, service: str | None, new: bool = False
    ) -> Response:
        """The introduction of the form the address names (``/q/kindergarten``)."""
        notices, _ = self.notices.unpack(self.posting.notice_cookie(request))
        page, said = welcome.page(self, session, service, notices)
        response = self.pages.page(request, session, page, set_cookie=new, locale=said)
        if notices:
            self.posting.forget_notice(request, response)
        return response

    def week_of(self) -> date:
        """The Monday of this week, for a kiosk's count of forms sent."""
        today = self.router.clock().astimezone(self.needs.settings.zone).date()
        return today - timedelta(days=today.weekday())
