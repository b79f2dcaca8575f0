"""A flaky Bot API: one call in five fails (429 or 502) and updates come twice."""

from __future__ import annotations

import asyncio

from bot.questionnaire.content import load_content
from bot.questionnaire.numbering import question_numbers
from tests.support.citizen import Citizen
from tests.support.flows import EXPECTED, STEPS, step_update, stored_responses

SHOWN = list(question_numbers(load_content("ka").questionnaire).values())
"""The question numbers in the order asked: 1 … 9, 9ა, 10."""


def expected_after(index: int) -> str:
    """What the reply to STEPS[index] must contain."""
    if index < len(STEPS) - 2:
        return f"კითხვა {SHOWN[index + 1]} /"
    return "გადახედოთ" if index == len(STEPS) - 2 else "გმადლობთ"


async def answer_through_faults(citizen: Citizen) -> None:
    api = citizen.api
    for index, step in enumerate([("send", "/start"), *STEPS]):
        before = len(api.calls)
        update = citizen.message_update(text="/start") if index == 0 else None
        await api.push(update or await step_update(citizen, step))
        expected = "კითხვა 1 /" if index == 0 else expected_after(index - 1)

        def arrived(before: int = before, expected: str = expected) -> bool:
            delivered = [c for c in api.sent(citizen.chat_id, before) if c.result_id]
            return any(expected in c.params["text"] for c in delivered)

        await api.wait_until(arrived, limit=120)
        sent = api.sent(citizen.chat_id, since=before)
        citizen.received += [
            api.messages[(citizen.chat_id, c.result_id)] for c in sent if c.result_id
        ]


async def test_conversations_complete_exactly_once_through_a_flaky_api(running_bot):
    api = running_bot.api
    api.fault_rate, api.repeat_rate = 0.2, 0.2
    citizens = [Citizen(api, 880000001 + number) for number in range(3)]
    await asyncio.gather(*(answer_through_faults(citizen) for citizen in citizens))
    api.fault_rate = 0.0
    await api.handled()  # anything still retrying or repeated has been handled
    assert api.faults >= 10, "the faults must really have happened"
    responses = await stored_responses(running_bot.runtime)
    assert [response["answers"] for response in responses] == [EXPECTED] * 3
