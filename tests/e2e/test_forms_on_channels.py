"""A questionnaire staff wrote in a spreadsheet, answered end to end on Telegram, Messenger
and the web: several answers ticked, a number checked, rules followed, one response stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.citizen import Citizen, buttons_of
from tests.support.flows import draft_count, stored_responses
from tests.support.web_citizen import WebCitizen, browser
from tests.support.xlsforms import kindergarten, load_form

pytestmark = pytest.mark.both_databases

PROBLEM = "სადილი ცივია, დამირეკეთ 599 12 34 56"
MASKED = "სადილი ცივია, დამირეკეთ [წაშლილია]"
EXPECTED = {
    "garden": "garden_2",
    "content": "2",
    "liked": "food hours",
    "children": "2",
    "problems": "yes",
    "problem_text": MASKED,
}


async def test_a_telegram_citizen_completes_the_kindergarten_form(running_bot, tmp_path: Path):
    await load_form(running_bot.runtime, kindergarten(tmp_path))
    citizen = Citizen(running_bot.api, 420000001)
    intro, first = await citizen.send("/start kindergarten")
    assert "საბავშვო ბაღი" in intro and "5 მოკლე კითხვა" in intro and "ანონიმური" in intro
    assert "კითხვა 1 / 5" in first and "ბაღი №2 (ნიკორწმინდა)" in first + str(
        buttons_of(citizen.last_keyboard_message())
    )
    await citizen.press("ბაღი №2")
    [liked] = await citizen.press("2 — უკმაყოფილო")
    assert "კითხვა 3 / 5" in liked and "მზადაა" in liked
    assert "☐ კვება" in buttons_of(citizen.last_keyboard_message())
    question = await citizen.tick("☐ კვება")  # the same message, redrawn with its tick
    assert "☑ კვება" in buttons_of(question) and "☐ სამუშაო საათები" in buttons_of(question)
    assert await citizen.tick("☐ სამუშაო საათები") is question
    labels = buttons_of(citizen.last_keyboard_message())
    assert "☑ კვება" in labels and "☑ სამუშაო საათები" in labels and "☐ შენობა და ეზო" in labels
    assert "კითხვა 3 / 5" in question["text"] and "მზადაა" in str(labels)
    await citizen.tick("☑ სამუშაო საათები")  # ticked twice: off again
    assert "☐ სამუშაო საათები" in buttons_of(question)
    await citizen.tick("☐ სამუშაო საათები")
    [children] = await citizen.press("✅ მზადაა")
    assert "რამდენი შვილი" in children and "ციფრებით" in children
    refused = await citizen.send("7")
    assert "1-დან 5-მდე" in refused[0] and "რამდენი შვილი" in refused[1]
    assert "მთელი რიცხვი" in (await citizen.send("ორი"))[0]
    [problems] = await citizen.send("2")
    assert "პრობლემა" in problems and "კითხვა 5 / 5" in problems
    [text] = await citizen.press("დიახ")
    assert "კითხვა 5ა / 5" in text and "აღწეროთ" in text
    notice, summary = await citizen.send(PROBLEM)
    assert "ამოვიღეთ" in notice
    assert "კვება, სამუშაო საათები" in summary and MASKED in summary and "ბაღი №2" in summary
    closing = await citizen.press("გაგზავნა")
    assert "გმადლობთ" in closing[0]
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"] == EXPECTED
    assert (response["questionnaire_version"], response["channel"]) == (
        "kindergarten_v1",
        "telegram",
    )
    assert await draft_count(running_bot.runtime) == 0


async def test_start_without_a_link_offers_the_active_forms(running_bot, tmp_path: Path):
    await load_form(running_bot.runtime, kindergarten(tmp_path))
    citizen = Citizen(running_bot.api, 420000002)
    [choose] = await citizen.send("/start")
    assert "რომელ კითხვარს" in choose
    assert buttons_of(citizen.last_keyboard_message()) == [
        "სოციალური სერვისებით კმაყოფილების კითხვარი",
        "საბავშვო ბაღი",
    ]
    intro, first = await citizen.press("საბავშვო ბაღი")
    assert "საბავშვო ბაღი" in intro and "კითხვა 1 / 5" in first
    # The links of the first form (a service) still open it, with the service answered.
    other = Citizen(running_bot.api, 420000003)
    replies = await other.send("/start winter_heating")
    assert "ზამთრის თბობ" in replies[1] and "კითხვა 2 / 10" in replies[-1]


async def test_a_link_may_answer_the_forms_first_choice(running_bot, tmp_path: Path):
    await load_form(running_bot.runtime, kindergarten(tmp_path))
    citizen = Citizen(running_bot.api, 420000004)
    _intro, from_link, question = await citizen.send("/start kindergarten--garden_3")
    assert "ბაღი №3 (ჭრებალო)" in from_link and "კითხვა 2 / 5" in question
    unknown = Citizen(running_bot.api, 420000005)
    replies = await unknown.send("/start kindergarten--garden_9")
    assert "ვერ ამოვიცანი" in replies[1] and "კითხვა 1 / 5" in replies[-1]


async def test_a_draft_finishes_on_the_version_it_started_on(running_bot, tmp_path: Path):
    await load_form(running_bot.runtime, kindergarten(tmp_path))
    early = Citizen(running_bot.api, 420000006)
    await early.send("/start kindergarten--garden_1")
    await early.press("5 — ძალიან კმაყოფილი")
    second = tmp_path / "v2"
    second.mkdir()
    assert await load_form(running_bot.runtime, kindergarten(second, version="2")) == (
        "kindergarten_v2"
    )
    await early.tick("☐ აღმზრდელები")
    await early.press("მზადაა")
    await early.send("1")
    await early.press("გაგზავნა")
    late = Citizen(running_bot.api, 420000007)
    await late.send("/start kindergarten--garden_1")
    await late.press("5 — ძალიან კმაყოფილი")
    await late.send("1 2")
    await late.send("3")
    await late.press("გაგზავნა")
    versions = sorted(
        r["questionnaire_version"] for r in await stored_responses(running_bot.runtime)
    )
    assert versions == ["kindergarten_v1", "kindergarten_v2"]


async def test_a_messenger_citizen_completes_the_kindergarten_form(messenger_bot, tmp_path: Path):
    await load_form(messenger_bot.runtime, kindergarten(tmp_path))
    citizen = messenger_bot.citizen("7309876543210001")
    first = await citizen.get_started("kindergarten")
    assert "საბავშვო ბაღი" in first[0] and "ადმინისტრატორებს" in first[0]
    assert "2. ბაღი №2 (ნიკორწმინდა)" in first[-1], "labels over 20 characters are numbered"
    await citizen.tap("2.")
    await citizen.tap("2 — უკმაყოფილო")
    await citizen.tap("☐ კვება")
    await citizen.tap("☐ სამუშაო")
    assert any(r["title"] == "☑ კვება" for r in citizen.quick_replies)
    await citizen.tap("✅ მზადაა")
    refused = await citizen.say("0")
    assert "1-დან 5-მდე" in refused[0]
    await citizen.say("2")
    await citizen.tap("დიახ")
    summary = await citizen.say(PROBLEM)
    assert MASKED in summary[-1]
    await citizen.tap("✅")
    [response] = await stored_responses(messenger_bot.runtime)
    assert response["answers"] == EXPECTED and response["channel"] == "messenger"
    assert messenger_bot.graph.refused == []


async def test_typed_numbers_answer_several_options_on_messenger(messenger_bot, tmp_path: Path):
    await load_form(messenger_bot.runtime, kindergarten(tmp_path))
    citizen = messenger_bot.citizen("7309876543210002")
    await citizen.get_started("kindergarten--garden_1")
    await citizen.tap("5 —")
    [children] = await citizen.say("1,4")
    assert "რამდენი შვილი" in children
    await citizen.say("1")
    await citizen.tap("✅")
    [response] = await stored_responses(messenger_bot.runtime)
    assert response["answers"]["liked"] == "food hours"


async def test_a_web_citizen_completes_the_kindergarten_form(web_bot, tmp_path: Path):
    await load_form(web_bot.runtime, kindergarten(tmp_path))
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        page = await citizen.open("q/kindergarten")
        assert "საბავშვო ბაღი" in page and "5 მოკლე კითხვა" in page
        assert "<h1>საბავშვო ბაღი</h1>" in page, "the page is headed by the form's title"
        await citizen.press("▶️")
        assert "კითხვა 1 / 5" in citizen.page and "<h1>საბავშვო ბაღი</h1>" in citizen.page
        await citizen.press("ბაღი №2")
        await citizen.press("2 — უკმაყოფილო")
        await citizen.press("☐ კვება")
        await citizen.press("☐ სამუშაო საათები")
        assert "☑ კვება" in citizen.buttons()
        await citizen.press("✅ მზადაა")
        await citizen.write("9")
        assert "1-დან 5-მდე" in citizen.page and "რამდენი შვილი" in citizen.page
        await citizen.write("2")
        await citizen.press("დიახ")
        await citizen.write(PROBLEM)
        assert MASKED in citizen.page
        await citizen.press("✅")
    assert "გმადლობთ" in citizen.page
    [response] = await stored_responses(web_bot.runtime)
    assert response["answers"] == EXPECTED and response["channel"] == "web"


async def test_on_messenger_the_list_of_forms_is_numbered_in_full(messenger_bot, tmp_path: Path):
    await load_form(messenger_bot.runtime, kindergarten(tmp_path))
    citizen = messenger_bot.citizen("7309876543210003")
    [choose] = await citizen.get_started()
    assert "1. სოციალური სერვისებით კმაყოფილების კითხვარი" in choose
    assert "2. საბავშვო ბაღი" in choose
    intro, question = await citizen.say("2")  # typing the number chooses too
    assert "საბავშვო ბაღი" in intro and "კითხვა 1 / 5" in question
