"""The citizens' desk: one event -> one unit of work -> the replies.

Every change is committed before the adapter sends a single reply, so a process killed at
any moment loses nothing the citizen was told was kept. The router (``bot.dialogue.router``)
records the update's key in the same unit of work, so a repeat changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.dialogue.callbacks import Restart, Resume, Subscribe, Today, decode, encode
from bot.dialogue.events import (
    Button,
    Event,
    Help,
    Outcome,
    Press,
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
from bot.dialogue.reminders import ReminderAddress
from bot.dialogue.store import UnitOfWork, UnitOfWorkFactory
from bot.dialogue.views import Views
from bot.questionnaire import engine
from bot.questionnaire.identity import Keyer
from bot.questionnaire.model import SERVICE, Answer, Draft, Questionnaire

log = logging.getLogger(__name__)

SEEN_UPDATES_KEPT = timedelta(days=2)


@dataclass(frozen=True)
class Limits:
    responses_per_day: int
    draft_ttl: timedelta
    reminder_after: timedelta | None = None
    ballot_window: timedelta = timedelta(hours=3)
    """A submitted form waits in the ballot box at most this long before it is mixed."""


EmptyBox = Callable[[datetime], Awaitable[object]]
"""Empties the ballot box if enough forms wait; called after a turn dropped one in."""

PAPER_ONLY = (engine.Blank, Today)
"""Buttons of the staff's paper desk: a citizen who sends one gets "no longer valid"."""


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
    ) -> None:
        self.questionnaire = questionnaire
        self.views = views
        self._transaction = transaction
        self.keyer = keyer
        self._clock = clock
        self.zone = zone
        self.limits = limits
        self._empty_box = empty_box

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
        return self.keyer.draft_key(sender.channel, sender.user)

    def turn(self, uow: UnitOfWork, sender: Sender, now: datetime) -> _Turn:
        return _Turn(self, uow, sender, now)

    async def after(self, turn: _Turn) -> None:
        """After the commit: mix the ballot box if this turn dropped a form into it. The form
        is safe in the box already; if mixing fails now, a later tick does it."""
        if not turn.dropped or self._empty_box is None:
            return
        try:
            await self._empty_box(turn.now)
        except Exception:
            log.warning("emptying the ballot box failed; it will be tried again", exc_info=True)

    def today(self, now: datetime) -> datetime:
        return now.astimezone(self.zone)


