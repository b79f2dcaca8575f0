"""Staff typing in paper forms from the box: the same questionnaire, as fast as possible.

A batch has one date (the one written on the forms). Each form is stored with channel
``paper`` as soon as its last question is answered, and the next form starts at once.
The router gives every call its unit of work, already past the check for repeated updates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.dialogue import chat
from bot.dialogue.broken_rules import BrokenRules
from bot.dialogue.callbacks import Today, decode, encode
from bot.dialogue.events import Outcome, Press, Reply, Sender, Text
from bot.dialogue.forms import FormCatalogue
from bot.dialogue.prompt import Move, Nav, Prompt, State
from bot.dialogue.store import UnitOfWork
from bot.dialogue.views import Views
from bot.questionnaire import engine
from bot.questionnaire.identity import Keyer, scoped
from bot.questionnaire.model import SUMMARY, Draft, Questionnaire

CHANNEL = "paper"
PAPER_DRAFT_KEPT = timedelta(days=365)
DESK_INPUTS = (
    engine.Choose,
    engine.Typed,
    engine.Back,
    engine.Skip,
    engine.Blank,
    engine.Pick,
    engine.Submit,
    engine.ChangeAnswer,
    engine.Toggle,
    engine.Done,
)
"""What the desk takes while a form is typed in; any other button (a citizen's) is refused."""
DATE = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$")


class PaperDesk:
    def __init__(
        self,
        *,
        questionnaire: Questionnaire,
        views: Views,
        keyer: Keyer,
        clock: Callable[[], datetime],
        zone: ZoneInfo,
        scope: str | None = None,
        forms: FormCatalogue | None = None,
    ) -> None:
        self.q, self.views = questionnaire, views
        self.keyer, self.clock, self.zone = keyer, clock, zone
        self.scope = scope
        self.forms = forms or FormCatalogue.single(questionnaire, views)
        self.broken_rules = BrokenRules()

    def _key(self, sender: Sender) -> str:
        return self.keyer.draft_key(scoped(CHANNEL, self.scope), sender.user)

    async def is_open(self, tx: UnitOfWork, sender: Sender) -> bool:
        return await tx.paper.get(self._key(sender)) is not None

    async def begin(self, tx: UnitOfWork, sender: Sender, form_id: str = "") -> Outcome:
        """The batch's form is kept as the version of its (first) draft."""
        today = self.clock().astimezone(self.zone).date()
        form = self.forms.offered(form_id) if form_id else self.forms.default or self.q
        if form is None:
            names = ", ".join(q.form_id or q.version for q in self.forms.active)
            return Outcome((self.views.text("paper.unknown_form", form=form_id, forms=names),))
        await tx.drafts.delete(self._key(sender))
        await tx.drafts.save(self._key(sender), form.version, engine.start(form), self.clock())
        await tx.paper.save(self._key(sender), None, 0)
        today_button = Nav(
            Move.TODAY, self.views.t("paper.today", date=_shown(today)), encode(Today())
        )
        asked = Prompt(
            State.FORMS_DATE, self.views.t("paper.ask_date"), navigation=((today_button,),)
        )
        return Outcome((chat.reply(asked),), tidy=True)

    async def finish(self, tx: UnitOfWork, sender: Sender) -> Outcome:
        count = await tx.paper.end(self._key(sender))
        await tx.drafts.delete(self._key(sender))
        key = "paper.nothing_open" if count is None else "paper.done"
        return Outcome((self.views.text(key, count=count or 0),), tidy=True)

    async def handle(self, tx: UnitOfWork, sender: Sender, event: Text | Press) -> Outcome:
        outcome = await self._respond(tx, sender, event)
        return Outcome(outcome.replies, outcome.edit, tidy=True, in_place=outcome.in_place)

    async def _respond(self, tx: UnitOfWork, sender: Sender, event: Text | Press) -> Outcome:
        key = self._key(sender)
        batch = await tx.paper.get(key)
        if batch is None:
            return Outcome((self.views.text("paper.nothing_open"),))
        forms_date, entered = batch
        if forms_date is None:
            return await self._set_date(tx, key, event)
        await tx.drafts.lock(key)
        found = await tx.drafts.load(key, self.clock() - PAPER_DRAFT_KEPT)
        form = self._form(found[0] if found else None)
        views = self.forms.views(form)
        draft = found[1] if found else engine.start(form)
        understood = views.understand_paper(draft, event.text) if isinstance(event, Text) else None
        given = understood.given if understood else decode(event.data)  # type: ignore[union-attr]
        if not isinstance(given, DESK_INPUTS):
            return Outcome(
                (
                    views.text("problem.unknown_button"),
                    self._prompt(views, draft, entered, forms_date),
                )
            )
        step = engine.advance(form, draft, given, today=forms_date)  # a form's "today"
        self.broken_rules.report(form.version, step.broken)
        if step.problem is not None:
            notice = Reply(views.problem(step.problem))
            return Outcome((notice, self._prompt(views, draft, entered, forms_date)))
        masked = (
            (views.text("paper.masked", count=understood.masked),)
            if understood and understood.masked
            else ()
        )
        if step.draft.position != SUMMARY:
            await tx.drafts.save(key, form.version, step.draft, self.clock())
            prompt = self._prompt(views, step.draft, entered, forms_date)
            ticked = isinstance(event, Press) and step.draft.position == draft.position
            return Outcome((*masked, prompt), in_place=ticked and not step.answered)
        answers = engine.final_answers(form, step.draft.answers)
        await tx.responses.add(form.version, CHANNEL, answers, forms_date)
        await tx.paper.save(key, forms_date, entered + 1)
        following = engine.start(form)
        await tx.drafts.save(key, form.version, following, self.clock())
        saved = views.text("paper.saved", number=entered + 1)
        return Outcome((*masked, saved, self._prompt(views, following, entered + 1, forms_date)))

    def _form(self, version: str | None) -> Questionnaire:
        found = self.forms.version(version) if version else None
        return found or self.forms.default or self.q

    async def _set_date(self, tx: UnitOfWork, key: str, event: Text | Press) -> Outcome:
        if isinstance(event, Press) and isinstance(decode(event.data), Today):
            forms_date = self.clock().astimezone(self.zone).date()
        else:
            forms_date = _parse_date(event.text) if isinstance(event, Text) else None
        if forms_date is None:
            return Outcome((self.views.text("paper.bad_date"),))
        await tx.paper.save(key, forms_date, 0)
        found = await tx.drafts.load(key, self.clock() - PAPER_DRAFT_KEPT)
        form = self._form(found[0] if found else None)
        draft = engine.start(form)
        await tx.drafts.save(key, form.version, draft, self.clock())
        return Outcome((self._prompt(self.forms.views(form), draft, 0, forms_date),))

    @staticmethod
    def _prompt(views: Views, draft: Draft, entered: int, forms_date: date) -> Reply:
        return views.paper_question(draft, entered + 1, _shown(forms_date))


def _parse_date(text: str) -> date | None:
    match = DATE.match(text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _shown(day: date) -> str:
    return day.strftime("%d.%m.%Y")
