"""A citizen answers the questionnaire on Telegram: the real bot against a fake Bot API."""

from __future__ import annotations

import pytest

from tests.support.citizen import Citizen, buttons_of
from tests.support.flows import (
    EXPECTED,
    NEED,
    SUGGESTION,
    answer_up_to_summary,
    complete,
    draft_count,
    stored_responses,
)

pytestmark = pytest.mark.both_databases


async def test_citizen_completes_questionnaire_and_one_response_is_stored(running_bot):
    citizen = Citizen(running_bot.api, 410000001)
    summary = await answer_up_to_summary(citizen)
    assert "სოციალურად დაუცველი მოსახლეობის ზამთრის თბობისათვის" in summary[-1]
    assert SUGGESTION in summary[-1] and NEED in summary[-1]
    closing = await citizen.press("გაგზავნა")
    assert "გმადლობთ" in closing[0]
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"] == EXPECTED
    assert response["channel"] == "telegram"
    assert response["questionnaire_version"] == "social_services_v1"
    assert await draft_count(running_bot.runtime) == 0


async def test_intro_explains_anonymity_duration_and_navigation(running_bot):
    citizen = Citizen(running_bot.api, 410000002)
    intro, first_question = await citizen.send("/start")
    assert "ანონიმური" in intro and "2 წუთი" in intro and "/stop" in intro and "უკან" in intro
    assert "კითხვა 1 / 10" in first_question
    assert "ზამთრის თბობა" in buttons_of(citizen.last_keyboard_message())


async def test_pressed_question_shows_full_service_name_and_loses_its_buttons(running_bot):
    citizen = Citizen(running_bot.api, 410000003)
    await citizen.send("/start")
    question = citizen.last_keyboard_message()
    await citizen.press("ზამთრის თბობა")
    edited = running_bot.api.messages[(citizen.chat_id, question["message_id"])]
    assert "ზამთრის თბობისათვის ერთჯერადი ფულადი დახმარება" in edited["text"]
    assert "reply_markup" not in edited


async def test_back_returns_to_previous_question_showing_the_earlier_answer(running_bot):
    citizen = Citizen(running_bot.api, 410000004)
    await citizen.send("/start")
    await citizen.press("შინ მოვლა")
    [again] = await citizen.press("უკან")
    assert "კითხვა 1 / 10" in again and "შინ მოვლის პროგრამა" in again
    await citizen.press("ვეტერანები")
    [gender] = citizen.received[-1:]
    assert "სქესი" in gender["text"]


async def test_no_on_extra_needs_skips_the_description_question(running_bot):
    citizen = Citizen(running_bot.api, 410000005)
    await citizen.send("/start")
    for label in ("შშმ პირები", "კაცი", "ვებგვერდიდან", "სრულად", "4 —", "5 —", "5 —", "5 —"):
        await citizen.press(label)
    [next_question] = await citizen.press("არა")
    assert "შეთავაზებები" in next_question or "გაგვიზიაროთ" in next_question
    assert "კითხვა 10 / 10" in next_question


async def test_optional_question_can_be_skipped_and_required_ones_cannot(running_bot):
    citizen = Citizen(running_bot.api, 410000006)
    await citizen.send("/start")
    assert not any("გამოტოვება" in label for label in buttons_of(citizen.last_keyboard_message()))
    [problem, question] = await citizen.press_data("s|service")
    assert "სავალდებულო" in problem and "კითხვა 1 / 10" in question
    await answer_up_to_summary(citizen, start="/help")
    await citizen.press("პასუხის შეცვლა")
    await citizen.press("შეთავაზებები")
    [summary] = await citizen.press("გამოტოვება")
    assert "შეთავაზებები: — გამოტოვებული" in summary
    await citizen.press("გაგზავნა")
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"]["suggestions"] is None


