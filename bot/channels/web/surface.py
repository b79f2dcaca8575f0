"""What the web channel's parts — its error pages (``errors``), its posted answers
(``posting``), its welcome (``welcome``) and its two other doors (``doors``) — use of the
channel, as a protocol.

``channel.WebChannel`` satisfies it; the parts name only this, so the channel and its parts
do not import each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from bot.channels.port import ChannelLimits, Needs
    from bot.channels.web.answers import Route
    from bot.channels.web.kiosk import Kiosks
    from bot.channels.web.limits import FormGate, FormLimit, RequestBudget
    from bot.channels.web.notices import Notices
    from bot.channels.web.pages import Pages
    from bot.channels.web.session import Session, Sessions
    from bot.dialogue.events import Event, Outcome
    from bot.dialogue.router import Router
    from bot.questionnaire.i18n import Locale


class ErrorPages(Protocol):
    async def refused(self, request: Request) -> Response | None: ...

    def expired(self, request: Request, given: Session | None) -> Response: ...

    def too_large(self, request: Request) -> Response: ...

    def come_back(self, request: Request, wait: int, language: str | None) -> Response: ...


class Redirects(Protocol):
    def redirect(
        self,
        request: Request,
        path: str,
        session: Session | None = None,
        notices: list[str] | None = None,
        main: str | None = None,
        language: str | None = None,
    ) -> Response: ...


class Web(Protocol):
    needs: Needs
    router: Router
    locale: Locale
    limits: ChannelLimits
    prefix: str
    languages: Sequence[str]
    pages: Pages
    sessions: Sessions
    notices: Notices
    requests: RequestBudget
    forms: FormLimit
    kiosk_forms: FormLimit
    kiosks: Kiosks
    errors: ErrorPages
    posting: Redirects

    def address_of(self, request: Request) -> str: ...

    def session_of(self, request: Request) -> Session | None: ...

    async def left_idle(self, request: Request, session: Session) -> bool: ...

    def seen_now(self, request: Request, response: Response) -> None: ...

    async def route(
        self, session: Session, event: Event, gate: FormGate | None = None
    ) -> Outcome: ...

    def router_for(self, session: Session) -> Route: ...

    def week_of(self) -> date: ...
