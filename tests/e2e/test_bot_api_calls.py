"""How the bot's calls reach the Bot API: JSON bodies (``bot/channels/telegram/payloads.py``),
keyboards as objects, and files still as multipart."""

from __future__ import annotations

from tests.support.citizen import Citizen


async def test_a_question_goes_as_json_with_its_keyboard_as_an_object(running_bot):
    citizen = Citizen(running_bot.api, 410000091)
    await citizen.send("/start")
    [question] = [
        call for call in running_bot.api.sent(citizen.chat_id) if call.params.get("reply_markup")
    ]
    assert question.content_type == "application/json"
    buttons = [b["text"] for row in question.params["reply_markup"]["inline_keyboard"] for b in row]
    assert any("ზამთრის თბობა" in label for label in buttons), "Georgian labels arrive intact"
    assert "კითხვა 1 / 10" in question.params["text"]
    answer = await citizen.press("ზამთრის თბობა")
    assert "კითხვა 2 / 10" in answer[-1]
