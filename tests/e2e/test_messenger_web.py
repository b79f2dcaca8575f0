"""Messenger's default: the chat opens the web questionnaire, so no answer is ever a message
in the page's inbox."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.flows import EXPECTED, NEED, SUGGESTION, stored_responses
from tests.support.web_citizen import WebCitizen, browser

pytestmark = pytest.mark.both_databases

LABELS = ("ზამთრის", "ქალი", "ნათესავისგან", "ნაწილობრივ", "3 — მარტივი", "4 —")
LABELS_2 = ("5 — ძალიან კარგი", "4 — ცდილობდნენ", "დიახ")


@pytest.fixture
def messenger_env(messenger_env: dict[str, str]) -> dict[str, str]:
    messenger_env.pop("MESSENGER_MODE")  # the default
    messenger_env["WEB_ENABLED"] = "true"
    return messenger_env


def open_links(graph, psid: str) -> list[str]:
    return [url for sent in graph.to(psid) for url in sent.urls]


async def test_a_messenger_citizen_answers_on_the_web_page_and_the_inbox_holds_no_answer(
    messenger_bot,
):
    graph, runtime = messenger_bot.graph, messenger_bot.runtime
    citizen = messenger_bot.citizen("7301234567890001")
    welcome = await citizen.get_started(ref="winter_heating")
    assert any("ადმინისტრატორებს არ უჩანთ" in text for text in welcome)
    [link] = open_links(graph, citizen.psid)
    assert citizen.psid not in link and "/m/" in link
    async with browser() as http:
        page = WebCitizen(link.split("/m/")[0] + "/", http)
        await page.open(link.split("/", 3)[3])
        await page.press("▶️")
        assert "კითხვა 2 / 10" in page.page, "the service came with the m.me link"
        for label in LABELS[1:] + LABELS_2:
            await page.press(label)
        await page.write(NEED)
        await page.write(SUGGESTION)
        await page.press("✅")
        assert "გმადლობთ" in page.page
    [response] = await stored_responses(runtime)
    assert response["answers"] == EXPECTED and response["channel"] == "messenger"
    said = "\n".join(sent.everything for sent in graph.sent)
    labels = ("ზამთრის თბობა", "ნათესავისგან", "ნაწილობრივ", "მარტივი", "ცდილობდნენ")
    for answer in (NEED, SUGGESTION, *labels):
        assert answer not in said, f"{answer!r} reached the page's inbox"


async def test_the_link_opens_the_page_once_only(messenger_bot):
    graph = messenger_bot.graph
    citizen = messenger_bot.citizen("7301234567890002")
    await citizen.get_started()
    [link] = open_links(graph, citizen.psid)
    async with browser() as http:
        page = WebCitizen(link.split("/m/")[0] + "/", http)
        await page.open(link.split("/", 3)[3])
        await page.press("▶️")
        assert "კითხვა 1 / 10" in page.page
        second = WebCitizen(page.base, http)
        await second.open(link.split("/", 3)[3])
        await second.press("▶️")
        assert second.status == 410, "a link seen in the inbox cannot be used again"


async def test_the_reminder_in_the_default_mode_is_a_button_to_the_page(messenger_bot, clock):
    from bot.entry.jobs import Jobs

    graph, runtime = messenger_bot.graph, messenger_bot.runtime
    citizen = messenger_bot.citizen("7301234567890003")
    await citizen.get_started()
    before = len(open_links(graph, citizen.psid))
    channel = messenger_channel(messenger_bot)
    try:
        clock.now += timedelta(hours=23)
        assert "reminders:1" in await Jobs(runtime, None, [channel]).tick()
    finally:
        await channel.graph.close()
    [reminder] = [sent for sent in graph.to(citizen.psid) if sent.urls][before:]
    assert reminder.messaging_type == "UPDATE" and "ბოლომდე არ შეავსეთ" in reminder.everything


def messenger_channel(messenger_bot):
    from bot.channels.messenger.channel import open_channel
    from bot.channels.port import Needs

    runtime = messenger_bot.runtime
    needs = Needs(
        messenger_bot.settings, runtime.router, runtime.content.locale, runtime.conversation.keyer
    )
    return open_channel(needs)


async def test_an_m_me_link_naming_a_loaded_form_opens_it_on_the_web_page(messenger_bot, tmp_path):
    from tests.support.xlsforms import kindergarten, load_form

    graph, runtime = messenger_bot.graph, messenger_bot.runtime
    await load_form(runtime, kindergarten(tmp_path))
    citizen = messenger_bot.citizen("7301234567890004")
    await citizen.get_started(ref="kindergarten--garden_3")
    [link] = open_links(graph, citizen.psid)
    async with browser() as http:
        page = WebCitizen(link.split("/m/")[0] + "/", http)
        await page.open(link.split("/", 3)[3])
        await page.press("▶️")
        assert "კითხვა 2 / 5" in page.page, "the kindergarten came with the m.me link"
        await page.press("4 — კმაყოფილი")
        await page.press("☐ აღმზრდელები")
        await page.press("✅ მზადაა")
        await page.write("1")
        await page.press("✅")
        assert "გმადლობთ" in page.page
    [response] = await stored_responses(runtime)
    assert response["questionnaire_version"] == "kindergarten_v1"
    assert response["answers"] == {
        "garden": "garden_3",
        "content": "4",
        "liked": "teachers",
        "children": "1",
    }
    said = "\n".join(sent.everything for sent in graph.sent)
    assert "აღმზრდელები" not in said, "no answer reached the page's inbox"
