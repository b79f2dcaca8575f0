"""The HTTP server's small parts: overload logged once a minute, bounds fitted to the open
files, and the proxies a forwarded address is believed from."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from pydantic import ValidationError

from bot.common.once_a_minute import OnceAMinute, Overloaded, once_a_minute
from bot.config.settings import Settings
from bot.wiring.http_limits import Limits
from bot.wiring.http_server import ACCEPT_BATCH, Bounds


class Ticking:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_overload_is_written_once_a_minute_with_how_many_went_unsaid(caplog):
    clock = Ticking()
    once = OnceAMinute(logging.getLogger("test.overload"), clock=clock)
    with caplog.at_level(logging.WARNING, "test.overload"):
        for _ in range(10_000):
            once.warn("connections", "full")
            once.warn("slow head", "slow")
        clock.now += 60
        once.warn("connections", "full")
    assert [r.getMessage() for r in caplog.records] == [
        "full",
        "slow",
        "full (9999 more in the last minute)",
    ]


def test_a_librarys_overload_lines_become_one_line_a_minute_without_a_traceback():
    clock = Ticking()
    quiet = Overloaded(OnceAMinute(logging.getLogger("x"), clock=clock), {"boom": "too busy"})
    try:
        raise OSError(24, "Too many open files")
    except OSError as error:
        failure = (OSError, error, error.__traceback__)
    records = [
        logging.LogRecord("asyncio", logging.ERROR, "f", 1, "boom\nsocket: x", (), failure)
        for _ in range(500)
    ]
    passed = [record for record in records if quiet.filter(record)]
    assert len(passed) == 1 and passed[0].exc_info is None
    assert passed[0].getMessage() == "too busy" and passed[0].levelno == logging.WARNING
    other = logging.LogRecord("asyncio", logging.ERROR, "f", 1, "something else", (), None)
    assert quiet.filter(other) and other.getMessage() == "something else"


def test_connections_leave_files_for_the_rest_and_requests_leave_idle_connections():
    fitted = Bounds().for_files(1024)
    assert fitted.max_connections == 1024 - 256 - ACCEPT_BATCH
    assert fitted.max_requests <= fitted.max_connections // 2
    assert Bounds().for_files(1_000_000).max_connections == Bounds().max_connections
    assert Bounds(max_requests=500).for_files(256).max_requests <= 80


def test_forwarded_addresses_are_believed_from_no_one_unless_configured():
    assert Settings(_env_file=None).forwarded_allow_ips == ()
    proxies = Settings(_env_file=None, forwarded_allow_ips="10.0.0.5, 192.168.1.0/24")
    assert proxies.forwarded_allow_ips == ("10.0.0.5", "192.168.1.0/24")
    with pytest.raises(ValidationError, match="not an IP address"):
        Settings(_env_file=None, forwarded_allow_ips="proxy.example")


def test_a_line_anyone_can_cause_per_request_is_written_once_a_minute(caplog):
    log = logging.getLogger("test.per_request")
    with caplog.at_level(logging.INFO, "test.per_request"):
        for _ in range(1000):
            once_a_minute(log).info("refused", "forms refused")
    assert [r.getMessage() for r in caplog.records] == ["forms refused"]
    assert caplog.records[0].levelno == logging.INFO
    assert once_a_minute(log) is once_a_minute(logging.getLogger("test.per_request"))


async def test_telegrams_webhook_calls_are_held_to_the_overall_cap_not_one_addresss_share():
    """Telegram opens up to 40 webhook connections from one of its few addresses: calls with
    the bot's secret token must not get 503 for being many from one address, while anything
    else from that address still does."""
    release = asyncio.Event()

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    def vouched(scope) -> bool:  # type: ignore[no-untyped-def]
        return dict(scope["headers"]).get(b"x-telegram-bot-api-secret-token") == b"right"

    once = OnceAMinute(logging.getLogger("test.limits"))
    limits = Limits(app, 40, "busy", once, per_address=2, vouched=vouched)
    transport = httpx.ASGITransport(app=limits, client=("149.154.167.220", 443))
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as http:

        def post(token: str) -> asyncio.Task[httpx.Response]:
            headers = {"x-telegram-bot-api-secret-token": token}
            return asyncio.create_task(
                http.post("/telegram/webhook", content=b"{}", headers=headers)
            )

        others = [post("wrong"), post("wrong")]
        while limits.in_flight < 2:
            await asyncio.sleep(0.01)
        third = await http.post("/telegram/webhook", content=b"{}")
        updates = [post("right") for _ in range(10)]
        while limits.in_flight < 12:
            await asyncio.sleep(0.01)
        release.set()
        answers = await asyncio.gather(*others, *updates)
    assert third.status_code == 503, "one address's share still holds for everything else"
    assert [a.status_code for a in answers] == [200] * 12
