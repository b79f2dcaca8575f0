"""A Messenger citizen of a municipality with Georgian and Russian: chooses Russian at the
start, is asked in it, switches with /language or the button, and the language is kept in
the draft only; in the default mode the welcome and the page follow the choice too."""

from __future__ import annotations

import pytest

from tests.support.flows import EXPECTED, NEED, SUGGESTION, stored_responses

pytestmark = pytest.mark.both_databases


@pytest.fixture
def messenger_env(messenger_env: dict[str, str]) -> dict[str, str]:
    return messenger_env | {"LANGUAGES": "ka,ru"}


async def answer_the_rest_in_georgian(citizen) -> list[str]:
    await citizen.say("4")  # the fourth information source, typed
    for title in ("2. ნაწილობრივ", "3 — მარტივი"):
        await citizen.tap(title)
    await citizen.say("4")
    for title in ("5 — ძალიან კარგი", "4 — ცდილობდნენ", "დიახ"):
        await citizen.tap(title)
    await citizen.say(NEED)
    return await citizen.say(SUGGESTION)


async def test_a_messenger_citizen_answers_in_russian_switches_and_nothing_keeps_the_language(
    messenger_bot,
):
    citizen = messenger_bot.citizen("7301234567899001")
    [choice] = await citizen.get_started(ref="winter_heating")
    assert "Выберите язык" in choice and "აირჩიეთ ენა" in choice
    assert {r["title"] for r in citizen.quick_replies} == {"ქართული", "Русский"}
    intro, service, first = await citizen.tap("Русский")
    assert "Здравствуйте" in intro and "зимнее отопление" in service.lower()
    assert "Вопрос 2 / 10" in first and "Женщина" in {r["title"] for r in citizen.quick_replies}
    await citizen.tap("Женщина")
    [choice] = await citizen.say("/language")
    assert "Выберите язык" in choice
    [again] = await citizen.tap("ქართული")
    assert "კითხვა 3 / 10" in again, "the same question, now in Georgian"
    [choice] = await citizen.say("/language")
    [russian] = await citizen.tap("Русский")
    assert "Вопрос 3 / 10" in russian, "and back again"
    [choice] = await citizen.say("/language")
    await citizen.tap("ქართული")
    summary = await answer_the_rest_in_georgian(citizen)
    assert SUGGESTION in summary[-1], "the summary, in Georgian"
    await citizen.tap("✅")
    [response] = await stored_responses(messenger_bot.runtime)
    assert response["answers"] == EXPECTED and response["channel"] == "messenger"
    assert "@language" not in response["answers"], "the language stays in the draft"
    assert set(response) == {
        "id",
        "questionnaire_version",
        "channel",
        "answers",
        "submitted_on",
        "confirmed",  # begun with a desk slip or not (issue 25): never which slip
    }, "nothing was added to what a response holds"
