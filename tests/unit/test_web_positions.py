"""The web page's small parts around a redirect: the question's position in its address,
the language kept in the signed session, the notices carried over the redirect."""

from __future__ import annotations

from bot.channels.web import positions
from bot.channels.web.notices import MAX, Notices
from bot.channels.web.session import Sessions
from bot.questionnaire.identity import Keyer

KEYER = Keyer(b"s" * 32)
HOME, OTHER = Sessions(KEYER, None), Sessions(KEYER, "marneuli")


def test_a_follow_up_stands_between_its_question_and_the_next_and_the_summary_after_all():
    order = [positions.order(key) for key in ("1", "9", "9ა", "10", "summary", "change")]
    assert order == sorted(order) and None not in order
    assert positions.order("../x") is None and positions.order("") is None
    assert positions.path("/m/oni", "3") == "/m/oni/n/3" and positions.path("", None) == "/"


def test_the_language_chosen_is_signed_with_the_session_and_survives_a_new_questionnaire():
    session = HOME.speaking(HOME.new(), "az")
    assert HOME.read(session.cookie) == session and session.language == "az"
    assert HOME.renewed(session).language == "az"
    kind, user, draft, _language, mac = session.cookie.split(".")
    assert HOME.read(f"{kind}.{user}.{draft}.ru.{mac}") is None, "another language: refused"
    assert HOME.read(f"{kind}.{user}.{draft}.{mac}") is None, "the language dropped: refused"
    assert OTHER.read(session.cookie) is None
    plain = HOME.new()
    assert HOME.read(plain.cookie) == plain and plain.language == ""


def test_notices_come_back_only_as_signed_and_only_for_their_municipality():
    home, other = Notices(KEYER, None), Notices(KEYER, "marneuli")
    value = home.pack(["ეს გვერდი ძველია"], "გმადლობთ!")
    assert value is not None
    assert home.unpack(value) == (["ეს გვერდი ძველია"], "გმადლობთ!")
    thanks = home.pack([], "Շնորհակալություն", "hy")
    assert home.read(thanks) == ([], "Շնորհակալություն", "hy"), "the thanks keep their language"
    assert other.unpack(value) == ([], None)
    body, mac = value.rsplit(".", 1)
    assert home.unpack(body[:-2] + "AA." + mac) == ([], None)
    assert home.unpack("garbage") == ([], None) and home.unpack(None) == ([], None)
    assert home.pack(["ა" * MAX]) is None, "too long to carry: nothing, never a cut text"
