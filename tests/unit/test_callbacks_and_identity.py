from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.callbacks import Restart, Resume, decode, encode
from bot.questionnaire.engine import Back, ChangeAnswer, Choose, Pick, Skip, Submit
from bot.questionnaire.identity import Keyer
from bot.questionnaire.model import PICK, SUMMARY


@pytest.mark.parametrize(
    "action",
    [
        Choose("extra_needs_text", "disabled_children"),
        Back(SUMMARY),
        Back(PICK),
        Skip("suggestions"),
        Pick("professionalism"),
        Submit(),
        ChangeAnswer(),
        Resume(),
        Restart("winter_heating"),
        Restart(None),
    ],
)
def test_every_button_survives_the_round_trip_within_telegrams_64_bytes(action):
    data = encode(action)
    assert len(data.encode()) <= 64
    assert decode(data) == action


@pytest.mark.parametrize("data", ["", "a", "a|service", "a||x", "b|", "zz|1", "ok|1", "a|b|c|d"])
def test_malformed_button_data_decodes_to_nothing(data):
    assert decode(data) is None


def test_keyed_hashes_differ_by_purpose_secret_and_channel_and_hide_the_id():
    keyer = Keyer(b"s" * 32)
    draft = keyer.draft_key("telegram", "123456789")
    assert draft == keyer.draft_key("telegram", "123456789")
    assert draft != keyer.rate_key("telegram", "123456789", date(2025, 9, 8))
    assert draft != keyer.draft_key("messenger", "123456789")
    assert draft != Keyer(b"t" * 32).draft_key("telegram", "123456789")
    assert "123456789" not in draft


def test_short_secret_is_refused():
    with pytest.raises(ValueError):
        Keyer(b"short")
