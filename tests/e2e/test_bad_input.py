"""Bad input gets a kind Georgian reply and changes nothing."""

from __future__ import annotations

import pytest

from tests.support.citizen import Citizen
from tests.support.flows import draft_count, stored_responses

STICKER = {
    "file_id": "CAACAgIAAxk",
    "file_unique_id": "AgADsticker",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
    "type": "regular",
}
PHOTO = [{"file_id": "AgACAgIAAxk", "file_unique_id": "AQADphoto", "width": 90, "height": 90}]
VOICE = {"file_id": "AwACAgIAAxk", "file_unique_id": "AgADvoice", "duration": 3}
DOCUMENT = {"file_id": "BQACAgIAAxk", "file_unique_id": "AgADdoc", "file_name": "a.pdf"}


async def at_gender_question(citizen: Citizen) -> None:
    await citizen.send("/start")
    await citizen.press("ზამთრის თბობა")


async def at_suggestions_question(citizen: Citizen) -> None:
    await at_gender_question(citizen)
    for label in ("ქალი", "სხვა", "სრულად", "4 —", "5 —", "5 —", "5 —", "არა"):
        await citizen.press(label)


async def test_text_where_buttons_expected_asks_the_question_again(running_bot):
    citizen = Citizen(running_bot.api, 420000001)
    await at_gender_question(citizen)
    problem, question = await citizen.send("ქალი ვარ")
    assert "ღილაკებით" in problem
    assert "კითხვა 2 / 10" in question and "ქალი" in citizen.buttons()


async def test_scale_accepts_only_a_digit_of_the_scale(running_bot):
    citizen = Citizen(running_bot.api, 420000002)
    await at_gender_question(citizen)
    for label in ("ქალი", "სხვა", "სრულად"):
        await citizen.press(label)
    problem, question = await citizen.send("7")
    assert "1-დან 4-მდე" in problem and "კითხვა 5 / 10" in question
    [next_question] = await citizen.send("2")
    assert "კითხვა 6 / 10" in next_question


@pytest.mark.parametrize(
    "content",
    [{"sticker": STICKER}, {"photo": PHOTO}, {"voice": VOICE}, {"document": DOCUMENT}],
    ids=["sticker", "photo", "voice", "document"],
)
async def test_non_text_message_is_declined_kindly_and_the_question_repeated(running_bot, content):
    citizen = Citizen(running_bot.api, 420000003)
    await at_gender_question(citizen)
    problem, question = await citizen.send_content(**content)
    assert "ვერ ვკითხულობ" in problem
    assert "კითხვა 2 / 10" in question


async def test_empty_message_is_not_an_answer(running_bot):
    citizen = Citizen(running_bot.api, 420000004)
    await at_suggestions_question(citizen)
    problem, question = await citizen.send("   ")
    assert "ცარიელია" in problem and "კითხვა 10 / 10" in question


async def test_five_thousand_characters_are_refused_and_a_thousand_kept_whole(running_bot):
    citizen = Citizen(running_bot.api, 420000005)
    await at_suggestions_question(citizen)
    problem, _question = await citizen.send("ა" * 5000)
    assert "5000" in problem and "1000" in problem and "შეამოკლოთ" in problem
    [summary] = await citizen.send("ბ" * 1000)
    assert "ბ" * 1000 in summary
    await citizen.press("გაგზავნა")
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"]["suggestions"] == "ბ" * 1000


@pytest.mark.parametrize(
    "data", ["", "zzz", "a|service|no_such_code", "a|nope|x", "s|", "p|gender", "ok", "x" * 64]
)
async def test_forged_button_data_changes_nothing(running_bot, data):
    citizen = Citizen(running_bot.api, 420000006)
    await at_gender_question(citizen)
    problem, question = await citizen.press_data(data)
    assert "ღილაკი" in problem
    assert "კითხვა 2 / 10" in question
    [gender] = await citizen.press("კაცი")
    assert "კითხვა 3 / 10" in gender


async def test_button_from_an_earlier_question_is_recognised_as_stale(running_bot):
    citizen = Citizen(running_bot.api, 420000007)
    await citizen.send("/start")
    first = citizen.last_keyboard_message()
    await citizen.press("ზამთრის თბობა")
    problem, question = await citizen.press_data("a|service|veterans", message=first)
    assert "წინა შეტყობინებას" in problem and "კითხვა 2 / 10" in question


async def test_unknown_command_mid_questionnaire_keeps_the_place(running_bot):
    citizen = Citizen(running_bot.api, 420000008)
    await at_gender_question(citizen)
    problem, question = await citizen.send("/menu")
    assert "/help" in problem and "კითხვა 2 / 10" in question


async def test_text_without_a_questionnaire_explains_how_to_start(running_bot):
    citizen = Citizen(running_bot.api, 420000009)
    [hint] = await citizen.send("გამარჯობა")
    assert "/start" in hint
    assert await draft_count(running_bot.runtime) == 0


async def test_group_chat_is_told_to_write_privately_and_nothing_is_kept(running_bot):
    citizen = Citizen(running_bot.api, 420000010, chat_id=-100200300, chat_type="group")
    [answer] = await citizen.send("/start")
    assert "პირად" in answer
    assert await citizen.deliver(citizen.message_update(text="გამარჯობა"), expect_reply=False) == []
    assert await draft_count(running_bot.runtime) == 0
