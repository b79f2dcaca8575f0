"""The HTTP server under the attacks that stopped it (issue 25, points 3, 5 and 6): idle
connections by the thousand, heads and bodies sent a byte at a time, POSTs dropped half-way,
a forged ``X-Forwarded-For``, a ``Host`` written into a redirect. Each attack is run the way
an attacker runs it, against the server the bot builds (``bot.entry.runner``)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import re
import resource
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.config.settings import Settings
from bot.entry.runner import _http
from bot.wiring.bootstrap import Runtime, build_runtime
from tests.conftest import free_port
from tests.support.process import process_env
from tests.support.web_citizen import WebCitizen, browser

ROOT = Path(__file__).resolve().parents[2]
IDLE_ATTACKERS = 1200
CITIZENS = 20
PAGE_LIMIT = 5.0
"""Seconds one page may take beside the attack: "within a second", with room for a loaded
2-core machine (before the change citizens got no page at all); the assertion says the
slowest page, so a page over a second shows in its message."""
FILES = 1024
"""The open-file limit the attack was reproduced at (a common default)."""
EVENT_LIMIT = 20.0
"""How long a test waits for the server to do something (close, answer) before failing."""


# --- the bot as an operator runs it, at the open-file limit of the reproduction ----------


def _at_most(files: int, hard: int | None = None) -> Callable[[], None]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (files, hard or files))

    return limit


async def _start(env: dict[str, str], cwd: Path, log: Path, files: int, hard: int | None = None):
    port = free_port()
    env = process_env(env) | {"WEB_ENABLED": "true", "WEBHOOK_PORT": str(port)}
    env["PYTHONPATH"] = str(ROOT)  # this checkout's code, whatever the venv has installed
    env.pop("TELEGRAM_BOT_TOKEN", None)
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.entry.cli",
            "run",
            env=env,
            cwd=cwd,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=output,
            preexec_fn=_at_most(files, hard),
        )
    url = f"http://127.0.0.1:{port}/"
    async with aiohttp.ClientSession() as http, asyncio.timeout(120):
        while True:
            assert process.returncode is None, log.read_text()
            try:
                async with http.get(url + "healthz") as response:
                    if response.status == 200:
                        return process, url, port
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)


async def _stop(process: asyncio.subprocess.Process) -> None:
    process.terminate()
    assert await asyncio.wait_for(process.wait(), 60) == 0


def _enough_files_for_the_attacker(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"this machine allows {hard} open files; the attack needs {needed}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


async def _citizen(url: str, number: int) -> list[float]:
    """Four pages of the questionnaire, from the citizen's own address (127.0.0.x)."""
    connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{10 + number}", 0))
    timeout = aiohttp.ClientTimeout(total=EVENT_LIMIT)
    taken = []
    async with browser(connector=connector, timeout=timeout) as http:
        citizen = WebCitizen(url, http)
        steps = [
            citizen.open,
            lambda: citizen.press("▶️"),
            lambda: citizen.press("ზამთრის თბობა"),
            lambda: citizen.press("ქალი"),
        ]
        for step in steps:
            started = time.monotonic()
            await step()
            taken.append(time.monotonic() - started)
            assert citizen.status == 200, citizen.page
    return taken


async def _churn(port: int, idle: list[socket.socket], done: asyncio.Event) -> int:
    """The attacker drops its oldest idle connection and opens a new one, again and again,
    until ``done``: the server's newest connections are then always the attacker's."""
    loop = asyncio.get_running_loop()
    renewed = 0
    while not done.is_set():
        idle.pop(0).close()
        fresh = socket.socket()
        fresh.setblocking(False)
        with contextlib.suppress(OSError):  # refused or reset: the attacker tries again
            await asyncio.wait_for(loop.sock_connect(fresh, ("127.0.0.1", port)), EVENT_LIMIT)
        idle.append(fresh)
        renewed += 1
        await asyncio.sleep(0)
    return renewed


