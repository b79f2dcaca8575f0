"""Free text is stored cleaned and masked, however the personal details in it were disguised;
an answer with nothing visible in it is asked again kindly, on both databases."""

from __future__ import annotations

import pytest

from tests.support.citizen import Citizen
from tests.support.flows import stored_responses
from tests.support.web_citizen import WebCitizen, browser

pytestmark = pytest.mark.both_databases

MARK = "[წაშლილია]"
NEED = "ტრანსპორტი მჭირდება, დამირეკეთ ５９９ ２１ ４３ ６５"
SUGGESTION = "ნომერი 599\u200b12\u200b34\u200b56, ან მომწერეთ: nino.b at gmail dot com"


async def test_the_web_page_stores_disguised_details_cleaned_and_masked(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open()
        await citizen.press("▶️")
        for label in ("ზამთრის თბობა", "ქალი", "ნათესავისგან", "ნაწილობრივ", "3 — მარტივი"):
            await citizen.press(label)
        for label in ("4 —", "5 — ძალიან კარგი", "4 — ცდილობდნენ", "დიახ"):
            await citizen.press(label)
        await citizen.write(NEED)
        await citizen.write(SUGGESTION)
        assert "599" not in citizen.page and "nino" not in citizen.page, "the summary too"
        await citizen.press("✅")
    [response] = await stored_responses(web_bot.runtime)
    assert response["answers"]["extra_needs_text"] == f"ტრანსპორტი მჭირდება, დამირეკეთ {MARK}"
    assert response["answers"]["suggestions"] == f"ნომერი {MARK}, ან მომწერეთ: {MARK}"


async def at_suggestions(citizen: Citizen) -> None:
    await citizen.send("/start")
    await citizen.press("ზამთრის თბობა")
    for label in ("ქალი", "სხვა", "სრულად", "4 —", "5 —", "5 —", "5 —", "არა"):
        await citizen.press(label)


@pytest.mark.parametrize(
    "typed", ["\u200b\u200c\u200d", "\x00", "\ud800"], ids=["zero-width", "nul", "surrogate"]
)
async def test_an_answer_with_nothing_visible_is_asked_again_kindly(running_bot, typed):
    citizen = Citizen(running_bot.api, 420000101)
    await at_suggestions(citizen)
    for _ in range(2):  # as often as it is sent: never the apology, always the same question
        problem, question = await citizen.send(typed)
        assert "ტექსტს ვერ ვხედავ" in problem and "კიდევ ერთხელ" in problem
        assert "კითხვა 10 / 10" in question
    [summary] = await citizen.send("გზა გააკეთეთ\u200b")
    assert "გზა გააკეთეთ" in summary
    await citizen.press("გაგზავნა")
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"]["suggestions"] == "გზა გააკეთეთ"
