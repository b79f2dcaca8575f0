"""The citizens' desk: one event -> one unit of work -> the replies.

Every change is committed before the adapter sends a single reply, so a process killed at
any moment loses nothing the citizen was told was kept. The router (``bot.dialogue.router``)
records the update's key in the same unit of work, so a repeat changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.dialogue.broken_rules import BrokenRules
from bot.dialogue.events import (
    Event,
    Outcome,
    Sender,
)
from bot.dialogue.forms import FormCatalogue
from bot.dialogue.prompt import Prompt, State
from bot.dialogue.store import UnitOfWork, UnitOfWorkFactory
from bot.dialogue.turn import Turn
from bot.dialogue.turn_needs import Limits
from bot.dialogue.views import Views
from bot.questionnaire.i18n import Locale
from bot.questionnaire.identity import Keyer, scoped
from bot.questionnaire.model import Questionnaire

log = logging.getLogger(__name__)

SEEN_UPDATES_KEPT = timedelta(days=2)


EmptyBox = Callable[[date], Awaitable[object]]
"""Empties the ballot box if enough forms wait or a day ended (the day is the municipality's
today); called after a turn dropped something in."""


class Conversation:
    def __init__(
        self,
        *,
        questionnaire: Questionnaire,
        views: Views,
        transaction: UnitOfWorkFactory,
        keyer: Keyer,
        clock: Callable[[], datetime],
        zone: ZoneInfo,
        limits: Limits,
        empty_box: EmptyBox | None = None,
        scope: str | None = None,
        languages: Mapping[str, Views] | None = None,
        forms: FormCatalogue | None = None,
        results_url: str | None = None,
    ) -> None:
        """``languages``: the municipality's, Georgian first, each with its views; with more
        than one, the citizen chooses at the start and may switch (``/language``).
        ``results_url``: the public results page, which a chat's thank-you points to."""
        self.questionnaire = questionnaire
        self.views = views
        self.forms = forms or FormCatalogue.single(questionnaire, views, languages or {})
        """Every form offered (and every version a draft may be on); ``questionnaire`` and
        ``views`` are the default form's, for the texts that belong to no form."""
        self._transaction = transaction
        self.keyer = keyer
        self._clock = clock
        self.zone = zone
        self.limits = limits
        self._empty_box = empty_box
        self.scope = scope
        """The municipality keys are scoped by (``Municipality.scope``)."""
        self.languages: Mapping[str, Views] = languages or {}
        self.broken_rules = BrokenRules()
        self.results_url = results_url
        """A form's rules that failed while citizens answered, logged once each."""

    async def handle(self, sender: Sender, event: Event) -> Outcome:
        """One event in a unit of work of its own (the console; tests). Channels go
        through the router, which also recognises a repeated update."""
        now = self._clock()
        async with self._transaction() as uow:
            turn = self.turn(uow, sender, now)
            outcome = await turn.run(event)
            await uow.commit()
        await self.after(turn)
        return outcome

    def draft_key(self, sender: Sender) -> str:
        user = sender.user if sender.draft_as is None else f"q:{sender.draft_as}"
        return self.keyer.draft_key(scoped(sender.channel, self.scope), user)

    def turn(self, uow: UnitOfWork, sender: Sender, now: datetime, key: str | None = None) -> Turn:
        """``key``: the sender's draft key, if the caller worked it out already."""
        return Turn(self, uow, sender, now, key)

    async def after(self, turn: Turn) -> None:
        """After the commit: count a sent form against the day's limit, then mix the ballot
        box if this turn dropped something into it. Each in a transaction of its own (so
        the waiting form, the count and the mixed responses share none); the form is safe
        in the box already, and if mixing fails now, a later tick does it."""
        if turn.sent:
            try:
                async with self._transaction() as uow:
                    await uow.counts.add(turn.rate_key, turn.day)
                    await uow.commit()
            except Exception:
                log.warning("counting a sent form failed; the form is kept", exc_info=True)
        if not turn.dropped or self._empty_box is None:
            return
        try:
            await self._empty_box(turn.day)
        except Exception:
            log.warning("emptying the ballot box failed; it will be tried again", exc_info=True)

    def today(self, now: datetime) -> datetime:
        return now.astimezone(self.zone)

    def introduction(
        self, payload: str | None, channel: str, language: str | None = None
    ) -> Prompt:
        """The introduction of the form a link names (the default form's otherwise), with
        the form's title only where the link names a loaded form (a page's heading); in
        ``language`` if it is one of the municipality's."""
        link = self.forms.resolve(payload)
        form = link.form or self.forms.default or self.questionnaire
        language = language if language in self.languages else None
        views = self.forms.views(form, language).for_channel(channel)
        title = self.forms.views(link.form, language).heading if link.form else None
        return Prompt(State.INTRO, views.intro(), title=title)

    def locale_of(self, language: str | None) -> Locale:
        """The texts of the citizen's language (the municipality's first otherwise), for
        what a channel says around the questions."""
        views = self.languages.get(language or "")
        return (views or self.views).locale
