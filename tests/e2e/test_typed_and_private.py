"""A citizen who types the button's words is understood, and personal details never land."""

from __future__ import annotations

import pytest

from tests.support.citizen import Citizen
from tests.support.flows import stored_responses

STAFF = 630000009
PHONE = "დამირეკეთ 599 12 34 56 ან nino@mail.ge"


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["STAFF_IDS"] = str(STAFF)
    return settings_env


TYPED = [
    "ზამთრის თბობა",
    "ქალი",
    "ნათესავისგან, მეზობლისგან, ნაცნობისგან",
    "ნაწილობრივ",
    "მარტივი",
    "4",  # a digit on a scale is still the scale's value
    "ძალიან კარგი",
    "ცდილობდნენ",
    "დიახ",
]


async def test_a_citizen_types_every_answer_and_a_phone_number_is_left_out(running_bot):
    citizen = Citizen(running_bot.api, 640000001)
    [*_, first] = await citizen.send("/start")
    assert "10 მოკლე კითხვა" in citizen.received[0]["text"] and "კითხვა 1 / 10" in first
    for text in TYPED:
        *_, prompt = await citizen.send(text)
    assert "კითხვა 9ა / 10" in prompt and "ნუ დაწერთ" in prompt
    notice, prompt = await citizen.send(PHONE)
    assert "ანონიმურობისთვის" in notice and "კითხვა 10 / 10" in prompt
    *_, summary = await citizen.send("გამოტოვება")
    assert "[წაშლილია]" in summary and "599" not in summary
    await citizen.send("გაგზავნა")
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"]["gender"] == "female"
    assert response["answers"]["satisfaction"] == "4"
    assert response["answers"]["documents"] == "3"
    assert response["answers"]["extra_needs_text"] == "დამირეკეთ [წაშლილია] ან [წაშლილია]"
    assert response["answers"]["suggestions"] is None


async def test_on_messenger_a_typed_label_is_understood_too(messenger_bot):
    citizen = messenger_bot.citizen("7000000000000001")
    await citizen.get_started()
    replies = await citizen.say("შინ მოვლის პროგრამა")  # the service's full name
    assert any("კითხვა 2 / 10" in reply for reply in replies)
    replies = await citizen.say("არ მსურს მითითება")
    assert any("კითხვა 3 / 10" in reply for reply in replies)


async def test_paper_entry_masks_personal_details_and_says_how_many(running_bot):
    clerk = Citizen(running_bot.api, STAFF)
    await clerk.send("/paper")
    await clerk.send("14.07.2025")
    for label in ["ვეტერანები", "კაცი", "სხვა", "სრულად", "4 —", "5 —", "5 —", "5 —", "არა"]:
        await clerk.press(label)
    masked, saved, _ = await clerk.send("ტელ: 0439 22 12 34, პ/ნ 01008012345")
    assert "2 პირადი მონაცემი" in masked and "ფორმა 1 შენახულია" in saved
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"]["suggestions"] == "ტელ: [წაშლილია], პ/ნ [წაშლილია]"