async def test_1200_idle_connections_leave_20_citizens_every_page_and_the_log_quiet(
    settings_env, tmp_path
):
    _enough_files_for_the_attacker(IDLE_ATTACKERS + 400)
    log = tmp_path / "bot.log"
    process, url, port = await _start(settings_env, tmp_path, log, FILES)
    idle: list[socket.socket] = []
    try:
        before = log.stat().st_size
        for _ in range(IDLE_ATTACKERS):  # connect, send nothing, keep the connection
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        done = asyncio.Event()
        churning = asyncio.create_task(_churn(port, idle, done))
        try:
            taken = await asyncio.gather(*(_citizen(url, n) for n in range(CITIZENS)))
        finally:
            done.set()
            renewed = await churning
        pages = sorted(seconds for citizen in taken for seconds in citizen)
        assert len(pages) == CITIZENS * 4, "every citizen got every page"
        seen = f"slowest page {pages[-1]:.3f} s, median {pages[len(pages) // 2]:.3f} s"
        print(f"pages beside the attack ({renewed} connections renewed): {seen}")
        assert pages[-1] < PAGE_LIMIT, seen
        assert renewed > 0, "the attacker renewed connections while the citizens answered"
        grown = log.stat().st_size - before
        text = log.read_text(errors="replace")
        assert grown < 1_000_000, f"the log grew by {grown} bytes"
        assert "Too many open files" not in text and "out of system resource" not in text
        assert "Traceback" not in text
    finally:
        for connection in idle:
            connection.close()
        await _stop(process)


async def test_refused_forms_and_forged_buttons_are_logged_once_a_minute(settings_env, tmp_path):
    """Each was an INFO line a request (~100 bytes), limited only by the page views one
    address may make: 600 a minute from each of as many addresses as an attacker has."""
    log = tmp_path / "bot.log"
    process, url, _port = await _start(settings_env, tmp_path, log, FILES)
    try:
        async with browser() as http:
            citizen = WebCitizen(url, http)
            await citizen.open()
            for _ in range(50):  # a language button on a page with one language
                await citizen.post({"b": "lang|ka|"})
                assert citizen.status == 200
            for _ in range(50):  # a form with no session and a made-up token
                async with (
                    aiohttp.ClientSession() as stranger,
                    stranger.post(url, data={"b": "start", "csrf": "x"}) as answer,
                ):
                    assert answer.status == 403
    finally:
        await _stop(process)
    text = log.read_text(errors="replace")
    assert text.count("not the citizen") == 1, text[-3000:]
    assert text.count("CSRF") == 1, text[-3000:]


async def test_the_bot_raises_its_open_file_limit_as_far_as_the_system_allows(
    settings_env, tmp_path
):
    process, _url, _port = await _start(settings_env, tmp_path, tmp_path / "bot.log", FILES, 4096)
    try:
        limits = Path(f"/proc/{process.pid}/limits").read_text()
        [line] = [line for line in limits.splitlines() if line.startswith("Max open files")]
        assert line.split()[3:5] == ["4096", "4096"], line
    finally:
        await _stop(process)


# --- the bot's server in this process, with an echo of what it was given -----------------


@pytest.fixture
async def runtime(settings_env: dict[str, str]) -> AsyncIterator[Runtime]:
    env = {k.lower(): v for k, v in settings_env.items() if k != "TELEGRAM_BOT_TOKEN"}
    settings = Settings(_env_file=None, **env)
    runtime = await build_runtime(settings)
    yield runtime
    await runtime.close()


async def _address(request: Request) -> Response:
    return PlainTextResponse(request.client.host if request.client else "")


async def _read_body(request: Request) -> Response:
    return PlainTextResponse(f"{len(await request.body())} bytes")


async def _service(request: Request) -> Response:
    return PlainTextResponse(request.path_params["service"])


HELD = asyncio.Event()


async def _held(_request: Request) -> Response:
    await HELD.wait()
    return PlainTextResponse("done")


ROUTES = [
    Route("/held", _held),
    Route("/address", _address),
    Route("/body", _read_body, methods=["POST"]),
    Route("/q/{service}", _service),
]


@contextlib.asynccontextmanager
async def _serving(runtime: Runtime, **settings: object) -> AsyncIterator[int]:
    """``runner._http`` on a free port, with these settings laid over; yields the port."""
    port = free_port()
    changed = runtime.settings.model_copy(update={"webhook_port": port, **settings})
    async with _http(dataclasses.replace(runtime, settings=changed), ROUTES):
        yield port


