"""What a citizen meets on the web page beyond the questions, over HTTP as a browser without
JavaScript sends it: every answer answered with a redirect, old and repeated pages that
store nothing wrong, Georgian error pages, a question before "stop" deletes anything."""

from __future__ import annotations

import html
import re

import aiohttp
import pytest

from tests.support.flows import draft_count, stored_responses
from tests.support.web_citizen import CSRF, WebCitizen, browser

pytestmark = pytest.mark.both_databases

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


async def begun(citizen: WebCitizen, *answers: str) -> None:
    await citizen.open()
    await citizen.press("▶️")
    for label in answers:
        await citizen.press(label)


async def test_an_answer_is_a_redirect_to_the_next_questions_own_address(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await begun(citizen, "ზამთრის თბობა")
        data = {"csrf": html.unescape(CSRF.search(citizen.page)[1]), "b": "a|gender|female"}
        async with http.post(web_bot.url, data={**data, "at": "2"}, allow_redirects=False) as r:
            assert r.status == 303 and r.headers["Location"] == "/n/3"
        await citizen.open("n/3")
        assert "კითხვა 3 / 10" in citizen.page
        await citizen.open()  # the start address leads to where the questionnaire is
        assert "კითხვა 3 / 10" in citizen.page


async def test_an_old_page_posted_again_changes_only_its_own_answer(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await begun(citizen, "ზამთრის თბობა")
        gender_page = citizen.page
        await citizen.press("კაცი")
        await citizen.press("ნათესავისგან")
        assert "კითხვა 4 / 10" in citizen.page
        old = WebCitizen(web_bot.url, http, page=gender_page)  # an old tab, or Back
        await old.press("ქალი")
        assert "კითხვა 4 / 10" in old.page, "on to the first question not yet answered"
        twice = WebCitizen(web_bot.url, http, page=gender_page)
        await twice.press("კაცი")  # the same old page again: still only question 2 changes
        assert "კითხვა 4 / 10" in twice.page
        await citizen.open("n/2")
        assert "კაცი" in citizen.page and "კითხვა 2 / 10" in citizen.page


async def test_a_typed_answer_from_an_old_page_is_never_taken_for_another_question(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await begun(citizen, "ზამთრის თბობა", "ქალი", "ნათესავისგან", "ნაწილობრივ")
        for label in ("3 —", "4 —", "5 —", "4 — ცდილობდნენ"):
            await citizen.press(label)
        await citizen.press("არა")
        text_page = citizen.page  # question 10, typed
        await citizen.open("n/9")  # Back to question 9, a choice
        old = WebCitizen(web_bot.url, http, page=text_page)
        await old.write("2")  # "2" would be an option's number at question 9
        assert "კითხვა 9 / 10" in old.page and "ეს გვერდი ძველია" in old.page
        await old.press("არა")
        await old.write("უფრო ხშირად")
        await old.press("✅")
    [response] = await stored_responses(web_bot.runtime)
    assert response["answers"]["extra_needs"] == "no"
    assert response["answers"]["suggestions"] == "უფრო ხშირად"


async def test_sending_twice_stores_one_form(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await begun(citizen, "ზამთრის თბობა", "ქალი", "ნათესავისგან", "ნაწილობრივ")
        for label in ("3 —", "4 —", "5 —", "4 — ცდილობდნენ", "არა"):
            await citizen.press(label)
        await citizen.press("გამოტოვება")
        summary = citizen.page
        await citizen.press("✅")
        assert "გმადლობთ" in citizen.page
        again = WebCitizen(web_bot.url, http, page=summary)  # a double tap, a reload
        await again.press("✅")
        assert "გმადლობთ" not in again.page
    assert len(await stored_responses(web_bot.runtime)) == 1


async def test_stop_asks_first_and_deletes_only_when_confirmed(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await begun(citizen, "ზამთრის თბობა")
        async with http.get(web_bot.url + "stop?stop=ask") as response:
            asking = await response.text()
        assert "ნამდვილად გსურთ შევსების შეწყვეტა" in asking
        assert await draft_count(web_bot.runtime) == 1, "asking deletes nothing"
        assert re.search(r'<a class="button" href="/">⬅️ არა, გავაგრძელებ</a>', asking)
        await citizen.open()  # "No, go on"
        assert "კითხვა 2 / 10" in citizen.page
        confirm = WebCitizen(web_bot.url, http, page=asking)
        await confirm.stop()
        assert "პასუხები წაიშალა" in confirm.page and "▶️ დაწყება" in confirm.page
        assert await draft_count(web_bot.runtime) == 0


async def test_an_unknown_address_gets_a_georgian_page_for_a_phone(web_bot):
    async with aiohttp.ClientSession() as http:
        for path in ("no/such/page", "q/", "n/"):
            async with http.get(web_bot.url + path) as response:
                page = await response.text()
                assert response.status == 404
                assert VIEWPORT in page and 'lang="ka"' in page
                assert "ეს გვერდი ვერ მოიძებნა" in page and "Not Found" not in page
                assert "კიდევ ერთი კითხვარის" not in page
                assert '<a class="button" href="/">' in page, "the way on: the start"
        async with http.delete(web_bot.url) as response:
            page = await response.text()
            assert response.status == 405 and VIEWPORT in page and "Method" not in page
            assert response.headers["Allow"] == "GET, HEAD, POST"
        async with http.get(web_bot.url + "healthz") as response:
            assert response.status == 200, "other addresses are untouched"


async def test_refusals_lead_back_to_the_answers_never_to_another_questionnaire(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await begun(citizen, "ზამთრის თბობა")
        async with http.post(web_bot.url, data={"b": "a|gender|female", "csrf": "x"}) as r:
            expired = await r.text()
            assert r.status == 403
        async with http.post(web_bot.url, data={"text": "ა" * 40_000}) as r:
            too_long = await r.text()
            assert r.status == 413
        for page in (expired, too_long):
            assert "ჩემს კითხვარზე დაბრუნება" in page and "კიდევ ერთი კითხვარის" not in page
            assert VIEWPORT in page


async def test_scale_questions_on_the_page_ask_for_a_press_not_a_typed_digit(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await begun(citizen, "ზამთრის თბობა", "ქალი", "ნათესავისგან", "ნაწილობრივ")
        assert "დააჭირეთ ერთ-ერთ პასუხს (1–4)" in citizen.page
        assert "დაწერეთ ციფრი" not in citizen.page and 'name="text"' not in citizen.page


async def test_the_welcome_says_plainly_that_nothing_shows_who_answered(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open("q/winter_heating")
        assert "არ ინახავს არც თქვენს სახელს, არც ტელეფონის ნომერს" in citizen.page
        assert "ტელეფონის მისამართ" not in citizen.page


async def test_a_failure_gets_a_page_in_georgian_and_the_log_says_what_not_whose(
    web_bot, monkeypatch, caplog
):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await begun(citizen, "ზამთრის თბობა")

        async def broken(incoming: object) -> None:
            raise RuntimeError("the database went away: secret details")

        monkeypatch.setattr(web_bot.runtime.router, "handle", broken)
        await citizen.open()
        assert citizen.status == 500 and VIEWPORT in citizen.page
        assert "ბოდიში, რაღაც შეცდომა მოხდა" in citizen.page and "Internal" not in citizen.page
        assert "ჩემს კითხვარზე" not in citizen.page and "კიდევ ერთი კითხვარის" not in citizen.page
    assert "a web page failed: RuntimeError" in caplog.text
    assert "secret details" not in caplog.text


async def test_too_many_requests_get_a_page_that_leads_back_to_the_answers(web_bot, monkeypatch):
    from bot.channels.web.limits import RequestBudget

    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await begun(citizen, "ზამთრის თბობა")
        monkeypatch.setattr(RequestBudget, "wait", lambda self, address: 30)
        await citizen.open()
        assert citizen.status == 429 and VIEWPORT in citizen.page
        assert "ჩემს კითხვარზე დაბრუნება" in citizen.page
        assert "კიდევ ერთი კითხვარის" not in citizen.page
