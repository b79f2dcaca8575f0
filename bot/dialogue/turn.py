"""One event of one citizen, inside one unit of work: what the citizens' desk
(``bot.dialogue.conversation``) does with it, and nothing it sends yet."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from bot.common.once_a_minute import once_a_minute
from bot.dialogue import chat
from bot.dialogue.callbacks import (
    Language,
    Languages,
    Restart,
    Resume,
    Subscribe,
    Today,
    decode,
    encode,
)
from bot.dialogue.events import (
    ChooseLanguage,
    Event,
    Help,
    Outcome,
    Press,
    Privacy,
    Repeat,
    Reply,
    Sender,
    Start,
    Stop,
    Text,
    UnknownCommand,
    Unsubscribe,
    Unsupported,
)
from bot.dialogue.form_menu import FormMenu
from bot.dialogue.links import answered_by_link, claim_slip, language_choice
from bot.dialogue.prompt import Move, Nav, Prompt, State
from bot.dialogue.reminders import ReminderAddress
from bot.dialogue.store import UnitOfWork
from bot.dialogue.turn_needs import TurnNeeds
from bot.questionnaire import engine, slip_codes
from bot.questionnaire.identity import scoped
from bot.questionnaire.model import LANGUAGE, Answer, Draft, Questionnaire

log = logging.getLogger(__name__)

PAPER_ONLY = (engine.Blank, Today)
"""Buttons of the staff's paper desk: a citizen who sends one gets "no longer valid"."""


