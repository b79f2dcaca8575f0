"""The router and the turn port's ``StaleDraft`` (``bot.dialogue.store``), on the in-memory
unit of work, which checks a commit's drafts as PostgreSQL's turns do."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.dialogue.callbacks import encode
from bot.dialogue.events import Incoming, Press, Sender, Start, Stop
from bot.questionnaire.engine import Choose
from tests.support.memory_store import MemoryUnitOfWork
from tests.unit.test_desks import Desks


async def test_an_answer_whose_draft_was_stopped_meanwhile_does_not_bring_it_back():
    """The same person's /stop is handled (by another process) while their answer is worked
    out: the answer's commit finds the draft changed, keeps nothing, and the answer is
    worked out again from no draft at all."""
    desks = Desks()
    await desks.say("1", Start())
    assert len(desks.store.state.drafts) == 1
    meanwhile = [Stop()]
    units = desks.store.transaction

    @asynccontextmanager
    async def interleaved() -> AsyncIterator[MemoryUnitOfWork]:
        async with units() as uow:
            if meanwhile:
                await desks.say("1", meanwhile.pop())  # begins after this unit, commits first
            yield uow

    desks.router.units = interleaved
    outcome = await desks.router.handle(
        Incoming(
            Sender("telegram", "1", "answer", chat="1"), Press(encode(Choose("service", "newborn")))
        )
    )
    assert desks.store.state.drafts == {}, "a stopped questionnaire does not come back"
    assert outcome.replies, "the answer, worked out again, is still answered"
