"""One router for every channel: a translated update -> the right desk, once.

Channels translate an update once into an ``Incoming`` (commands included). Here, in one
unit of work, the update is recorded (a repeat stops here, whichever desk it was for), the
desk is chosen — analysts' commands, the staff's paper desk, or the citizens' conversation
— and the desk's changes are committed with that record before anything is sent back.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from bot.dialogue.conversation import Conversation
from bot.dialogue.events import (
    AnalystCommand,
    ChooseLanguage,
    Help,
    Incoming,
    Outcome,
    PaperCommand,
    Press,
    Privacy,
    Reply,
    Start,
    Stop,
    Text,
    UnknownCommand,
    Unsubscribe,
)
from bot.dialogue.paper import PaperDesk
from bot.dialogue.prompt import Prompt
from bot.dialogue.store import StaleDraft, UnitOfWorkFactory
from bot.questionnaire.i18n import Locale
from bot.questionnaire.identity import Keyer

log = logging.getLogger(__name__)

PAPER, ANALYST, NATIONAL = "paper", "analyst", "national"
"""Roles: the staff's paper desk, a municipality's analysts, the association's analysts
(the national comparison only)."""
CITIZEN_COMMANDS = (Start, Stop, Help, Privacy, Unsubscribe, UnknownCommand, ChooseLanguage)
TRIES = 8
"""Times one update is worked out at most when other processes keep changing its draft."""


class StaffReplies(Protocol):
    """How a staff desk answers in the chat it was asked in: progress, edits, files."""

    async def say(self, text: str) -> object: ...

    async def edit(self, sent: object, text: str) -> None: ...

    async def files(self, paths: Sequence[Path]) -> None: ...

    async def busy(self) -> None: ...


AnalystHandler = Callable[[str, str, StaffReplies], Awaitable[list[str]]]
"""Runs an analyst's command (``bot.application.analyst_desk``); returns the texts to send."""


class Router:
    def __init__(
        self,
        *,
        units: UnitOfWorkFactory,
        conversation: Conversation,
        paper: PaperDesk,
        locale: Locale,
        clock: Callable[[], datetime],
        analyst: AnalystHandler | None = None,
    ) -> None:
        self.units, self.conversation, self.paper = units, conversation, paper
        self.locale, self.clock, self.analyst = locale, clock, analyst

    async def handle(self, incoming: Incoming, staff: StaffReplies | None = None) -> Outcome:
        """The update's outcome, worked out again (up to ``TRIES`` times) when the draft it
        was worked out from changed before the commit: nothing of it was saved or sent."""
        for _ in range(TRIES - 1):
            try:
                return await self._handle_once(incoming, staff)
            except StaleDraft:
                log.info("%s: the draft changed meanwhile; answered again", incoming.sender.channel)
        return await self._handle_once(incoming, staff)

    async def _handle_once(self, incoming: Incoming, staff: StaffReplies | None) -> Outcome:
        sender, event = incoming.sender, incoming.event
        now = self.clock()
        async with self.units() as uow:
            # A citizen's draft is locked with the update's record (one round trip).
            lock = self.conversation.draft_key(sender) if incoming.private else None
            if sender.update_key and not await uow.deliveries.first(
                sender.channel, sender.update_key, now, lock
            ):
                log.info("%s update delivered again; ignored", sender.channel)
                return Outcome()
            if isinstance(event, AnalystCommand):
                await uow.commit()  # the report takes long: no transaction stays open for it
                return await self._analyst(incoming, event, staff)
            if isinstance(event, PaperCommand):
                outcome = await self._paper_command(incoming, event, uow)
            elif (
                incoming.private
                and PAPER in incoming.roles
                and isinstance(event, Text | Press)
                and await self.paper.is_open(uow, sender)
            ):
                outcome = await self.paper.handle(uow, sender, event)
            elif not incoming.private:
                if isinstance(event, CITIZEN_COMMANDS):
                    return Outcome((Reply(self.locale.t("session.private_only")),))
                return Outcome()
            else:
                turn = self.conversation.turn(uow, sender, now, lock)
                outcome = await turn.run(event)
                await uow.commit()
                await self.conversation.after(turn)
                return outcome
            await uow.commit()
        return outcome

    async def _paper_command(self, incoming: Incoming, event: PaperCommand, uow: object) -> Outcome:
        if not incoming.private:
            log.info("/%s refused: not a private chat", event.name)
            return Outcome((Reply(self.locale.t("paper.private_only")),))
        if PAPER not in incoming.roles:
            log.info("/%s refused: the sender is not staff", event.name)
            return Outcome((Reply(self.locale.t("paper.refused")),))
        if event.name == "paper":
            return await self.paper.begin(uow, incoming.sender, event.rest)  # type: ignore[arg-type]
        return await self.paper.finish(uow, incoming.sender)  # type: ignore[arg-type]

    async def _analyst(
        self, incoming: Incoming, event: AnalystCommand, staff: StaffReplies | None
    ) -> Outcome:
        if self.analyst is None or staff is None:
            return Outcome((Reply(self.locale.t("problem.unknown_command")),))
        if not incoming.private:
            log.info("/%s refused: not a private chat", event.name)
            return Outcome((Reply(self.locale.t("analyst.private_only")),))
        if (NATIONAL if event.name == NATIONAL else ANALYST) not in incoming.roles:
            log.info("/%s refused: the sender is not an analyst", event.name)
            return Outcome((Reply(self.locale.t("analyst.refused")),))
        texts = await self.analyst(event.name, event.rest, staff)
        return Outcome(tuple(Reply(text) for text in texts))

    # --- what a channel asks besides an update -------------------------------------------
    def locale_of(self, language: str | None) -> Locale:
        """The texts of a citizen's language (the municipality's first otherwise), for
        what a channel says around the replies (a page's title and buttons)."""
        return self.conversation.locale_of(language)

    def introduction(
        self, payload: str | None, channel: str, language: str | None = None
    ) -> Prompt:
        """The introduction of the form a link names, before anything is begun (a web
        page's welcome, in the language chosen there); nothing is read or written."""
        return self.conversation.introduction(payload, channel, language)

    @property
    def keyer(self) -> Keyer:
        """The municipality's keyed hashes, for a channel that hands a person over to
        another of its channels (Messenger to the web page) under a key of its own."""
        return self.conversation.keyer

    @property
    def question_count(self) -> int:
        """How many questions the default form numbers (a welcome says so)."""
        return self.conversation.views.count

    async def first_use(self, kind: str, key: str) -> bool:
        """Records a one-use key (a web handoff link) in a unit of work of its own; true
        only the first time it is seen."""
        async with self.units() as uow:
            first = await uow.deliveries.first(kind, key, self.clock())
            await uow.commit()
        return first
