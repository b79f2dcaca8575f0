"""A Cookie header stuffed with values costs the web page no more than an ordinary one."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from types import SimpleNamespace

import pytest
from starlette.requests import Request

from bot.channels.web import session as web_session
from bot.channels.web.kiosk import COOKIE, Kiosks, token_hash
from bot.channels.web.session import Sessions
from bot.questionnaire.identity import Keyer

KEYER = Keyer(b"k" * 32)
STUFFED = 1400


def request_with(cookie: str) -> Request:
    return Request({"type": "http", "headers": [(b"cookie", cookie.encode())]})


class CountingKiosks:
    def __init__(self, known: set[str]) -> None:
        self.known_hashes = known
        self.asked = 0

    async def known(self, hashed: str) -> bool:
        self.asked += 1
        return hashed in self.known_hashes


def kiosks_with(table: CountingKiosks, clock=lambda: 0.0) -> Kiosks:
    @asynccontextmanager
    async def units():
        yield SimpleNamespace(kiosks=table)

    return Kiosks(KEYER, None, units, clock=clock)  # type: ignore[arg-type]


def test_a_thousand_kiosk_cookie_values_cost_one_lookup_at_most():
    table = CountingKiosks(set())
    stuffed = "; ".join(f"{COOKIE}=k{i}" for i in range(STUFFED))
    assert asyncio.run(kiosks_with(table).token_of(request_with(stuffed))) is None
    assert table.asked <= 1


def test_a_known_kiosk_is_believed_briefly_for_page_views_and_asked_again_for_a_send():
    table = CountingKiosks({token_hash(KEYER, None, "tablet")})
    now = [0.0]
    kiosks = kiosks_with(table, clock=lambda: now[0])
    request = request_with(f"{COOKIE}=tablet")

    async def views_then_send() -> list[str | None]:
        seen = [await kiosks.token_of(request, fresh=False) for _ in range(5)]
        return [*seen, await kiosks.token_of(request)]

    assert asyncio.run(views_then_send()) == ["tablet"] * 6
    assert table.asked == 2, "one look for five page views, one for the send"


def test_a_thousand_session_values_are_not_each_checked(monkeypatch: pytest.MonkeyPatch):
    sessions = Sessions(KEYER, None)
    read = sessions.read
    calls = []

    def counted(value: str):
        calls.append(value)
        return read(value)

    monkeypatch.setattr(sessions, "read", counted)
    stuffed = "; ".join(f"{web_session.COOKIE}=w.a.b.c{i}" for i in range(STUFFED))
    genuine = sessions.new()
    assert sessions.from_header(f"{stuffed}; {web_session.COOKIE}={genuine.cookie}") is None
    assert len(calls) <= 4
    assert sessions.from_header(f"{web_session.COOKIE}={genuine.cookie}") == genuine
