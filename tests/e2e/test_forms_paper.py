"""Staff type in the paper forms of a questionnaire they loaded (``/paper kindergarten``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.citizen import Citizen, buttons_of
from tests.support.flows import stored_responses
from tests.support.xlsforms import kindergarten, load_form

STAFF = 630000002


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["STAFF_IDS"] = str(STAFF)
    return settings_env


async def test_staff_type_in_a_loaded_forms_paper_copies(running_bot, tmp_path: Path):
    await load_form(running_bot.runtime, kindergarten(tmp_path))
    clerk = Citizen(running_bot.api, STAFF, "ეთერი", "კანცელარია", "eteri_staff")
    [unknown] = await clerk.send("/paper water")
    assert "water" in unknown and "kindergarten" in unknown
    await clerk.send("/paper kindergarten")
    [first] = await clerk.send("14.07.2025")
    assert "ფორმა 1" in first and "ბაღში" in first
    await clerk.press("ბაღი №1")
    await clerk.press("3 — საშუალოდ")
    await clerk.tick("☐ კვება")
    await clerk.tick("☐ შენობა და ეზო")
    assert "☑ კვება" in buttons_of(clerk.last_keyboard_message())
    await clerk.press("მზადაა")
    await clerk.send("2")
    saved, second = await clerk.press("არ არის შევსებული")  # "a problem?" left blank
    assert "ფორმა 1 შენახულია" in saved and "ფორმა 2" in second and "ბაღში" in second
    [done] = await clerk.send("/done")
    assert "1 ფორმა" in done
    [response] = await stored_responses(running_bot.runtime)
    assert response["questionnaire_version"] == "kindergarten_v1"
    assert response["channel"] == "paper" and response["submitted_on"].isoformat() == "2025-07-14"
    assert response["answers"] == {
        "garden": "garden_1",
        "content": "3",
        "liked": "food building",
        "children": "2",
        "problems": None,
    }
