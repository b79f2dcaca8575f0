"""The citizens' conversation, the paper desk and the router, on the in-memory unit of work."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.dialogue.callbacks import Today, encode
from bot.dialogue.conversation import Conversation, Limits
from bot.dialogue.events import Incoming, PaperCommand, Press, Sender, Start, Stop, Text
from bot.dialogue.paper import PaperDesk
from bot.dialogue.router import PAPER, Router
from bot.dialogue.views import Views
from bot.questionnaire.content import load_content
from bot.questionnaire.engine import Blank, Choose, Submit
from bot.questionnaire.identity import Keyer
from tests.support.memory_store import MemoryStore

CONTENT = load_content()
Q = CONTENT.questionnaire
NOW = datetime(2025, 9, 8, 9, 0, tzinfo=UTC)
ANSWERS = {
    "service": "winter_heating",
    "gender": "female",
    "info_source": "staff",
    "awareness": "full",
    "documents": "4",
    "satisfaction": "5",
    "professionalism": "4",
    "helpfulness": "5",
    "extra_needs": "yes",
    "extra_needs_text": "ტრანსპორტი",
    "suggestions": "გმადლობთ",
}


class Desks:
    def __init__(self, per_day: int = 3) -> None:
        self.store = MemoryStore()
        self.mixed: list[date] = []
        views = Views(Q, CONTENT.locale, "ამბროლაური")
        keyer = Keyer(b"k" * 32)
        zone = ZoneInfo("Asia/Tbilisi")

        async def empty_box(today: date) -> None:
            self.mixed.append(today)

        self.conversation = Conversation(
            questionnaire=Q,
            views=views,
            transaction=self.store.transaction,
            keyer=keyer,
            clock=lambda: NOW,
            zone=zone,
            limits=Limits(per_day, timedelta(days=7), reminder_after=timedelta(hours=24)),
            empty_box=empty_box,
        )
        self.paper = PaperDesk(
            questionnaire=Q, views=views, keyer=keyer, clock=lambda: NOW, zone=zone
        )
        self.router = Router(
            units=self.store.transaction,
            conversation=self.conversation,
            paper=self.paper,
            locale=CONTENT.locale,
            clock=lambda: NOW,
        )
        self.updates = 0

    async def say(self, user: str, event, roles=frozenset(), private=True):
        self.updates += 1
        sender = Sender("telegram", user, str(self.updates), chat=user)
        return await self.router.handle(Incoming(sender, event, private, roles))


def inputs(answers):
    """What a citizen presses or types for each answer, in the questionnaire's order."""
    for question in Q.applicable(answers):
        value = answers[question.id]
        yield Text(value) if question.kind == "text" else Press(encode(Choose(question.id, value)))


async def complete(desks: Desks, user: str):
    await desks.say(user, Start())
    for event in inputs(ANSWERS):
        await desks.say(user, event)
    return await desks.say(user, Press(encode(Submit())))


async def test_a_completed_questionnaire_goes_into_the_ballot_box_exactly_and_is_mixed():
    desks = Desks()
    outcome = await complete(desks, "1")
    state = desks.store.state
    assert [form["answers"] for form in state.box] == [ANSWERS]
    assert state.box[0]["channel"] == "telegram" and state.box[0]["day"] == date(2025, 9, 8)
    assert state.responses == [], "a citizen's form waits in the box, never straight in"
    assert state.drafts == {} and state.reminders == {}
    assert sum(state.counts.values()) == 1
    assert desks.mixed == [NOW.astimezone(ZoneInfo("Asia/Tbilisi")).date()], (
        "mixed after the commit"
    )
    assert "გმადლობთ" in outcome.replies[0].text


async def test_every_answer_is_saved_in_the_draft_before_the_reply():
    desks = Desks()
    await desks.say("2", Start())
    await desks.say("2", Press(encode(Choose("service", "newborn"))))
    [(version, draft, _)] = desks.store.state.drafts.values()
    assert version == Q.version and draft.answers == {"service": "newborn"}
    assert draft.position == "gender"


