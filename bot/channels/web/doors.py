"""The two doors into the web page that are not the questionnaire's own: Messenger's
hand-over link (a one-use token that becomes this browser's session) and a kiosk's
enrolment link (a one-use code that makes a tablet the municipality's kiosk)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from bot.channels.web import kiosk
from bot.channels.web.errors import read_form
from bot.channels.web.pages import CHANNEL, Page
from bot.channels.web.session import Session, handoff_path, read_handoff
from bot.dialogue.events import Button, Repeat

if TYPE_CHECKING:
    from bot.channels.web.surface import Web


class Doors:
    def __init__(self, web: Web) -> None:
        self.web = web

    async def handoff(self, request: Request) -> Response:
        """Messenger's in-app browser opens ``/m/<token>``; a press of the button turns the
        one-use token into this browser's session (see docs/anonymity.md)."""
        web = self.web
        if (refused := await web.errors.refused(request)) is not None:
            return refused
        token = request.path_params["token"]
        keyer = web.needs.keyer
        handle = read_handoff(keyer, token, scope=web.needs.scope)
        if handle is None:  # forged, expired, or another municipality's
            return web.pages.message(request, web.locale.t("web.link_used"), 410)
        if request.method != "POST":  # in the language chosen in the chat, if one was
            seen = await web.route(web.sessions.for_messenger(handle), Repeat())
            said = web.pages.said(seen.language)
            begin = (Button(said.t("web.begin"), "go"),)
            page = Page([], said.t("web.from_messenger"), choices=begin, open=False)
            action = handoff_path(web.needs.scope, token)
            session = Session(token, CHANNEL, token)
            return web.pages.page(request, session, page, action, locale=said)
        form = await read_form(request)
        if form is None or not web.sessions.csrf_valid(
            Session(token, CHANNEL, token), form.get("csrf", "")
        ):
            return web.errors.expired(request, None)
        used = keyer.update_key("web/handoff-used", token)
        if not await web.router.first_use("web-handoff", used):
            return web.pages.message(request, web.locale.t("web.link_used"), 410)
        session = web.sessions.for_messenger(handle)
        return web.posting.redirect(request, f"{web.prefix}/", session)

    async def enrol(self, request: Request) -> Response:
        """Staff open a kiosk's one-use link on the tablet (``feedback-bot kiosk add``); a
        press of the button, not the opening (a link preview), uses it up."""
        web = self.web
        if (refused := await web.errors.refused(request)) is not None:
            return refused
        code = request.path_params["code"]
        action = kiosk.kiosk_path(web.needs.scope, code)
        session = Session(code, CHANNEL, code)
        if request.method != "POST":
            begin = (Button(web.locale.t("web.kiosk_button"), "go"),)
            page = Page([], web.locale.t("web.kiosk_ask"), choices=begin, open=False)
            return web.pages.page(request, session, page, action)
        form = await read_form(request)
        if form is None or not web.sessions.csrf_valid(session, form.get("csrf", "")):
            return web.errors.expired(request, None)
        token = await web.kiosks.enrol(code)
        if token is None:
            return web.pages.message(request, web.locale.t("web.kiosk_link_used"), 410)
        response = web.pages.message(request, web.locale.t("web.kiosk_ready"), 200)
        web.pages.set_cookie(request, response, kiosk.COOKIE, token, kiosk.LIFETIME)
        return response