async def test_a_forged_x_forwarded_for_is_not_believed_without_a_configured_proxy(runtime):
    async with _serving(runtime) as port, aiohttp.ClientSession() as http:
        url = f"http://127.0.0.1:{port}/address"
        async with http.get(url, headers={"X-Forwarded-For": "203.0.113.9"}) as response:
            assert await response.text() == "127.0.0.1"


async def test_a_configured_proxy_is_believed(runtime):
    proxy = {"forwarded_allow_ips": ("127.0.0.1",)}
    async with _serving(runtime, **proxy) as port, aiohttp.ClientSession() as http:
        url = f"http://127.0.0.1:{port}/address"
        async with http.get(url, headers={"X-Forwarded-For": "203.0.113.9"}) as response:
            assert await response.text() == "203.0.113.9"


async def test_a_trailing_slash_redirect_goes_to_the_public_address_never_to_host(runtime):
    public = "https://feedback.example.ge/"
    async with _serving(runtime, web_base_url=public) as port, aiohttp.ClientSession() as http:
        url = f"http://127.0.0.1:{port}/q/winter_heating/?x=1"
        headers = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
        async with http.get(url, headers=headers, allow_redirects=False) as response:
            assert response.status in (301, 302, 307, 308)
            assert (
                response.headers["Location"] == "https://feedback.example.ge/q/winter_heating?x=1"
            )


async def test_without_a_public_address_a_redirect_is_a_path_on_the_same_site(runtime):
    async with _serving(runtime) as port, aiohttp.ClientSession() as http:
        base = f"http://127.0.0.1:{port}"
        headers = {"Host": "evil.example"}
        async with http.get(
            base + "/q/winter_heating/", headers=headers, allow_redirects=False
        ) as response:
            assert response.headers["Location"] == "/q/winter_heating"
        async with http.get(base + "//q/winter_heating/", allow_redirects=False) as response:
            assert not response.headers.get("Location", "/").startswith("//")


def _accepted_sockets(port: int) -> list[socket.socket]:
    """The server's own ends of its connections on ``port`` (its protocols' transports)."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    found = []
    for thing in gc.get_objects():
        if isinstance(thing, H11Protocol) and thing.transport is not None:
            sock = thing.transport.get_extra_info("socket")
            if sock is not None and sock.fileno() != -1 and sock.getsockname()[1] == port:
                found.append(sock)
    return found


async def test_every_accepted_connection_sends_without_waiting_for_an_ack(runtime):
    """Without TCP_NODELAY each answer after the first on a reused connection waited ~40 ms
    (Nagle's algorithm against the client's delayed ACK)."""
    async with _serving(runtime) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert (await reader.readuntil(b"ok")).startswith(b"HTTP/1.1 200")
        [server_end] = _accepted_sockets(port)
        assert server_end.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        writer.close()


def _from(address: str) -> aiohttp.ClientSession:
    """A client connecting from ``address`` (any 127.x.y.z is this machine)."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0)))


async def test_requests_over_the_cap_are_told_to_come_back_at_once(runtime):
    HELD.clear()
    async with (
        _serving(runtime, http_max_requests=2) as port,
        aiohttp.ClientSession() as http,
        _from("127.0.0.2") as other,  # the cap on all, not the one on an address
    ):
        base = f"http://127.0.0.1:{port}"
        held = [asyncio.create_task(http.get(base + "/held")) for _ in range(2)]
        try:
            async with asyncio.timeout(EVENT_LIMIT):
                while True:  # until both hold their place
                    async with other.get(base + "/address") as response:
                        page = await response.text()
                        if response.status == 503:
                            break
                    await asyncio.sleep(0.02)
            assert response.headers["Retry-After"].isdigit() and "გთხოვთ" in page
        finally:
            HELD.set()
        for request in held:
            async with await request as answer:
                assert await answer.text() == "done"
        async with http.get(base + "/address") as response:
            assert response.status == 200


async def _closed_by_the_server(reader: asyncio.StreamReader) -> bytes:
    async with asyncio.timeout(EVENT_LIMIT):
        return await reader.read()


async def test_a_connection_that_sends_nothing_is_closed(runtime):
    async with _serving(runtime, http_header_timeout=0.5) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        assert await _closed_by_the_server(reader) == b""
        writer.close()