async def test_a_repeated_update_changes_nothing_the_second_time():
    desks = Desks()
    await desks.say("3", Start())
    sender = Sender("telegram", "3", "same-update", chat="3")
    event = Incoming(sender, Press(encode(Choose("service", "newborn"))))
    first = await desks.router.handle(event)
    commits = desks.store.commits
    again = await desks.router.handle(event)
    assert first.replies and again.replies == ()
    assert desks.store.commits == commits


async def test_the_daily_limit_refuses_a_further_form_and_keeps_nothing():
    desks = Desks(per_day=1)
    await complete(desks, "4")
    refused = await desks.say("4", Start())
    assert "1" in refused.replies[0].text and len(desks.store.state.box) == 1
    assert desks.store.state.drafts == {}


async def test_a_link_with_a_service_code_pre_answers_the_service_question():
    desks = Desks()
    outcome = await desks.say("5", Start("home_care"))
    [(_, draft, _)] = desks.store.state.drafts.values()
    assert draft.answers == {"service": "home_care"} and draft.position == "gender"
    assert "შინ მოვლის პროგრამა" in "\n".join(r.text for r in outcome.replies)


async def test_stop_deletes_the_draft_and_its_reminder():
    desks = Desks()
    await desks.say("6", Start())
    assert desks.store.state.reminders
    await desks.say("6", Stop())
    assert desks.store.state.drafts == {} and desks.store.state.reminders == {}


async def test_a_turn_that_fails_keeps_nothing():
    desks = Desks()
    desks.conversation.views = None  # type: ignore[assignment]  # breaks mid-turn
    with pytest.raises(AttributeError):
        await desks.say("7", Start())
    assert desks.store.commits == 0 and desks.store.state.seen == set()
    assert desks.store.state.drafts == {}, "not even the update is marked as handled"


async def test_paper_desk_stores_a_typed_in_form_with_the_batch_date_straight_away():
    desks = Desks()
    staff = frozenset({PAPER})
    asked = await desks.say("9", PaperCommand("paper"), staff)
    assert asked.tidy and "თარიღ" in asked.replies[0].text
    await desks.say("9", Text("03.09.2025"), staff)
    for event in inputs(ANSWERS):
        await desks.say("9", event, staff)
    state = desks.store.state
    assert [r["answers"] for r in state.responses] == [ANSWERS]
    assert state.responses[0]["channel"] == "paper"
    assert state.responses[0]["submitted_on"] == date(2025, 9, 3)
    assert state.box == []
    done = await desks.say("9", PaperCommand("done"), staff)
    assert done.replies[0].text == CONTENT.locale.t("paper.done", count=1)
    assert desks.store.state.paper == {}


async def test_paper_desk_today_button_and_not_answered():
    desks = Desks()
    staff = frozenset({PAPER})
    await desks.say("10", PaperCommand("paper"), staff)
    await desks.say("10", Press(encode(Today())), staff)
    await desks.say("10", Press(encode(Choose("service", "newborn"))), staff)
    await desks.say("10", Press(encode(Blank("gender"))), staff)
    [(_, draft, _)] = desks.store.state.drafts.values()
    assert draft.answers == {"service": "newborn", "gender": None}
    assert desks.store.state.paper[next(iter(desks.store.state.paper))] == (date(2025, 9, 8), 0)


async def test_paper_commands_are_refused_to_citizens_and_in_groups():
    desks = Desks()
    refused = await desks.say("11", PaperCommand("paper"))
    assert refused.replies[0].text == CONTENT.locale.t("paper.refused")
    group = await desks.say("11", PaperCommand("paper"), frozenset({PAPER}), private=False)
    assert group.replies[0].text == CONTENT.locale.t("paper.private_only")
    assert desks.store.state.paper == {}


async def test_a_citizen_pressing_a_paper_desk_button_changes_nothing():
    desks = Desks()
    await desks.say("12", Start())
    before = dict(desks.store.state.drafts)
    outcome = await desks.say("12", Press(encode(Blank("service"))))
    assert desks.store.state.drafts.keys() == before.keys()
    [(_, draft, _)] = desks.store.state.drafts.values()
    assert draft.answers == {}
    assert CONTENT.locale.t("problem.unknown_button") in outcome.replies[0].text
