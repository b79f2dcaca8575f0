"""The digest's flag on an unusual week, against the stuffing a patient script would try."""

from __future__ import annotations

import random

import pandas as pd

from bot.questionnaire.content import bundled_questionnaire, load_questionnaire
from reporting.anomaly import burst_limit, unusual

Q = load_questionnaire(bundled_questionnaire())
SERVICES = ["free_meals", "food_parcel", "newborn", "new_family", "funeral"]


def form(channel: str = "web", suggestion: str = "", **answers: object) -> dict[str, object]:
    base = {
        "channel": channel,
        "service": "free_meals",
        "gender": "female",
        "info_source": "staff",
        "awareness": "full",
        "documents": "4",
        "satisfaction": "5",
        "professionalism": "5",
        "helpfulness": "5",
        "extra_needs": "no",
        "extra_needs_text": None,
        "suggestions": suggestion or None,
    }
    return base | answers


def real_week(count: int, channel: str = "web") -> list[dict[str, object]]:
    """Forms of different people: their own services, scales and words."""
    rng = random.Random(count)
    return [
        form(
            channel,
            f"კომენტარი ნომერი {n}: {rng.random()}",
            service=rng.choice(SERVICES),
            satisfaction=str(rng.randint(1, 5)),
            helpfulness=str(rng.randint(1, 5)),
            gender=rng.choice(["female", "male"]),
        )
        for n in range(count)
    ]


def test_twenty_stuffed_forms_over_a_normal_of_seven_are_flagged_with_the_figures():
    found = unusual(pd.DataFrame(real_week(20)), Q, {"web": [7, 6, 8, 7, 7, 9, 5, 7]})
    [burst] = found.bursts
    assert (burst.count, burst.normal, burst.limit) == (20, 7.0, burst_limit(7.0))
    assert burst.limit < 20


def test_an_ordinary_busy_week_of_a_small_town_is_not_flagged():
    history = {"web": [7, 6, 8, 7, 7, 9, 5, 7]}
    assert not unusual(pd.DataFrame(real_week(12)), Q, history).bursts
    busy = {"web": [400, 420, 380, 410, 400, 390, 405, 400]}
    assert not unusual(pd.DataFrame(real_week(520)), Q, busy).bursts, "a letter went out"


def test_forms_with_one_text_and_scales_drawn_at_random_are_flagged_as_nearly_identical():
    rng = random.Random(1)
    stuffed = [
        form(
            suggestion="შეშა ძვირია!!",
            satisfaction=str(n % 5 + 1),
            helpfulness=str(rng.randint(1, 5)),
            professionalism=str(n // 5 % 5 + 1),
        )
        for n in range(6)
    ]
    stuffed.append(stuffed[0] | {"suggestions": "  შეშა   ძვირია ", "documents": "1"})
    found = unusual(pd.DataFrame(real_week(7) + stuffed), Q, {"web": [14] * 8})
    assert found.alike is not None
    assert found.alike.near == found.alike.near_largest == 7


def test_a_real_week_of_different_people_is_not_flagged_as_alike():
    assert unusual(pd.DataFrame(real_week(40)), Q, {"web": [40] * 8}).alike is None
