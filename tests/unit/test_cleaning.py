"""A typed text is stored as a reader sees it; an answer with nothing visible is asked again."""

from __future__ import annotations

import re
import unicodedata

import pytest

from bot.dialogue.events import Text
from bot.questionnaire import cleaning, engine
from bot.questionnaire.cleaning import clean
from bot.questionnaire.number_words import Composer, value
from tests.unit.test_desks import ANSWERS, PAPER, Desks, PaperCommand, inputs
from tests.unit.test_typed_answers import CONTENT, VIEWS, at

NO_TEXT = ["\u200b\u200c\u200d", "\x00", "\ud800", "\u202e", "\ufeff \u2060", "\x00\ud800\u200b"]


def test_the_format_characters_dropped_are_every_format_character_of_unicode():
    listed = re.compile(f"[{cleaning._FORMAT}]")
    every = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert [c for c in every if not listed.match(c)] == []
    assert sum(1 for c in range(0x110000) if listed.match(chr(c))) == len(every)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ტელეფონი: ５９９ ２１ ４３ ６５", "ტელეფონი: 599 21 43 65"),
        ("٥٧٧ ۸۸ ५९१ ৫৬৮ 𝟓𝟗𝟖", "577 88 591 568 598"),
        ("5\u200b9\u200c9\u200d1\u2060\ufeff2\u00ad3", "599123"),
        ("ნომერი: \u202e557 98 76 54\u202c", "ნომერი: 45 67 89 755"),
        ("5\u03329\u0332 5️⃣", "59 5"),
        ("ა\x00ბ\x07გ", "აბგ"),
        ("ხაზი\r\nმეორე\rმესამე\tტაბი", "ხაზი\nმეორე\nმესამე ტაბი"),
        ("  სივრცე  ", "სივრცე"),
        ("\ud83d\ude00 ok", "😀 ok"),
        ("ka\ud800ri", "kari"),
        ("manana.j＠outlook．com", "manana.j@outlook.com"),
        ("№ ５ და 150 მ²", "№ 5 და 150 მ²"),
        ("👨\u200d👩\u200d👧 ოჯახი", "👨\u200d👩\u200d👧 ოჯახი"),
        ("❤\ufe0f", "❤\ufe0f"),
    ],
)
def test_a_text_is_stored_as_shown(typed, stored):
    assert clean(typed) == stored
    assert clean(stored) == stored, "cleaning twice changes nothing"


@pytest.mark.parametrize("typed", [*NO_TEXT, "", "   ", "\ufe0f", "\u3164", "\u2800\n\t"])
def test_a_text_with_nothing_visible_is_empty(typed):
    assert clean(typed) == ""


@pytest.mark.parametrize("typed", ["👍", "🙏🙏", "?", "...", "5"])
def test_emoji_and_punctuation_alone_are_text(typed):
    assert clean(typed) == typed


@pytest.mark.parametrize("typed", NO_TEXT)
def test_an_answer_with_nothing_visible_is_asked_again_and_the_draft_stays(typed):
    draft = at("suggestions", extra_needs="no")
    given = VIEWS.understand(draft, typed).given
    step = engine.advance(CONTENT.questionnaire, draft, given)
    assert step.problem is not None and step.problem.code == "no_text"
    assert step.draft == draft
    assert VIEWS.problem(step.problem) == CONTENT.locale.t("problem.no_text")


def test_an_empty_message_is_still_called_empty():
    step = engine.advance(
        CONTENT.questionnaire, at("suggestions", extra_needs="no"), engine.Typed(" ")
    )
    assert step.problem.code == "empty_text"


def test_an_emoji_suggestion_is_kept_as_written():
    draft = at("suggestions", extra_needs="no")
    step = engine.advance(CONTENT.questionnaire, draft, VIEWS.understand(draft, "👍").given)
    assert step.problem is None and step.draft.answers["suggestions"] == "👍"


def test_the_stored_text_is_the_cleaned_and_masked_one():
    draft = at("suggestions", extra_needs="no")
    typed = "გზა\u200b ცუდია, ５９９ ２１ ４３ ６５ და nino.b at gmail dot com"
    understood = VIEWS.understand(draft, typed)
    assert understood.given == engine.Typed("გზა ცუდია, [წაშლილია] და [წაშლილია]")
    assert understood.masked == 2


async def test_the_paper_desk_asks_again_for_a_text_with_nothing_visible():
    desks, staff = Desks(), frozenset({PAPER})
    await desks.say("12", PaperCommand("paper"), staff)
    await desks.say("12", Text("03.09.2025"), staff)
    for event in list(inputs(ANSWERS))[:-1]:
        await desks.say("12", event, staff)
    [(_, before, _)] = desks.store.state.drafts.values()
    assert before.position == "suggestions"
    asked = await desks.say("12", Text("\u200b\u200c"), staff)
    assert asked.replies[0].text == CONTENT.locale.t("problem.no_text")
    [(_, after, _)] = desks.store.state.drafts.values()
    assert after == before


@pytest.mark.parametrize(
    ("words", "numbers"),
    [
        ("ხუთას ოთხმოცდაცხრამეტი თორმეტი", [599, 12]),
        ("khutas otkhmotsdatskhrameti", [599]),
        ("пятьсот пятьдесят семь", [557]),
        ("ორი ათას ხუთასი", [2500]),
        ("ნული ერთი", [0, 1]),
        ("ოცდაერთი ოცდაერთი", [21, 21]),
    ],
)
def test_number_words_are_put_together_as_spoken(words, numbers):
    composer = Composer()
    for word in words.split():
        composer.add(*value(word))
    assert composer.numbers == numbers


@pytest.mark.parametrize("word", ["at", "or", "as", "ხუთშაბათს", "ათასჯერ", "ორშაბათს", "nino"])
def test_other_words_are_no_numbers(word):
    assert value(word) is None
