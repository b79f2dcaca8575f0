"""A posted answer, from the form to the redirect (post/redirect/get; see ``answers``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.channels.web import answers, field_list, positions
from bot.channels.web.errors import read_form
from bot.channels.web.limits import FormGate
from bot.channels.web.notices import COOKIE as NOTICE
from bot.channels.web.notices import LIFETIME
from bot.channels.web.pages import HEADERS
from bot.channels.web.session import Session, cookie_values
from bot.common.once_a_minute import once_a_minute
from bot.dialogue.callbacks import Restart, decode
from bot.dialogue.events import Event, Outcome, Press, Repeat, Start, Stop, Text
from bot.dialogue.prompt import State

if TYPE_CHECKING:
    from bot.channels.web.surface import Web

log = logging.getLogger("bot.channels.web.channel")


class Posting:
    """The answers of one municipality's pages."""

    def __init__(self, web: Web) -> None:
        self.web = web

    async def answer(self, request: Request) -> Response:
        web = self.web
        if (refused := await web.errors.refused(request)) is not None:
            return refused
        form = await read_form(request)
        if form is None:
            return web.errors.too_large(request)
        given = web.session_of(request)
        if given is None or not web.sessions.csrf_valid(given, form.get("csrf", "")):
            once_a_minute(log).info("refused", "forms without a valid session or CSRF token")
            return web.errors.expired(request, given)
        token = await web.kiosks.token_of(request)
        if token is not None and await web.left_idle(request, given):
            response = self.redirect(request, f"{web.prefix}/", web.sessions.new())
            web.seen_now(request, response)
            return response
        event = answers.event_of(form)
        steps = field_list.events_of(form)  # a field-list page: several answers at once
        at = form.get("at", "")
        if at and answers.answers_a_question(event):
            there, shown = await answers.to_its_question(at, web.router_for(given))
            if not there:  # an old page: nothing is applied
                stale = web.pages.said(shown.language or given.language).t("web.stale")
                return self.after(request, given, given, shown, [stale])
        gate = FormGate(web.kiosk_forms if token else web.forms, token or web.address_of(request))
        was_sent = False
        try:
            session, outcome, was_sent = await self._turn(
                given, event, gate, token is not None, steps, field_list.answered_of(form)
            )
        finally:
            gate.settle(was_sent)
        if was_sent and token is not None:
            await web.kiosks.count_sent(token, web.week_of())
        if gate.wait:
            response = web.errors.come_back(request, gate.wait, outcome.language)
        else:
            response = self.after(request, given, session, outcome)
        if token is not None:
            web.seen_now(request, response)
        return response

    async def _turn(
        self,
        given: Session,
        event: Event,
        gate: FormGate,
        kiosk: bool,
        steps: list[tuple[str, list[Event]]] | None = None,
        answered: frozenset[str] = frozenset(),
    ) -> tuple[Session, Outcome, bool]:
        """One posted form worked out: the session the page goes on with, what to show,
        and whether a questionnaire was sent. The limits are asked by the turn where a form
        really goes into the box (``gate``), however the send was asked for: a press of
        the button, or its label typed (answers stay in the draft when it is refused)."""
        session = await self._for_beginning(given, event)
        language = answers.chosen_language(event)
        if language in self.web.languages and language != session.language:
            session = self.web.sessions.speaking(session, language)
        if steps is not None:
            route = self.web.router_for(session, gate)
            outcome = await field_list.answer_page(steps, answered, route)
        else:
            outcome = await self.web.route(session, event, gate)
        done = answers.sent(outcome)
        return self._after_ending(session, event, done, kiosk), outcome, done

    async def _for_beginning(self, session: Session, event: Event) -> Session:
        """A questionnaire begins under a value issued now, never under the one the browser
        brought: someone who obtained a session and planted it in this browser knows that
        one. ``Restart`` always begins anew (the old draft is stopped first); a start,
        a language chosen or a form's name typed do when nothing is open under the cookie
        (otherwise they show or go on with the open questionnaire)."""
        action = decode(event.data) if isinstance(event, Press) else None
        if isinstance(action, Restart):
            await self.web.route(session, Stop())
            return self.web.sessions.renewed(session)
        may_begin = isinstance(event, Start | Text) or answers.chosen_language(event) is not None
        if may_begin and answers.nothing_open(await self.web.route(session, Repeat())):
            return self.web.sessions.renewed(session)
        return session

    def _after_ending(self, session: Session, event: Event, done: bool, kiosk: bool) -> Session:
        """After a send (the draft is gone) or a stop, the browser gets a new value: the
        one that keyed the questionnaire just ended is of no more use to anyone. A kiosk's
        next citizen is someone else: its browser value is new too (so one person's daily
        limit is not the whole front desk's)."""
        if isinstance(event, Stop) or done:
            return self.web.sessions.new() if kiosk else self.web.sessions.renewed(session)
        return session

    def after(
        self,
        request: Request,
        given: Session,
        session: Session,
        outcome: Outcome,
        notices: list[str] | None = None,
    ) -> Response:
        """The redirect to the page that follows, with what the turn said besides; a page
        with no address of its own (the language choice, "go on or begin anew", a
        refusal) is shown at once."""
        web, kept = self.web, session if session != given else None
        replies = list(outcome.replies)
        said = [*(notices or [])]
        said += [r.text for r in replies[:-1] if not r.prompt or r.prompt.state is not State.INTRO]
        prompt = answers.prompt_of(outcome)
        if answers.sent(outcome):
            done = f"{web.prefix}/done"
            return self.redirect(request, done, kept, said, replies[-1].text, outcome.language)
        if answers.nothing_open(outcome):
            return self.redirect(request, f"{web.prefix}/", kept, [*said, replies[-1].text])
        key = positions.key_of(prompt)
        if key is not None or (prompt is not None and prompt.state is State.NOTE):
            return self.redirect(request, positions.path(web.prefix, key), kept, said)
        return web.pages.render(request, session, outcome, set_cookie=kept is not None)

    def redirect(
        self,
        request: Request,
        path: str,
        session: Session | None = None,
        notices: list[str] | None = None,
        main: str | None = None,
        language: str | None = None,
    ) -> Response:
        """``303 See Other`` to ``path``; ``session``: the browser's new one, if any."""
        response = RedirectResponse(path, status_code=303, headers=HEADERS)
        if session is not None:
            self.web.pages.keep(request, response, session)
        if notices or main:
            value = self.web.notices.pack(list(notices or []), main, language)
            if value is not None:
                self.web.pages.set_cookie(request, response, NOTICE, value, LIFETIME)
        return response

    @staticmethod
    def notice_cookie(request: Request) -> str | None:
        values = cookie_values(request.headers.get("cookie") or "", NOTICE)
        return values[0] if values else None

    def forget_notice(self, request: Request, response: Response) -> None:
        self.web.pages.set_cookie(request, response, NOTICE, "", 0)