class Turn:
    """One event of one citizen, inside one transaction."""

    def __init__(
        self,
        conversation: TurnNeeds,
        tx: UnitOfWork,
        sender: Sender,
        now: datetime,
        key: str | None = None,
    ) -> None:
        self.conversation, self.tx, self.sender, self.now = conversation, tx, sender, now
        self.views = conversation.views.for_channel(sender.channel)
        self.form: Questionnaire = conversation.questionnaire
        """The form this citizen is on (the default one until a draft says otherwise)."""
        self.key = key or conversation.draft_key(sender)
        self.day = conversation.today(now).date()
        self.language: str | None = None
        self.dropped = False
        """Something went into the ballot box in this turn."""
        self.sent = False
        """A form was sent: the day's count goes up after the commit, in a transaction of
        its own, so the form never shares one with the row that stands for its sender."""

    async def run(self, event: Event) -> Outcome:
        outcome = await self.respond(event, await self.load())
        return replace(outcome, language=self.language)

    async def load(self) -> Draft | None:
        await self.tx.drafts.lock(self.key)
        found = await self.tx.drafts.load(self.key, self.now - self.conversation.limits.draft_ttl)
        if found is None:
            return None
        version, draft = found
        form = self.conversation.forms.version(version)
        if form is None or not _valid_position(form, draft):
            await self.tx.drafts.delete(self.key)
            return None
        self.on(form)
        self.speak(draft.answers.get(LANGUAGE))
        return draft

    def on(self, form: Questionnaire) -> None:
        self.form = form
        self._views()

    def speak(self, language: str | None) -> None:
        """The citizen's language from here on (kept in the draft only)."""
        if language in self.conversation.languages:
            self.language = language
            self._views()

    def _views(self) -> None:
        """The texts of this citizen's form, in their language, on their channel."""
        views = self.conversation.forms.views(self.form, self.language)
        self.views = views.for_channel(self.sender.channel)

    @property
    def multilingual(self) -> bool:
        return len(self.conversation.languages) > 1

    def language_choice(self, payload: str | None) -> Reply:
        return language_choice(self.conversation.languages, payload)

    async def respond(self, event: Event, draft: Draft | None) -> Outcome:
        match event:
            case Start(payload):
                if draft is not None:
                    return Outcome((self.views.resume_question(payload),))
                if self.multilingual:
                    if await self.limit_reached():
                        return self.limit_said()
                    return Outcome((self.language_choice(payload),))
                return await self.begin(payload)
            case ChooseLanguage():
                if not self.multilingual:
                    return self.with_prompt(draft, self.views.t("problem.unknown_command"))
                return Outcome((self.language_choice(None),))
            case Press(data):
                return await self.press(data, draft)
            case Text(text):
                chosen = self.menu().typed(text) if draft is None else None
                if chosen is not None:
                    return await self.begin(chosen)
                code = slip_codes.normalise(text) if draft is None else None
                if code is not None:  # a slip's code typed when its QR code failed
                    return await self.begin(slip_codes.join(None, code))
                understood = self.views.understand(draft, text)
                return await self.step(draft, understood.given, False, understood.masked)
            case Stop():
                deleted = await self.tx.drafts.delete(self.key)
                key = "session.stopped" if deleted else "session.nothing_to_stop"
                return Outcome((self.views.invitation(key),))
            case Help():
                return self.with_prompt(draft, self.views.t("help"))
            case Privacy():
                return self.with_prompt(draft, self.views.t("privacy_notice"))
            case Repeat():
                if draft is None:
                    return Outcome((self.views.invitation("session.no_draft"),))
                return Outcome((self.views.prompt(draft),))
            case Unsubscribe():
                gone = self.sender.chat and await self.tx.subscribers.unsubscribe(
                    self.sender.channel, self.sender.chat
                )
                return self.say("subscribe.removed" if gone else "subscribe.not_subscribed")
            case Unsupported():
                return self.with_prompt(draft, self.views.t("problem.unsupported"))
            case UnknownCommand():
                return self.with_prompt(draft, self.views.t("problem.unknown_command"))
        raise TypeError(f"not a conversation event: {event!r}")

    def say(self, key: str, **values: object) -> Outcome:
        return Outcome((self.views.text(key, **values),))

    def with_prompt(self, draft: Draft | None, notice: str) -> Outcome:
        """A notice followed by the question the citizen is at, so they know how to go on."""
        if draft is None:
            return Outcome((Reply(notice), self.views.invitation("session.no_draft")))
        return Outcome((Reply(notice), self.views.prompt(draft)))

    @property
    def rate_key(self) -> str:
        channel = scoped(self.sender.channel, self.conversation.scope)
        return self.conversation.keyer.rate_key(channel, self.sender.user, self.day)

    async def limit_reached(self) -> bool:
        sent = await self.tx.counts.on(self.rate_key, self.day)
        return sent >= self.conversation.limits.responses_per_day

    def limit_said(self) -> Outcome:
        return self.say("session.limit_reached", limit=self.conversation.limits.responses_per_day)

    async def may_subscribe(self) -> bool:
        """Only someone who sent a questionnaire today, on a channel that may write later."""
        if not self.sender.chat or self.sender.reply_window is not None:
            return False
        return await self.tx.counts.on(self.rate_key, self.day) > 0

    async def begin(self, payload: str | None, slip: bool = False) -> Outcome:
        """``slip``: a questionnaire begun again that had claimed a desk slip keeps it."""
        if await self.limit_reached():
            return self.limit_said()
        link = self.conversation.forms.resolve(payload)
        notice = None
        if link.code and not slip:
            link, slip, notice = await claim_slip(self.tx, self.conversation, self.views, link)
        form = link.form
        offered = self.conversation.forms.active
        if form is None and len(offered) > 1:
            return Outcome((self.menu().reply(link.known),))
        self.on(form or (offered[0] if offered else self.conversation.questionnaire))
        prefill = dict(link.prefill)
        if slip:
            prefill[slip_codes.SLIP] = "1"
        switch = self.multilingual and self.language is not None
        if switch:
            prefill[LANGUAGE] = self.language
        replies = [self.views.introduction(switch)]
        if notice is not None:
            replies.append(notice)
        if not link.known:
            replies.append(self.views.text("session.unknown_link"))
        elif link.answered:
            replies.append(answered_by_link(self.views, self.form, link))
        draft = engine.start(self.form, prefill)
        await self.save(draft, new=True)
        return Outcome((*replies, self.views.prompt(draft)))

    def menu(self) -> FormMenu:
        return FormMenu(
            self.conversation.forms,
            self.views,
            self.sender.channel,
            self.language,
            self.multilingual,
        )

    async def press(self, data: str, draft: Draft | None) -> Outcome:
        action = decode(data)
        if isinstance(action, Language | Languages) and self.multilingual:
            return await self.choose(action, draft)
        if isinstance(action, Subscribe) and await self.may_subscribe():
            assert self.sender.chat is not None
            await self.tx.subscribers.subscribe(self.sender.channel, self.sender.chat, self.day)
            self.dropped = True
            return Outcome((self.views.text("subscribe.added"),), edit=self.views.t("closing"))
        if isinstance(action, (Subscribe, Language, Languages, *PAPER_ONLY)):
            channel = self.sender.channel  # as often as an outsider sends one: once a minute
            once_a_minute(log).info(channel, f"{channel}: buttons not the citizen's, refused")
            action = None
        if isinstance(action, Restart):
            await self.tx.drafts.delete(self.key)
            kept = draft is not None and slip_codes.SLIP in draft.answers
            return await self.begin(action.payload, slip=kept)
        if draft is None:
            return Outcome((self.views.invitation("session.no_draft"),))
        if isinstance(action, Resume):
            return Outcome(
                (self.views.prompt(draft),), edit=self.views.t("session.resume_question")
            )
        if action is None:
            return self.with_prompt(draft, self.views.t("problem.unknown_button"))
        return await self.step(draft, action, pressed=True)

    async def choose(self, action: Language | Languages, draft: Draft | None) -> Outcome:
        """A language chosen at the start (the questionnaire begins in it) or later (the
        current question again, in it); the choice lives in the draft only."""
        if isinstance(action, Languages) or action.code not in self.conversation.languages:
            return Outcome((self.language_choice(None),))
        self.speak(action.code)
        if draft is None:
            begun = await self.begin(action.payload)
            return Outcome(begun.replies, edit=self.views.t("language.name"))
        draft = Draft(draft.position, {**draft.answers, LANGUAGE: action.code})
        await self.save(draft)
        return Outcome((self.views.prompt(draft),), edit=self.views.t("language.name"))

    async def step(
        self, draft: Draft | None, given: engine.Input, pressed: bool, masked: int = 0
    ) -> Outcome:
        if draft is None:
            return Outcome((self.views.invitation("session.no_draft"),))
        result = engine.advance(self.form, draft, given, today=self.day)
        self.conversation.broken_rules.report(self.form.version, result.broken)
        if result.problem is not None:
            return self.with_prompt(draft, self.views.problem(result.problem))
        if result.completed is not None:
            confirmed = slip_codes.SLIP in draft.answers
            return await self.submit(result.completed, self.views.prompt(draft).text, confirmed)
        await self.save(result.draft)
        if masked:  # the citizen is told their personal details were left out
            notice = Reply(self.views.t("privacy.masked"))
            return Outcome((notice, self.views.prompt(result.draft)))
        if pressed and not result.answered and result.draft.position == draft.position:
            return Outcome((self.views.prompt(result.draft),), in_place=True)
        edit = None
        if pressed:
            edit = (
                self.views.answered(result.answered, result.draft)
                if result.answered
                else self.views.prompt(draft).text
            )
        return Outcome((self.views.prompt(result.draft),), edit=edit)

    async def save(self, draft: Draft, new: bool = False) -> None:
        """Saves the draft: the one statement of an ordinary answer.

        The reminder is planned when the draft begins (its address sealed once); its due
        time then follows the draft's own ``updated_at``. Only where the person's messages
        open a reply window (Messenger) does each message move the sealed deadline too."""
        await self.tx.drafts.save(self.key, self.form.version, draft, self.now)
        after = self.conversation.limits.reminder_after
        if after and self.sender.chat and (new or self.sender.reply_window is not None):
            address = ReminderAddress.for_sender(self.sender, self.now)
            sealed = self.conversation.keyer.seal(address.pack())
            await self.tx.reminders.plan(self.key, sealed, address.due(self.now, after))

    async def submit(
        self, answers: Mapping[str, Answer], summary_text: str, confirmed: bool = False
    ) -> Outcome:
        """``confirmed``: begun with a desk slip; the form carries that, never which slip."""
        if await self.limit_reached():
            return self.limit_said()
        if self.sender.may_send is not None and not self.sender.may_send():
            return Outcome(())  # held back: the channel whose limit it is says why
        channel = self.sender.channel
        await self.tx.responses.drop_in_box(
            self.form.version, channel, answers, self.day, confirmed=confirmed
        )
        self.dropped = self.sent = True
        await self.tx.drafts.delete(self.key)
        offer = Nav(Move.SUBSCRIBE, self.views.t("subscribe.button"), encode(Subscribe()))
        can_write_later = self.sender.chat and self.sender.reply_window is None
        navigation = ((offer,),) if can_write_later else ()
        closing = chat.reply(Prompt(State.CLOSING, self._thanks(), navigation=navigation))
        return Outcome((closing,), edit=summary_text)

    def _thanks(self) -> str:
        """The closing words; a chat's add where the results are published (a web page
        links to them itself)."""
        url = self.conversation.results_url
        if not url or not self.sender.chat:
            return self.views.t("closing")
        return self.views.t("closing") + "\n\n" + self.views.t("results.link", url=url)


def _valid_position(form: Questionnaire, draft: Draft) -> bool:
    return draft.position.startswith("@") or form.get(draft.position) is not None