async def test_a_request_head_sent_a_byte_at_a_time_is_cut_off(runtime):
    async with _serving(runtime, http_header_timeout=1.0) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /healthz HTTP/1.1\r\n")

        async def trickle() -> None:
            while True:  # a header that never ends, one byte at a time (slowloris)
                writer.write(b"X")
                await writer.drain()
                await asyncio.sleep(0.1)

        dripping = asyncio.create_task(trickle())
        try:
            assert await _closed_by_the_server(reader) == b""
        finally:
            dripping.cancel()
            writer.close()


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def records() -> AsyncIterator[_Records]:
    handler = _Records()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


async def _requests_done() -> None:
    """Until no request the server took is still being worked on."""
    async with asyncio.timeout(EVENT_LIMIT):
        while any(
            "RequestResponseCycle.run_asgi" in t.get_coro().__qualname__  # type: ignore[union-attr]
            for t in asyncio.all_tasks()
        ):
            await asyncio.sleep(0.02)


def _tracebacks(records: _Records) -> list[str]:
    return [r.getMessage() for r in records.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_post_dropped_half_way_leaves_no_traceback(runtime, records):
    async with _serving(runtime) as port:
        for _ in range(3):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc")
            await writer.drain()
            await asyncio.sleep(0)  # the head is read and the request begun
            writer.close()
            await writer.wait_closed()
        await _requests_done()
        url = f"http://127.0.0.1:{port}/body"  # and the server still answers
        async with aiohttp.ClientSession() as http, http.post(url, data=b"x" * 10) as response:
            assert await response.text() == "10 bytes"
    assert _tracebacks(records) == []


async def test_a_body_sent_a_byte_at_a_time_is_cut_off_without_a_traceback(runtime, records):
    async with _serving(runtime, http_body_timeout=1.0) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")

        async def trickle() -> None:
            while True:
                writer.write(b"a")
                await writer.drain()
                await asyncio.sleep(0.1)

        dripping = asyncio.create_task(trickle())
        try:
            await _closed_by_the_server(reader)
        finally:
            dripping.cancel()
            writer.close()
        await _requests_done()
    assert _tracebacks(records) == []


# --- review of issue 25's server: bodies held back, heads too large, upgrades, proxies ----


def _body_waiters(port: int) -> int:
    """How many of the server's connections on ``port`` have a head in and await a body."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    return sum(
        1
        for thing in gc.get_objects()
        if isinstance(thing, H11Protocol)
        and thing.transport is not None
        and not thing.transport.is_closing()
        and thing.conn.their_state is h11.SEND_BODY
        and thing.transport.get_extra_info("sockname")[1] == port
    )


async def _hold_bodies(port: int, addresses: list[str]) -> list[asyncio.StreamWriter]:
    """A form's POST head from each address, and no body: what slowbody.py does."""
    held = []
    for address in addresses:
        _reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0))
        writer.write(
            b"POST /body HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-"
            b"urlencoded\r\nContent-Length: 20000\r\n\r\ncsrf="
        )
        await writer.drain()
        held.append(writer)
    async with asyncio.timeout(EVENT_LIMIT):
        while _body_waiters(port) < len(held):
            await asyncio.sleep(0.02)
    return held


async def test_a_hundred_bodies_held_back_leave_citizens_the_webhook_and_healthz_served(runtime):
    attackers = [f"127.0.1.{1 + n % 50}" for n in range(100)]  # two from each of 50 addresses
    async with _serving(runtime) as port, _from("127.0.0.2") as citizen:
        held = await _hold_bodies(port, attackers)
        base = f"http://127.0.0.1:{port}"
        statuses = []
        for _ in range(5):
            for path in ("/address", "/healthz"):
                async with citizen.get(base + path) as response:
                    statuses.append(response.status)
            async with citizen.post(base + "/body", data=b"update") as response:
                statuses.append(response.status)
        for writer in held:
            writer.close()
    assert statuses == [200] * 15


async def test_one_address_cannot_hold_more_than_its_share_of_requests(runtime):
    async with _serving(runtime, http_max_requests=8) as port:  # two for each address
        held = await _hold_bodies(port, ["127.0.1.1"] * 2)
        base = f"http://127.0.0.1:{port}"
        async with _from("127.0.1.1") as same, same.get(base + "/address") as response:
            assert response.status == 503 and response.headers["Retry-After"].isdigit()
        async with _from("127.0.0.2") as other, other.get(base + "/address") as response:
            assert response.status == 200
        for writer in held:
            writer.close()


