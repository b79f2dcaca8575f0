"""A form whose rules pass ``form add`` but fail when a citizen meets them: on Telegram the
citizen is asked the question, the answer is accepted, the form is sent, and the log says so
once for the form, not once per citizen, without an answer in it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.support.citizen import Citizen
from tests.support.flows import stored_responses
from tests.support.xlsforms import load_form, settings, write_xlsform

HUGE = "1" + "0" * 400
"""``mod`` of a number too large for a float cannot be worked out (``math.fmod`` refuses)."""
ANSWER = "სადილი ცივი იყო"


def failing_form(folder: Path) -> Path:
    survey = (
        ("type", "name", "label::ka", "required", "relevant", "constraint"),
        ("select_one yes_no", "problem", "შეგექმნათ პრობლემა?", "yes", "", ""),
        ("text", "what", "რა მოხდა?", "no", f"${{problem}} = 'yes' and {HUGE} mod 3 = 1", ""),
        ("integer", "times", "რამდენჯერ?", "yes", "", f"{HUGE} mod . = 1"),
    )
    choices = (
        ("list_name", "name", "label::ka"),
        ("yes_no", "yes", "დიახ"),
        ("yes_no", "no", "არა"),
    )
    return write_xlsform(
        folder / "failing.xlsx", survey, choices, settings("failing", "1", "სასადილო")
    )


async def answer(citizen: Citizen, times: str) -> list[str]:
    """The whole form: "yes", a description, a number; the replies to sending it."""
    await citizen.send("/start failing")
    [what] = await citizen.press("დიახ")
    assert "რა მოხდა?" in what, "a rule that failed asks its question"
    [times_question] = await citizen.send(ANSWER)
    assert "რამდენჯერ?" in times_question
    [summary] = await citizen.send(times)
    assert ANSWER in summary and times in summary, "a check that failed accepts the answer"
    return await citizen.press("გაგზავნა")


async def test_a_citizen_goes_on_past_rules_that_fail_and_the_log_says_so_once(
    running_bot, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG, logger="bot")
    await load_form(running_bot.runtime, failing_form(tmp_path))
    first = Citizen(running_bot.api, 430000001)
    closing = await answer(first, "3")
    assert "გმადლობთ" in closing[0]
    second = Citizen(running_bot.api, 430000002, username="second")
    assert "გმადლობთ" in (await answer(second, "7"))[0]
    stored = sorted(r["answers"]["times"] for r in await stored_responses(running_bot.runtime))
    assert stored == ["3", "7"]
    told = [r.getMessage() for r in caplog.records if r.name == "bot.dialogue.broken_rules"]
    assert len(told) == 2, told
    assert any("failing_v1" in line and "relevant of question what" in line for line in told)
    assert any("failing_v1" in line and "constraint of question times" in line for line in told)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert ANSWER not in logged and "430000001" not in logged and "430000002" not in logged
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)
