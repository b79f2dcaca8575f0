"""Whole conversations, as a citizen would go through them."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from tests.support.citizen import Citizen

SUGGESTION = "დახმარების თანხა გაზარდეთ, ზამთარში შეშა ძვირია"
NEED = "სახლამდე ტრანსპორტი მჭირდებოდა"

EXPECTED = {
    "service": "winter_heating",
    "gender": "female",
    "info_source": "acquaintance",
    "awareness": "partial",
    "documents": "3",
    "satisfaction": "4",
    "professionalism": "5",
    "helpfulness": "4",
    "extra_needs": "yes",
    "extra_needs_text": NEED,
    "suggestions": SUGGESTION,
}


STEPS = [
    ("press", "ზამთრის თბობა"),
    ("press", "ქალი"),
    ("press", "ნათესავისგან"),
    ("press", "ნაწილობრივ"),
    ("press", "3 — მარტივი"),
    ("send", "4"),
    ("press", "5 — ძალიან კარგი"),
    ("press", "4 — ცდილობდნენ"),
    ("press", "დიახ"),
    ("send", NEED),
    ("send", SUGGESTION),
    ("press", "გაგზავნა"),
]


async def step_update(citizen: Citizen, step: tuple[str, str]) -> dict[str, Any]:
    """The update a step sends: a message, or a press on the latest message's button."""
    kind, value = step
    if kind == "send":
        return citizen.message_update(text=value)
    message = citizen.last_keyboard_message()
    [data] = [data for text, data in citizen.buttons(message).items() if value in text]
    return citizen.callback_update(data, message)


async def answer_up_to_summary(citizen: Citizen, start: str = "/start") -> list[str]:
    """From /start to the summary, pressing buttons, typing a digit and free text."""
    await citizen.send(start)
    await citizen.press("ზამთრის თბობა")
    await citizen.press("ქალი")
    await citizen.press("ნათესავისგან")
    await citizen.press("ნაწილობრივ")
    await citizen.press("3 — მარტივი")
    await citizen.send("4")
    await citizen.press("5 — ძალიან კარგი")
    await citizen.press("4 — ცდილობდნენ")
    await citizen.press("დიახ")
    await citizen.send(NEED)
    return await citizen.send(SUGGESTION)


async def complete(citizen: Citizen) -> list[str]:
    await answer_up_to_summary(citizen)
    return await citizen.press("გაგზავნა")


async def stored_responses(runtime: Any) -> list[dict[str, Any]]:
    async with runtime.database.analysis() as analysis:
        found = await analysis.responses_between(date.min, date.max)
    return [asdict(response) for response in found]


async def draft_count(runtime: Any) -> int:
    async with runtime.database.transaction() as tx:
        return await tx.drafts.count()


async def answer_through_an_outage(citizen: Citizen, database: Any) -> list[str]:
    """Three answers; the fourth while the database is down, which gets the apology alone;
    then the same button again once it is back. The replies to that last press."""
    await citizen.send("/start")
    for step in STEPS[:3]:
        await citizen.deliver(await step_update(citizen, step))
    database.stop()
    try:
        replies = await citizen.deliver(await step_update(citizen, STEPS[3]))
        assert len(replies) == 1 and "ცოტა ხანში" in replies[0], "please try again shortly"
    finally:
        database.start()
    return await citizen.deliver(await step_update(citizen, STEPS[3]))
