"""The web session's signatures: what the server takes, and from which municipality."""

from __future__ import annotations

import secrets

from bot.channels.web.session import COOKIE, Sessions, handoff, read_handoff
from bot.questionnaire.identity import Keyer

KEYER = Keyer(b"s" * 32)
HOME, OTHER = Sessions(KEYER, None), Sessions(KEYER, "marneuli")


def test_a_session_is_taken_back_only_by_the_municipality_that_issued_it():
    home, other = HOME.new(), OTHER.new()
    assert HOME.read(home.cookie) == home and OTHER.read(other.cookie) == other
    assert OTHER.read(home.cookie) is None and HOME.read(other.cookie) is None


def test_values_the_server_did_not_sign_are_no_session():
    genuine = HOME.new().cookie
    kind, user, draft, mac = genuine.split(".")
    for value in (
        "w." + secrets.token_urlsafe(32),  # the old, unsigned form
        f"{kind}.{user}.{secrets.token_urlsafe(32)}.{mac}",  # another questionnaire's value
        f"m.{user}.{draft}.{mac}",  # the same values as a Messenger session
        f"w.{user}.{draft}.{HOME.csrf(HOME.read(genuine))}",  # a CSRF token is no signature
        f"w.{user}.{draft}.{mac[:-1]}ж",  # not ASCII: refused, not an error
        genuine + ".x",
        "",
        None,
    ):
        assert HOME.read(value) is None, value


def test_a_renewed_session_keeps_the_browser_and_changes_the_questionnaire():
    first = HOME.new()
    again = HOME.renewed(first)
    assert again.user == first.user and again.draft not in (None, first.draft)
    assert HOME.read(again.cookie) == again
    handed = HOME.for_messenger("ab" * 20)
    assert handed.draft is None and HOME.renewed(handed).channel == handed.channel


def test_of_several_cookies_sent_the_one_signed_for_this_municipality_counts():
    home, other = HOME.new(), OTHER.new()
    header = f'{COOKIE}={other.cookie}; lang=ka; {COOKIE}="{home.cookie}"'
    assert OTHER.from_header(header) == other and HOME.from_header(header) == home
    assert HOME.from_header(f"{COOKIE}={other.cookie}") is None
    assert HOME.from_header(None) is None


def test_a_messenger_link_opens_only_its_own_municipalitys_page():
    token = handoff(KEYER, "ab" * 20, 60, scope="marneuli", now=1000)
    assert read_handoff(KEYER, token, scope="marneuli", now=1001) == "ab" * 20
    assert read_handoff(KEYER, token, scope=None, now=1001) is None
    assert read_handoff(KEYER, token, scope="tbilisi", now=1001) is None
    assert read_handoff(KEYER, token, scope="marneuli", now=2000) is None  # expired
    assert read_handoff(KEYER, "ჟ" + token, scope="marneuli", now=1001) is None
