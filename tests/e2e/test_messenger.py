"""Facebook Messenger end to end: signed webhook calls in, the fake Graph API out."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.flows import EXPECTED, NEED, SUGGESTION, draft_count, stored_responses
from tests.support.messenger_citizen import MessengerCitizen, page_payload, sign


async def answer_up_to_summary(citizen: MessengerCitizen) -> list[str]:
    """Taps, the next page of services, typed numbers, a typed digit and free text."""
    first = await citizen.get_started()
    assert "15. ზამთრის თბობა" in first[-1], "long option lists are numbered in full"
    await citizen.tap("კიდევ")
    await citizen.tap("15.")
    await citizen.tap("ქალი")
    await citizen.say("4")  # the fourth information source, typed
    await citizen.tap("2. ნაწილობრივ")
    await citizen.tap("3 — მარტივი")
    await citizen.say("4")
    await citizen.tap("5 — ძალიან კარგი")
    await citizen.tap("4 — ცდილობდნენ")
    await citizen.tap("დიახ")
    await citizen.say(NEED)
    return await citizen.say(SUGGESTION)


@pytest.mark.both_databases
async def test_citizen_completes_questionnaire_on_messenger_within_its_limits(messenger_bot):
    citizen = messenger_bot.citizen("7301234567890123")
    summary = await answer_up_to_summary(citizen)
    assert "ზამთრის თბობ" in summary[-1] and SUGGESTION in summary[-1]
    closing = await citizen.tap("✅")
    assert "გმადლობთ" in closing[-1]
    assert not citizen.quick_replies or all(
        reply["payload"] != "sub" for reply in citizen.received[-1].quick_replies
    ), "Messenger may not write later, so no news is offered"
    [response] = await stored_responses(messenger_bot.runtime)
    assert response["answers"] == EXPECTED and response["channel"] == "messenger"
    assert messenger_bot.graph.refused == []
    assert {sent.messaging_type for sent in messenger_bot.graph.sent} == {"RESPONSE"}


async def test_webhook_verification_answers_the_challenge_only_with_the_right_token(
    messenger_bot,
):
    http, url = messenger_bot.webhook.http, messenger_bot.webhook.url
    token = messenger_bot.settings.messenger_verify_token.get_secret_value()
    query = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444"}
    async with http.get(url, params=query) as response:
        assert response.status == 200 and await response.text() == "1158201444"
    async with http.get(url, params={**query, "hub.verify_token": "guess"}) as response:
        assert response.status == 403 and "1158201444" not in await response.text()


async def test_m_me_link_preselects_the_service_for_new_and_existing_threads(messenger_bot):
    newcomer = messenger_bot.citizen("7301234567890001")
    replies = await newcomer.get_started(ref="food_parcel")
    assert "სასურსათო" in replies[1] and "კითხვა 2 / 10" in replies[-1]

    returning = messenger_bot.citizen("7301234567890002")
    await returning.say("გამარჯობა")
    replies = await returning.open_link("winter_heating")
    assert "ზამთრის თბობ" in replies[1] and "კითხვა 2 / 10" in replies[-1]
    replies = await returning.open_link("nonsense")
    assert "გააგრძელოთ" in replies[-1], "a link mid-questionnaire offers to continue"


async def test_bad_or_missing_signature_is_refused_and_nothing_is_stored(messenger_bot):
    citizen = messenger_bot.citizen("7301234567890003")
    payload = page_payload(citizen.item(postback={"title": "Get Started", "payload": "start"}))
    webhook = messenger_bot.webhook
    assert await webhook.post(payload, signature="sha256=" + "0" * 64) == 403
    assert await webhook.post(payload, signature=None) == 403
    assert await webhook.post(payload, signature="sha1=abc") == 403
    await messenger_bot.graph.idle(messenger_bot.webhook.posted)
    assert messenger_bot.graph.sent == []
    assert await draft_count(messenger_bot.runtime) == 0


@pytest.mark.both_databases
async def test_message_delivered_twice_is_answered_once(messenger_bot):
    citizen = messenger_bot.citizen("7301234567890004")
    await citizen.get_started()
    answer = citizen.message(text="15")
    assert "კითხვა 2 / 10" in (await citizen.deliver(answer))[-1]
    assert await citizen.deliver(answer, expect_reply=False) == []
    await citizen.tap("ქალი")
    assert "კითხვა 3 / 10" in citizen.received[-1].text


async def test_rate_limited_send_is_retried_and_arrives(messenger_bot):
    graph = messenger_bot.graph
    citizen = messenger_bot.citizen("7301234567890005")
    graph.fail_next(613)
    graph.fail_next(2, status=500)
    replies = await citizen.get_started()
    assert "კითხვა 1 / 10" in replies[-1]
    assert graph.attempts == len(graph.sent) + 2


async def test_outside_window_keeps_the_draft_and_resumes_when_the_person_writes(messenger_bot):
    graph = messenger_bot.graph
    citizen = messenger_bot.citizen("7301234567890006")
    await citizen.get_started()
    await citizen.say("15")
    graph.outside_window.add(citizen.psid)
    graph.fail_next(613)  # retried, then refused for the window: not retried
    await citizen.deliver(citizen.message(text="1"), expect_reply=False)
    assert graph.attempts == len(graph.sent) + 2
    graph.outside_window.clear()
    replies = await citizen.say("/start")
    assert "გააგრძელოთ" in replies[-1]
    replies = await citizen.tap("▶️")
    assert "კითხვა 3 / 10" in replies[-1], "the answer given before the window closed is kept"


async def test_batched_entries_are_all_handled_and_echoes_ignored(messenger_bot):
    first = messenger_bot.citizen("7301234567890007")
    second = messenger_bot.citizen("7301234567890008")
    echo = first.message(text="ეს გვერდის პასუხია", is_echo=True, app_id=1234)
    receipt = first.item(delivery={"mids": ["m_1"], "watermark": 1})
    payload = page_payload(first.item(postback={"title": "Get Started", "payload": "start"}))
    payload["entry"].append(page_payload(echo, receipt, second.message(text="/start"))["entry"][0])
    assert await messenger_bot.webhook.post(payload) == 200
    graph = messenger_bot.graph
    await graph.wait_until(
        lambda: len(graph.to(first.psid)) == 2 and len(graph.to(second.psid)) == 2
    )
    await graph.idle(messenger_bot.webhook.posted)
    assert len(graph.sent) == 4 and await draft_count(messenger_bot.runtime) == 2


async def test_stickers_forged_payloads_and_stray_text_get_kind_answers(messenger_bot):
    citizen = messenger_bot.citizen("7301234567890009")
    replies = await citizen.say("გამარჯობა")
    assert "დაწყებას" in replies[-1] and citizen.quick_replies[0]["payload"] == "new|"
    await citizen.tap("▶️")
    sticker = {"attachments": [{"type": "image", "payload": {"sticker_id": 369239263222822}}]}
    replies = await citizen.deliver(citizen.message(**sticker))
    assert "სტიკერს" in replies[0] and "კითხვა 1 / 10" in replies[-1]
    forged = citizen.message(text="x", quick_reply={"payload": "a|service|palace"})
    replies = await citizen.deliver(forged)
    assert "ვერ ამოვიცანი" in replies[0]
    replies = await citizen.say("ჩემი ოჯახი")
    assert "ნომერი" in replies[0] and "კითხვა 1 / 10" in replies[-1]
    replies = await citizen.say("99")
    assert "კითხვა 1 / 10" in replies[-1]
    replies = await citizen.say("ა" * 5000)
    assert "კითხვა 1 / 10" in replies[-1]
    assert await stored_responses(messenger_bot.runtime) == []


async def test_menu_help_and_stop_work_as_postbacks(messenger_bot):
    citizen = messenger_bot.citizen("7301234567890010")
    await citizen.get_started()
    replies = await citizen.deliver(
        citizen.item(postback={"title": "დახმარება", "payload": "help"})
    )
    assert "მენიუში" in replies[0] and "/start" not in replies[0]
    replies = await citizen.deliver(citizen.item(postback={"title": "შეწყვეტა", "payload": "stop"}))
    assert "წაიშალა" in replies[-1] and await draft_count(messenger_bot.runtime) == 0


async def test_page_profile_sets_get_started_and_menu_within_limits(messenger_bot):
    [profile] = messenger_bot.graph.profiles
    assert profile["get_started"] == {"payload": "start"}
    actions = profile["persistent_menu"][0]["call_to_actions"]
    assert [action["payload"] for action in actions] == ["start", "help", "stop"]
    assert all(len(action["title"]) <= 30 for action in actions)
    assert len(profile["greeting"][0]["text"]) <= 160


@pytest.mark.both_databases
async def test_many_people_writing_at_once_all_complete(messenger_bot):
    citizens = [messenger_bot.citizen(f"73012345678{index:05d}") for index in range(8)]

    async def complete(citizen: MessengerCitizen) -> None:
        await answer_up_to_summary(citizen)
        await citizen.tap("✅")

    await asyncio.gather(*(complete(citizen) for citizen in citizens))
    responses = await stored_responses(messenger_bot.runtime)
    assert [response["answers"] for response in responses] == [EXPECTED] * 8
    assert await draft_count(messenger_bot.runtime) == 0


async def test_oversized_or_malformed_calls_are_refused_without_harm(messenger_bot):
    webhook = messenger_bot.webhook
    huge = page_payload(messenger_bot.citizen("7301234567899999").message(text="ა" * 400_000))
    assert await webhook.post(huge) == 413
    body = b"not json"
    headers = {"X-Hub-Signature-256": sign(body, webhook.app_secret)}
    async with webhook.http.post(webhook.url, data=body, headers=headers) as response:
        assert response.status == 400
    assert await webhook.post({"object": "instagram", "entry": [{"messaging": [{}]}]}) == 200
    assert await webhook.post({"object": "page", "entry": [None, "x", {"messaging": ["x"]}]}) == 200
    await messenger_bot.graph.idle(messenger_bot.webhook.posted)
    assert messenger_bot.graph.sent == []


async def test_unavailable_person_is_not_retried_and_their_answers_stay(messenger_bot):
    graph = messenger_bot.graph
    citizen = messenger_bot.citizen("7301234567890011")
    await citizen.get_started()
    graph.unavailable.add(citizen.psid)
    attempts = graph.attempts
    await citizen.deliver(citizen.message(text="15"), expect_reply=False)
    assert graph.attempts == attempts + 1, "551 is final: no retry"
    graph.unavailable.clear()
    replies = await citizen.deliver(citizen.item(postback={"payload": "start"}))
    await citizen.tap("▶️")
    assert "კითხვა 2 / 10" in citizen.received[-1].text and replies
