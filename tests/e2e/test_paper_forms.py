"""Staff type in the paper forms from the box, through the bot, fast."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.support.citizen import Citizen, buttons_of
from tests.support.flows import stored_responses

STAFF = 630000001


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["STAFF_IDS"] = str(STAFF)
    return settings_env


FULL_FORM = ["ვეტერანები", "კაცი", "სხვა", "სრულად", "4 —", "5 —", "5 —", "5 —", "არა"]


async def test_a_paper_batch_lands_with_its_date_and_blank_answers_count(running_bot):
    clerk = Citizen(running_bot.api, STAFF, "ეთერი", "კანცელარია", "eteri_staff")
    [ask] = await clerk.send("/paper")
    assert "თარიღი" in ask
    [first] = await clerk.send("14.07.2025")
    assert "ფორმა 1" in first and "14.07.2025" in first
    assert "— არ არის შევსებული" in buttons_of(clerk.last_keyboard_message())
    for label in FULL_FORM:
        await clerk.press(label)
    saved, second = await clerk.send("თანხა გაზარდეთ")
    assert "ფორმა 1 შენახულია" in saved and "ფორმა 2" in second
    await clerk.press("არ არის შევსებული")  # the service was left blank on paper
    await clerk.press("არ არის შევსებული")  # and the gender
    for label in FULL_FORM[2:]:
        await clerk.press(label)
    saved, third = await clerk.press("არ არის შევსებული")  # no suggestion written
    assert "ფორმა 2 შენახულია" in saved and "ფორმა 3" in third
    [done] = await clerk.send("/done")
    assert "2 ფორმა" in done
    stored = await stored_responses(running_bot.runtime)
    assert [r["channel"] for r in stored] == ["paper", "paper"]
    assert {r["submitted_on"].isoformat() for r in stored} == {"2025-07-14"}
    by_service = {r["answers"]["service"]: r["answers"] for r in stored}
    assert by_service["veterans"]["suggestions"] == "თანხა გაზარდეთ"
    assert by_service[None]["gender"] is None and by_service[None]["suggestions"] is None


async def test_today_button_and_the_citizen_flow_after_the_batch(running_bot, clock):
    clock.now = datetime(2025, 9, 8, 7, 0, tzinfo=UTC)
    clerk = Citizen(running_bot.api, STAFF)
    await clerk.send("/paper")
    [first] = await clerk.press("დღეს")
    assert "08.09.2025" in first
    await clerk.send("/done")
    replies = await clerk.send("/start")
    assert "კითხვა 1 / 10" in replies[-1]


async def test_wrong_date_is_asked_again(running_bot):
    clerk = Citizen(running_bot.api, STAFF)
    await clerk.send("/paper")
    [again] = await clerk.send("გუშინ")
    assert "14.07.2025" in again
    [first] = await clerk.send("2025-07-01")
    assert "01.07.2025" in first


async def test_someone_not_staff_cannot_enter_paper_forms(running_bot):
    citizen = Citizen(running_bot.api, 630000099)
    [refusal] = await citizen.send("/paper")
    assert "მხოლოდ მერიის თანამშრომლებისთვის" in refusal
    [nothing] = await Citizen(running_bot.api, STAFF).send("/done")
    assert "/paper" in nothing
