"""Messenger's pure parts: reading webhook items, signing, and shaping replies to its limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from bot.channels.messenger.incoming import translate
from bot.channels.messenger.render import QUICK_REPLY_LIMIT, TITLE_LIMIT, Renderer, split_text
from bot.channels.messenger.webhook import signature_valid
from bot.config.settings import Settings
from bot.dialogue.events import Button, Help, Press, Repeat, Reply, Start, Stop, Text, Unsupported
from bot.dialogue.reminders import ReminderAddress
from bot.dialogue.views import Views
from bot.questionnaire import engine
from bot.questionnaire.content import load_content
from bot.questionnaire.model import PICK, SUMMARY, Draft
from tests.support.messenger_citizen import sign

CONTENT = load_content("ka")
VIEWS = Views(CONTENT.questionnaire, CONTENT.locale, "ამბროლაური").for_channel("messenger")
RENDERER = Renderer(CONTENT.locale.for_channel("messenger"))


def item(**content):
    return {"sender": {"id": "123"}, "recipient": {"id": "999"}, "timestamp": 1, **content}


@pytest.mark.parametrize(
    ("content", "event"),
    [
        ({"message": {"mid": "m1", "text": "ზამთარი"}}, Text("ზამთარი")),
        ({"message": {"mid": "m1", "text": "1", "quick_reply": {"payload": "ok"}}}, Press("ok")),
        ({"message": {"mid": "m1", "text": "▶", "quick_reply": {"payload": "more|1"}}}, Repeat()),
        ({"message": {"mid": "m1", "attachments": [{"type": "image"}]}}, Unsupported()),
        ({"message": {"mid": "m1", "text": "/start food_parcel"}}, Start("food_parcel")),
        ({"postback": {"payload": "start"}}, Start(None)),
        ({"postback": {"payload": "start", "referral": {"ref": "newborn"}}}, Start("newborn")),
        ({"postback": {"payload": "help"}}, Help()),
        ({"postback": {"payload": "stop"}}, Stop()),
        ({"referral": {"ref": "housing", "source": "SHORTLINK"}}, Start("housing")),
    ],
)
def test_webhook_items_become_conversation_events(content, event):
    incoming = translate(item(**content))
    assert incoming is not None and incoming.event == event and incoming.psid == "123"


def test_more_button_asks_for_the_next_page():
    incoming = translate(item(message={"mid": "m", "quick_reply": {"payload": "more|1"}}))
    assert incoming is not None and incoming.page == 1


@pytest.mark.parametrize(
    "content",
    [
        {"message": {"mid": "m1", "text": "hi", "is_echo": True}},
        {"delivery": {"mids": ["m1"], "watermark": 1}},
        {"read": {"watermark": 1}},
    ],
)
def test_echoes_and_receipts_are_not_events(content):
    assert translate(item(**content)) is None


def test_item_without_sender_is_ignored():
    assert translate({"message": {"mid": "m", "text": "x"}}) is None


def test_signature_must_match_the_exact_body_and_secret():
    body = b'{"object":"page"}'
    assert signature_valid(body, sign(body, "s3cret"), b"s3cret")
    assert not signature_valid(body + b" ", sign(body, "s3cret"), b"s3cret")
    assert not signature_valid(body, sign(body, "other"), b"s3cret")
    assert not signature_valid(body, None, b"s3cret")
    assert not signature_valid(body, "sha256=zz", b"s3cret")


def _within_limits(messages) -> None:
    for message in messages:
        assert 0 < len(message["text"]) <= 2000
        replies = message.get("quick_replies", [])
        assert len(replies) <= QUICK_REPLY_LIMIT
        assert all(0 < len(reply["title"]) <= TITLE_LIMIT for reply in replies)


FULL = {
    "service": "dialysis",
    "gender": "undisclosed",
    "info_source": "staff",
    "awareness": "none",
    "documents": "1",
    "satisfaction": "3",
    "professionalism": "1",
    "helpfulness": "1",
    "extra_needs": "yes",
    "extra_needs_text": "ა" * 1000,
    "suggestions": "ბ" * 1000,
}


@pytest.mark.parametrize(
    "position", [*(q.id for q in CONTENT.questionnaire.questions), PICK, SUMMARY]
)
def test_every_question_summary_and_pick_list_fit_messenger(position):
    draft = Draft(position, FULL)
    for page in range(3):
        _within_limits(RENDERER.render(VIEWS.prompt(draft), page))


def test_service_list_pages_through_all_options_and_back():
    reply = VIEWS.prompt(Draft("service", {}))
    first, second, third = (RENDERER.render(reply, page)[-1] for page in range(3))
    payloads = [r["payload"] for r in first["quick_replies"] + second["quick_replies"]]
    chosen = [p.split("|")[2] for p in payloads if p.startswith("a|")]
    assert chosen == list(CONTENT.questionnaire.get("service").options)
    assert first["quick_replies"][-1]["payload"] == "more|1"
    assert second["quick_replies"][-1]["payload"] == "more|0"
    assert third == first
    assert "17. სხვა / არ მახსოვს" in first["text"]


def test_short_options_stay_plain_quick_replies():
    [message] = RENDERER.render(VIEWS.prompt(Draft("gender", {"service": "other"})))
    assert [r["title"] for r in message["quick_replies"]][:3] == [
        "ქალი",
        "კაცი",
        "არ მსურს მითითება",
    ]
    assert "1." not in message["text"]


def test_long_text_is_split_between_lines_and_buttons_stay_on_the_last_piece():
    reply = Reply("\n".join(["ა" * 900] * 5), ((Button("OK", "ok"),),))
    messages = RENDERER.render(reply)
    assert len(messages) == 3 and "quick_replies" in messages[-1]
    assert "quick_replies" not in messages[0]
    _within_limits(messages)
    assert split_text("ბ" * 4500) == ["ბ" * 2000, "ბ" * 2000, "ბ" * 500]


def test_typed_number_answers_a_choice_and_picks_a_question_to_change():
    questionnaire = CONTENT.questionnaire
    step = engine.advance(questionnaire, Draft("service", {}), engine.Typed("15."))
    assert step.draft.answers["service"] == "winter_heating"
    assert engine.advance(questionnaire, Draft("service", {}), engine.Typed("18")).problem
    assert engine.advance(questionnaire, Draft("service", {}), engine.Typed("١")).problem
    picked = engine.advance(questionnaire, Draft(PICK, {"service": "x"}), engine.Typed("2"))
    assert picked.draft.position == "gender"


def test_page_token_without_app_secret_is_refused():
    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=None, messenger_page_token="EAAG-token")
    assert "MESSENGER_APP_SECRET" in str(raised.value)
    assert "MESSENGER_VERIFY_TOKEN" in str(raised.value)


def test_messenger_texts_replace_commands_only_there():
    assert "/start" in CONTENT.locale.t("session.no_draft")
    assert "/start" not in CONTENT.locale.for_channel("messenger").t("session.no_draft")
    assert CONTENT.locale.for_channel("telegram").t("help") == CONTENT.locale.t("help")


def test_empty_tokens_in_env_file_mean_the_channel_is_off(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("TELEGRAM_BOT_TOKEN=\nMESSENGER_PAGE_TOKEN=\nMESSENGER_APP_SECRET=\n")
    settings = Settings(_env_file=env_file)
    assert settings.telegram_bot_token is None and not settings.messenger


def test_reminder_address_survives_sealing_and_reads_old_plain_chat_ids():
    when = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    address = ReminderAddress("messenger", "7301234567890123", when)
    assert ReminderAddress.unpack(address.pack()) == address
    assert ReminderAddress.unpack("123456789") == ReminderAddress("telegram", "123456789")
    now = when - timedelta(hours=24)
    assert address.due(now, timedelta(hours=24)) == when - timedelta(hours=1)
    assert address.due(now, timedelta(hours=2)) == now + timedelta(hours=2)


@pytest.mark.parametrize(
    "item",
    [
        {"sender": "x", "message": {"text": "a"}},
        {"sender": {"id": "1"}, "postback": {"payload": "start", "referral": "x"}},
        {"sender": {"id": "1"}, "message": {"quick_reply": "x", "text": 5}},
        {"sender": {"id": "1"}, "referral": {}},
    ],
)
def test_malformed_items_do_not_raise(item):
    translate(item)


def test_long_plain_buttons_are_shortened_not_refused():
    reply = Reply("?", ((Button("🔔 მინდა გავიგო, რა შეიცვალა", "sub"),),))
    [message] = RENDERER.render(reply)
    _within_limits([message])
    assert message["quick_replies"][0]["payload"] == "sub"
