"""The questionnaire in a web browser, over HTTP as a browser without JavaScript sends it."""

from __future__ import annotations

import logging

import pytest

from tests.support.flows import EXPECTED, NEED, SUGGESTION, stored_responses
from tests.support.web_citizen import WebCitizen, browser

pytestmark = pytest.mark.both_databases

SUMMARY = "გთხოვთ, გადახედოთ"


async def answer_all(citizen: WebCitizen) -> None:
    await citizen.open()
    await citizen.press("▶️")
    for label in ("ზამთრის თბობა", "ქალი", "ნათესავისგან", "ნაწილობრივ", "3 — მარტივი"):
        await citizen.press(label)
    for label in ("4 —", "5 — ძალიან კარგი", "4 — ცდილობდნენ", "დიახ"):
        await citizen.press(label)
    await citizen.write(NEED)
    await citizen.write(SUGGESTION)


async def test_a_web_citizen_completes_and_the_stored_response_equals_the_answers(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await answer_all(citizen)
        assert SUMMARY in citizen.page
        await citizen.press("✅")
    assert "გმადლობთ" in citizen.page
    assert "შედეგების შესახებ" not in citizen.page, "no 'you said, we did': nowhere to write"
    [response] = await stored_responses(web_bot.runtime)
    assert response["answers"] == EXPECTED and response["channel"] == "web"


async def test_closing_the_page_and_coming_back_shows_the_same_question(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open()
        await citizen.press("▶️")
        await citizen.press("ზამთრის თბობა")
        assert "კითხვა 2 / 10" in citizen.page
        again = WebCitizen(web_bot.url, http)  # a new tab, the same browser (cookie)
        await again.open()
        assert "კითხვა 2 / 10" in again.page and "ქალი" in again.page


async def test_a_form_without_the_csrf_token_changes_nothing(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open()
        await citizen.press("▶️")
        async with http.post(web_bot.url, data={"b": "a|service|newborn"}) as response:
            assert response.status == 403
        async with http.post(web_bot.url, data={"b": "a|service|newborn", "csrf": "x"}) as r:
            assert r.status == 403
        await citizen.open()
        assert "კითხვა 1 / 10" in citizen.page


async def test_a_huge_body_gets_413_and_too_many_requests_get_429(web_bot, monkeypatch):
    from bot.channels.web.limits import RequestBudget

    # The budget refills 10 views a second; on a loaded machine 610 views can take longer
    # than a minute's worth of refill, so the budget's clock stands still for this test.
    monkeypatch.setattr(RequestBudget, "clock", property(lambda self: lambda: 0.0), raising=False)
    async with browser() as http:
        async with http.post(web_bot.url, data={"text": "ა" * 40_000}) as response:
            assert response.status == 413
        statuses = []
        for _ in range(610):  # page views have a generous budget: 600 a minute per address
            async with http.get(web_bot.url) as response:
                statuses.append(response.status)
                waited = response.headers.get("Retry-After")
        assert statuses[0] == 200 and statuses[-1] == 429 and waited and int(waited) >= 1


async def test_citizen_text_is_escaped_on_every_page(web_bot):
    attack = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open()
        await citizen.press("▶️")
        for label in ("ზამთრის თბობა", "ქალი", "ნათესავისგან", "ნაწილობრივ", "3 — მარტივი"):
            await citizen.press(label)
        for label in ("4 —", "5 — ძალიან კარგი", "4 — ცდილობდნენ", "არა"):
            await citizen.press(label)
        await citizen.write(attack)
        assert SUMMARY in citizen.page
        assert "<script>alert" not in citizen.page and "&lt;script&gt;" in citizen.page


async def test_the_cookie_is_private_and_nothing_of_the_browser_is_stored_or_logged(
    web_bot, database_kind, database_path, caplog
):
    caplog.set_level(logging.DEBUG)
    agent = "Mozilla/5.0 (Linux; Android 4.4; OldPhone-XYZ123) TestAgent/777"
    async with browser(headers={"User-Agent": agent}) as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open()
        [cookie] = list(http.cookie_jar)
        assert cookie["httponly"] and cookie["samesite"].lower() == "lax"
        await citizen.press("▶️")
        await citizen.press("ზამთრის თბობა")
        value = cookie.value
    logged = caplog.text
    for secret in (value, agent, "OldPhone", "127.0.0.1:"):
        assert secret not in logged.replace(web_bot.url, "")
    if database_kind == "sqlite":
        await web_bot.runtime.database.checkpoint()
        stored = b"".join(
            path.read_bytes() for path in database_path.parent.glob(database_path.name + "*")
        )
        for secret in (value, agent, "OldPhone", "127.0.0.1"):
            assert secret.encode() not in stored


async def test_back_returns_and_stop_deletes_the_answers(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open()
        await citizen.press("▶️")
        await citizen.press("ზამთრის თბობა")
        await citizen.press("⬅️")
        assert "კითხვა 1 / 10" in citizen.page
        await citizen.stop()
        assert "წაიშალა" in citizen.page
        await citizen.open()
        assert "▶️ დაწყება" in citizen.page and "კითხვა 1 / 10" not in citizen.page


async def test_a_service_link_pre_answers_the_service(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open("/q/home_care")
        await citizen.press("▶️")
        assert "შინ მოვლის პროგრამა" in citizen.page and "კითხვა 2 / 10" in citizen.page
