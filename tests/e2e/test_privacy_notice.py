"""The privacy notice: the chat's /privacy and the web page's /privacy say how answers are kept."""

from __future__ import annotations

import aiohttp

from tests.support.citizen import Citizen
from tests.support.web_citizen import WebCitizen, browser

NOTICE = "როგორ ვინახავთ თქვენს პასუხებს"


async def test_privacy_in_the_chat_tells_how_answers_are_kept_and_keeps_the_place(running_bot):
    citizen = Citizen(running_bot.api, 410000099)
    await citizen.send("/start")
    await citizen.press("ზამთრის თბობა")
    notice, question = await citizen.send("/privacy")
    assert NOTICE in notice and "personaldata.ge" in notice and "2 წელი" in notice
    assert "კითხვა 2 / 10" in question
    commands = [c for c in running_bot.api.calls if c.method == "setMyCommands"]
    assert any("privacy" in str(call.params) for call in commands)


async def test_every_web_page_links_to_the_privacy_page_which_sets_no_cookie(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open()
        assert 'href="/privacy"' in citizen.page
    async with aiohttp.ClientSession() as http:
        async with http.get(web_bot.url + "privacy") as response:
            page = await response.text()
            assert response.status == 200 and "set-cookie" not in response.headers
            assert "default-src 'none'" in response.headers["content-security-policy"]
        async with http.get(web_bot.url + "privacy?lang=xx") as response:
            assert NOTICE in await response.text(), "an unknown language: the first one"
    assert NOTICE in page and "<li>" in page and "personaldata.ge" in page
