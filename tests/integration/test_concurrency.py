"""Several bot processes on one database: one citizen's updates never race each other."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.config.settings import Settings
from bot.dialogue.events import Incoming, Sender, Start, Text
from bot.wiring.bootstrap import build_runtime
from tests.support.flows import draft_count

pytestmark = pytest.mark.both_databases


def as_settings(env: dict[str, str]) -> Settings:
    return Settings(_env_file=None, **{key.lower(): value for key, value in env.items()})


async def test_two_processes_handling_one_citizen_at_once_keep_one_consistent_draft(
    settings_env, clock
):
    settings = as_settings(settings_env)
    first = await build_runtime(settings, clock=clock)
    second = await build_runtime(settings, clock=clock)
    try:
        processes = [first, second] * 6

        def sender(number: int) -> Sender:
            return Sender("telegram", "4242", update_key=f"start-{number}")

        outcomes = await asyncio.gather(
            *(p.router.handle(Incoming(sender(n), Start())) for n, p in enumerate(processes))
        )
        assert all(outcome.replies for outcome in outcomes)
        assert await draft_count(first) == 1
        fresh = [o for o in outcomes if "კითხვა 1 / 10" in o.replies[-1].text]
        assert len(fresh) == 1, "one start begins; the others offer to continue it"

        answers = [Text("1")] * 4  # the first option fits whichever question comes next
        outcomes = await asyncio.gather(
            *(
                processes[n].router.handle(
                    Incoming(Sender("telegram", "4242", update_key=f"answer-{n}"), answer)
                )
                for n, answer in enumerate(answers)
            )
        )
        assert all("კითხვა" in o.replies[-1].text for o in outcomes)
        key = first.conversation.keyer.draft_key("telegram", "4242")
        async with first.database.transaction() as tx:
            _, draft = await tx.drafts.load(key, clock() - timedelta(days=1))
        assert set(draft.answers) == {"service", "gender", "info_source", "awareness"}
        assert draft.position == "documents", "four answers, none lost to a race"
    finally:
        await first.close()
        await second.close()