class _Turn:
    """One event of one citizen, inside one transaction."""

    def __init__(self, service: Conversation, tx: UnitOfWork, sender: Sender, now: datetime):
        self.s, self.tx, self.sender, self.now = service, tx, sender, now
        self.views = service.views.for_channel(sender.channel)
        self.key = service.draft_key(sender)
        self.day = service.today(now).date()
        self.dropped = False
        """Something went into the ballot box in this turn."""

    async def run(self, event: Event) -> Outcome:
        return await self.respond(event, await self.load())

    async def load(self) -> Draft | None:
        await self.tx.drafts.lock(self.key)
        found = await self.tx.drafts.load(self.key, self.now - self.s.limits.draft_ttl)
        if found is None:
            return None
        version, draft = found
        if version != self.s.questionnaire.version or not self._valid_position(draft):
            await self.tx.drafts.delete(self.key)
            return None
        return draft

    def _valid_position(self, draft: Draft) -> bool:
        return (
            draft.position.startswith("@") or self.s.questionnaire.get(draft.position) is not None
        )

    async def respond(self, event: Event, draft: Draft | None) -> Outcome:
        match event:
            case Start(payload):
                if draft is not None:
                    return Outcome((self.views.resume_question(payload),))
                return await self.begin(payload)
            case Press(data):
                return await self.press(data, draft)
            case Text(text):
                understood = self.views.understand(draft, text)
                return await self.step(draft, understood.given, False, understood.masked)
            case Stop():
                deleted = await self.tx.drafts.delete(self.key)
                key = "session.stopped" if deleted else "session.nothing_to_stop"
                return Outcome((self.views.invitation(key),))
            case Help():
                return self.with_prompt(draft, self.views.t("help"))
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
        return self.s.keyer.rate_key(self.sender.channel, self.sender.user, self.day)

    async def limit_reached(self) -> bool:
        sent = await self.tx.counts.on(self.rate_key, self.day)
        return sent >= self.s.limits.responses_per_day

    async def may_subscribe(self) -> bool:
        """Only someone who sent a questionnaire today, on a channel that may write later."""
        if not self.sender.chat or self.sender.reply_window is not None:
            return False
        return await self.tx.counts.on(self.rate_key, self.day) > 0

    async def begin(self, payload: str | None) -> Outcome:
        if await self.limit_reached():
            return self.say("session.limit_reached", limit=self.s.limits.responses_per_day)
        prefill: dict[str, Answer] = {}
        replies = [Reply(self.views.intro())]
        if payload:
            service_question = self.s.questionnaire.with_role(SERVICE)
            if service_question and payload in service_question.options:
                prefill[service_question.id] = payload
                name = self.views.t(f"service_names.{payload}")
                replies.append(self.views.text("session.service_from_link", service=name))
            else:
                replies.append(self.views.text("session.unknown_link"))
        draft = engine.start(self.s.questionnaire, prefill)
        await self.save(draft, new=True)
        return Outcome((*replies, self.views.prompt(draft)))

    async def press(self, data: str, draft: Draft | None) -> Outcome:
        action = decode(data)
        if isinstance(action, Subscribe) and await self.may_subscribe():
            assert self.sender.chat is not None
            window = self.s.limits.ballot_window
            await self.tx.subscribers.subscribe(
                self.sender.channel, self.sender.chat, self.day, self.now, window
            )
            self.dropped = True
            return Outcome((self.views.text("subscribe.added"),), edit=self.views.t("closing"))
        if isinstance(action, (Subscribe, *PAPER_ONLY)):
            log.info("%s: a button that is not the citizen's; refused", self.sender.channel)
            action = None
        if isinstance(action, Restart):
            await self.tx.drafts.delete(self.key)
            return await self.begin(action.payload)
        if draft is None:
            return Outcome((self.views.invitation("session.no_draft"),))
        if isinstance(action, Resume):
            return Outcome(
                (self.views.prompt(draft),), edit=self.views.t("session.resume_question")
            )
        if action is None:
            return self.with_prompt(draft, self.views.t("problem.unknown_button"))
        return await self.step(draft, action, pressed=True)

    async def step(
        self, draft: Draft | None, given: engine.Input, pressed: bool, masked: int = 0
    ) -> Outcome:
        if draft is None:
            return Outcome((self.views.invitation("session.no_draft"),))
        result = engine.advance(self.s.questionnaire, draft, given)
        if result.problem is not None:
            return self.with_prompt(draft, self.views.problem(result.problem))
        if result.completed is not None:
            return await self.submit(result.completed, self.views.prompt(draft).text)
        await self.save(result.draft)
        if masked:  # the citizen is told their personal details were left out
            notice = Reply(self.views.t("privacy.masked"))
            return Outcome((notice, self.views.prompt(result.draft)))
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
        await self.tx.drafts.save(self.key, self.s.questionnaire.version, draft, self.now)
        after = self.s.limits.reminder_after
        if after and self.sender.chat and (new or self.sender.reply_window is not None):
            address = ReminderAddress.for_sender(self.sender, self.now)
            sealed = self.s.keyer.seal(address.pack())
            await self.tx.reminders.plan(self.key, sealed, address.due(self.now, after))

    async def submit(self, answers: Mapping[str, Answer], summary_text: str) -> Outcome:
        if await self.limit_reached():
            return self.say("session.limit_reached", limit=self.s.limits.responses_per_day)
        version, channel, window = (
            self.s.questionnaire.version,
            self.sender.channel,
            self.s.limits.ballot_window,
        )
        await self.tx.responses.drop_in_box(version, channel, answers, self.day, self.now, window)
        self.dropped = True
        await self.tx.drafts.delete(self.key)
        await self.tx.counts.add(self.rate_key, self.day)
        log.info("%s response stored in the ballot box", channel)
        offer = (Button(self.views.t("subscribe.button"), encode(Subscribe())),)
        can_write_later = self.sender.chat and self.sender.reply_window is None
        closing = Reply(self.views.t("closing"), (offer,) if can_write_later else ())
        return Outcome((closing,), edit=summary_text)