async def test_with_every_connection_awaiting_a_body_a_citizen_still_gets_in(runtime):
    attackers = [f"127.0.1.{1 + n // 2}" for n in range(16)]
    async with _serving(runtime, http_max_connections=16) as port:
        held = await _hold_bodies(port, attackers)
        url = f"http://127.0.0.1:{port}/address"
        async with _from("127.0.0.2") as citizen, citizen.get(url) as response:
            assert response.status == 200
        for writer in held:
            writer.close()


async def test_a_body_that_says_it_is_short_cannot_take_the_whole_body_timeout(runtime):
    async with _serving(runtime) as port:  # 30 s for a body; this one says 10 bytes
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
        started = time.monotonic()
        await _closed_by_the_server(reader)
        writer.close()
    assert time.monotonic() - started < 15, "closed after the grace, not after 30 s"


async def test_a_body_over_a_mebibyte_is_refused_before_it_is_read(runtime):
    async with _serving(runtime) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n")
        assert (await _closed_by_the_server(reader)).startswith(b"HTTP/1.1 413")
        writer.close()


async def _first_line(port: int, request: bytes) -> list[bytes]:
    """The status lines the server answers ``request`` (one write) with, until it closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    answer = await _closed_by_the_server(reader)
    writer.close()
    return re.findall(rb"HTTP/1\.1 \d{3} [^\r]*", answer)


async def test_a_head_over_16_kib_gets_431_however_it_arrives(runtime, records):
    pad = b"a" * 120_000
    big = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + pad + b"\r\n\r\n"
    small = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    async with _serving(runtime) as port:
        assert await _first_line(port, big) == [b"HTTP/1.1 431 Request Header Fields Too Large"]
        assert await _first_line(port, small + big) == [
            b"HTTP/1.1 200 OK",
            b"HTTP/1.1 431 Request Header Fields Too Large",
        ]
        fits = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 15_000 + b"\r\n"
        assert await _first_line(port, fits + b"Connection: close\r\n\r\n") == [b"HTTP/1.1 200 OK"]
    assert len([r for r in records.records if "431" in r.getMessage()]) == 1


async def test_requests_asking_to_upgrade_leave_one_log_line_a_minute(runtime, records):
    async with _serving(runtime) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for upgrade in (b"h2c", b"websocket") * 100:  # what upg.py sends, 4,000 a second
            writer.write(
                b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Upgrade\r\n"
                b"Upgrade: " + upgrade + b"\r\n\r\n"
            )
            assert (await reader.readuntil(b"ok")).startswith(b"HTTP/1.1 200")
        writer.close()
    lines = [r.getMessage() for r in records.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1, lines


async def test_forwarded_addresses_from_anyone_are_refused_on_an_address_others_reach(runtime):
    from bot.wiring.bootstrap import StartupError

    anyone = {"forwarded_allow_ips": ("*",)}
    with pytest.raises(StartupError, match="FORWARDED_ALLOW_IPS"):
        async with _serving(runtime, webhook_host="192.0.2.1", **anyone):
            pass  # a documentation address: nothing is ever bound to it
    async with _serving(runtime, **anyone) as port, aiohttp.ClientSession() as http:
        url = f"http://127.0.0.1:{port}/address"  # loopback: only this machine's proxy
        async with http.get(url, headers={"X-Forwarded-For": "203.0.113.9"}) as response:
            assert await response.text() == "203.0.113.9"


async def test_only_this_bots_secret_token_vouches_for_a_webhook_call(settings_env):
    from bot.channels.telegram.channel import secret_token
    from bot.entry.runner import _telegram_calls

    settings = Settings(_env_file=None, **{k.lower(): v for k, v in settings_env.items()})
    runtime = await build_runtime(settings)
    try:
        vouched = _telegram_calls(runtime)
        right = secret_token(settings, runtime.conversation.keyer, None).encode()
        header = b"x-telegram-bot-api-secret-token"
        assert vouched({"headers": [(header, right)]})
        assert not vouched({"headers": [(header, b"x" * len(right))]})
        assert not vouched({"headers": []})
    finally:
        await runtime.close()
