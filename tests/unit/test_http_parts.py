"""The HTTP server's small parts: overload logged once a minute, bounds fitted to the open
files, and the proxies a forwarded address is believed from."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from bot.http_server import ACCEPT_BATCH, Bounds
from bot.once_a_minute import OnceAMinute, Overloaded, once_a_minute
from bot.settings import Settings


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