async def test_changing_an_answer_from_summary_returns_to_summary(running_bot):
    citizen = Citizen(running_bot.api, 410000007)
    await answer_up_to_summary(citizen)
    [pick] = await citizen.press("პასუხის შეცვლა")
    assert "რომელი პასუხის" in pick
    [question] = await citizen.press("კმაყოფილება")
    assert "ახლანდელი პასუხი: 4 — კმაყოფილი" in question
    [summary] = await citizen.press("2 — უკმაყოფილო")
    assert "კმაყოფილება: 2 — უკმაყოფილო" in summary
    await citizen.press("გაგზავნა")
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"]["satisfaction"] == "2"


async def test_withdrawn_yes_leaves_no_orphan_description(running_bot):
    citizen = Citizen(running_bot.api, 410000008)
    await answer_up_to_summary(citizen)
    await citizen.press("პასუხის შეცვლა")
    await citizen.press("დამატებითი საჭიროება")
    [summary] = await citizen.press("არა")
    assert NEED not in summary
    await citizen.press("გაგზავნა")
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"]["extra_needs"] == "no"
    assert "extra_needs_text" not in response["answers"]


async def test_deep_link_preselects_service_which_stays_changeable(running_bot):
    citizen = Citizen(running_bot.api, 410000009)
    _intro, note, question = await citizen.send("/start home_care")
    assert "შინ მოვლის პროგრამა" in note
    assert "სქესი" in question and "კითხვა 2 / 10" in question
    for label in ("ქალი", "სხვა", "სრულად", "4 —", "5 —", "5 —", "5 —", "არა"):
        await citizen.press(label)
    [summary] = await citizen.press("გამოტოვება")
    assert "სერვისი: შინ მოვლის პროგრამა" in summary
    await citizen.press("პასუხის შეცვლა")
    await citizen.press("სერვისი")
    await citizen.press("ვეტერანები")
    await citizen.press("გაგზავნა")
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"]["service"] == "veterans"


async def test_unknown_deep_link_code_is_ignored_politely(running_bot):
    citizen = Citizen(running_bot.api, 410000010)
    _intro, note, question = await citizen.send("/start no_such_service")
    assert "ვერ ამოვიცანი" in note
    assert "კითხვა 1 / 10" in question


async def test_start_mid_questionnaire_offers_to_continue(running_bot):
    citizen = Citizen(running_bot.api, 410000011)
    await citizen.send("/start")
    await citizen.press("ზამთრის თბობა")
    await citizen.press("ქალი")
    [offer] = await citizen.send("/start")
    assert "გააგრძელოთ" in offer
    [question] = await citizen.press("გაგრძელება")
    assert "კითხვა 3 / 10" in question


async def test_start_mid_questionnaire_can_start_over(running_bot):
    citizen = Citizen(running_bot.api, 410000012)
    await citizen.send("/start")
    await citizen.press("ზამთრის თბობა")
    await citizen.send("/start")
    replies = await citizen.press("თავიდან დაწყება")
    assert "კითხვა 1 / 10" in replies[-1] and "ახლანდელი პასუხი" not in replies[-1]


async def test_help_explains_the_commands_and_keeps_the_place(running_bot):
    citizen = Citizen(running_bot.api, 410000013)
    await citizen.send("/start")
    await citizen.press("ზამთრის თბობა")
    help_text, question = await citizen.send("/help")
    assert "/start" in help_text and "/stop" in help_text and "/help" in help_text
    assert "კითხვა 2 / 10" in question


async def test_stop_deletes_the_draft_and_says_so(running_bot):
    citizen = Citizen(running_bot.api, 410000014)
    await citizen.send("/start")
    await citizen.press("ზამთრის თბობა")
    assert await draft_count(running_bot.runtime) == 1
    [said] = await citizen.send("/stop")
    assert "წაიშალა" in said
    assert await draft_count(running_bot.runtime) == 0
    [again] = await citizen.send("/stop")
    assert "შესაწყვეტი არაფერია" in again


async def test_several_citizens_each_store_one_response(running_bot):
    for user_id in (410000021, 410000022, 410000023):
        closing = await complete(Citizen(running_bot.api, user_id))
        assert "გმადლობთ" in closing[0]
    assert len(await stored_responses(running_bot.runtime)) == 3
