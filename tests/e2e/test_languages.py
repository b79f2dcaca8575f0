"""A municipality with several languages: the citizen chooses at the start and may switch,
on every channel; the choice lives in the draft only, never in the response."""

from __future__ import annotations

import pytest

from tests.support.citizen import Citizen
from tests.support.flows import EXPECTED, NEED, SUGGESTION, stored_responses
from tests.support.web_citizen import WebCitizen, browser

CHOICE = ("🌐 აირჩიეთ ენა", "🌐 Выберите язык", "🌐 Dili seçin")


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    return settings_env | {"LANGUAGES": "ka,ru,az"}


async def test_a_citizen_chooses_russian_switches_to_georgian_and_the_answers_are_codes(
    running_bot,
):
    citizen = Citizen(running_bot.api, 7101)
    [choice] = await citizen.send("/start winter_heating")
    assert all(line in choice for line in CHOICE)
    assert set(citizen.buttons()) == {"ქართული", "Русский", "Azərbaycanca"}
    replies = await citizen.press("Русский")
    assert "оценка социальных услуг" in replies[0] and "зимнее отопление" in replies[1]
    assert "Вопрос 2 / 10" in replies[-1] and "Женщина" in citizen.buttons()
    await citizen.press("Женщина")
    [choice] = await citizen.send("/language")
    assert "Выберите язык" in choice
    [again] = await citizen.press("ქართული")
    assert "კითხვა 3 / 10" in again, "the same question, now in Georgian"
    for label in ("ნათესავისგან", "ნაწილობრივ", "3 — მარტივი"):
        await citizen.press(label)
    await citizen.send("4")
    for label in ("5 — ძალიან კარგი", "4 — ცდილობდნენ", "დიახ"):
        await citizen.press(label)
    await citizen.send(NEED)
    await citizen.send(SUGGESTION)
    await citizen.press("გაგზავნა")
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"] == EXPECTED, "codes only: the language is not kept"


async def test_a_stored_free_text_in_another_script_is_kept_as_written(running_bot):
    citizen = Citizen(running_bot.api, 7102)
    await citizen.send("/start winter_heating")
    await citizen.press("Azərbaycanca")
    for label in ("Qadın", "Qohumdan", "Qismən", "3 — Asan"):
        await citizen.press(label)
    await citizen.send("4")
    for label in ("5 — Çox yaxşı", "4 — Çalışırdılar", "Xeyr"):
        await citizen.press(label)
    written = "Növbə çox uzun idi, Пожалуйста быстрее, Շնորհակալություն"
    summary = await citizen.send(written)
    assert "Zəhmət olmasa, cavablarınızı nəzərdən keçirin" in summary[-1]
    await citizen.press("Göndər")
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"]["suggestions"] == written


@pytest.fixture
def web_env(web_env: dict[str, str]) -> dict[str, str]:
    return web_env | {"LANGUAGES": "ka,hy"}


async def test_the_web_page_offers_the_languages_and_asks_in_the_chosen_one(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open()  # the languages are on the first page
        assert {"ქართული", "Հայերեն"} <= set(citizen.buttons())
        await citizen.press("Հայերեն")
        assert "Հարց 1 / 10" in citizen.page and "Ձմեռային ջեռուցում" in citizen.page


async def test_a_loaded_form_in_russian_keeps_its_choice_of_language_and_its_own_labels(
    running_bot, tmp_path
):
    from tests.support.xlsforms import kindergarten, load_form

    await load_form(running_bot.runtime, kindergarten(tmp_path))
    citizen = Citizen(running_bot.api, 7104)
    await citizen.send("/start")
    [choose] = await citizen.press("Русский")
    assert "Какую анкету" in choose, "the list of forms in the chosen language"
    intro, first = await citizen.press("საბავშვო ბაღი")
    assert "Здравствуйте" in intro and "Вопрос 1 / 5" in first
    assert "რომელ საბავშვო ბაღში" in first, "no Russian labels in the form: its Georgian ones"
    await citizen.press("ბაღი №1")
    await citizen.press("5 —")
    liked = await citizen.tick("☐ კვება")
    assert "Готово" in str(citizen.buttons()) and "Вопрос 3 / 5" in liked["text"]
    await citizen.press("✅ Готово")
    await citizen.send("1")
    await citizen.press("✅")
    [response] = await stored_responses(running_bot.runtime)
    assert response["questionnaire_version"] == "kindergarten_v1"
    assert response["answers"] == {
        "garden": "garden_1",
        "content": "5",
        "liked": "food",
        "children": "1",
    }


async def test_a_russian_citizen_offered_two_forms_sees_the_builtin_forms_title(
    running_bot, tmp_path
):
    """Its Georgian title where it has no Russian one; never a version tag like
    ``social_services_v1``."""
    from tests.support.xlsforms import kindergarten, load_form

    await load_form(running_bot.runtime, kindergarten(tmp_path))
    citizen = Citizen(running_bot.api, 7105)
    await citizen.send("/start")
    await citizen.press("Русский")
    title = "სოციალური სერვისებით კმაყოფილების კითხვარი"
    assert set(citizen.buttons()) >= {title, "საბავშვო ბაღი"}
    assert not any("_v1" in button for button in citizen.buttons())
    replies = await citizen.press(title)
    assert "оценка социальных услуг" in replies[0] and "Вопрос 1 / 10" in replies[-1]


async def test_the_web_pages_own_words_follow_the_chosen_language_to_the_thank_you(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open("q/winter_heating")
        assert 'lang="ka"' in citizen.page, "Georgian until a language is chosen"
        await citizen.press("Հայերեն")  # on the first page
        page = citizen.page
        assert 'lang="hy"' in page and "Հարց 2 / 10" in page
        for words in ("Դադարեցնել լրացումը", "Սոցիալական ծառայությունների գնահատում"):
            assert words in page, f"{words!r}: the page's own words in Armenian"
        assert "შევსების შეწყვეტა" not in page and "სოციალური სერვისების შეფასება" not in page
        for _ in range(20):  # the first answer of each question, up to the summary
            if any(label.startswith("✅") for label in citizen.buttons()):
                break
            if 'name="text"' in citizen.page:
                await citizen.write("4")
                continue
            choices = [k for k in citizen.buttons() if "⬅️" not in k and "➡️" not in k]
            await citizen.press(choices[0])
        await citizen.press("✅")
        assert 'lang="hy"' in citizen.page and "შევსების" not in citizen.page
        assert "გმადლობთ" not in citizen.page, "the thank-you in Armenian"
