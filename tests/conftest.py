"""Shared fixtures: a fake Bot API on 127.0.0.1 and the real bot running against it."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.config.settings import Settings
from bot.entry.runner import serve
from bot.wiring.bootstrap import Runtime, build_runtime
from tests.support import postgres
from tests.support.fake_bot_api import FakeBotApi
from tests.support.fake_graph_api import FakeGraphApi
from tests.support.messenger_citizen import MessengerCitizen, Webhook
from tests.support.postgres import PostgresServer

os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


def make_token() -> str:
    return f"{secrets.randbelow(10**9)}:{secrets.token_urlsafe(26)}"


class Clock:
    """A clock tests can move; starts at the real time."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "feedback.db"


DATABASE_KINDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_databases`` run on SQLite and on PostgreSQL; others on SQLite."""
    if "database_kind" in metafunc.fixturenames:
        marked = metafunc.definition.get_closest_marker
        kinds = DATABASE_KINDS if marked("both_databases") else DATABASE_KINDS[:1]
        metafunc.parametrize("database_kind", DATABASE_KINDS[1:] if marked("postgresql") else kinds)


@pytest.fixture
def database_url(
    database_kind: str, database_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A fresh, empty database of the kind under test."""
    if database_kind == "sqlite":
        yield f"sqlite+aiosqlite:///{database_path}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"t_{secrets.token_hex(6)}"
    yield server.create_database(name)
    server.drop_database(name)


@pytest.fixture
def settings_env(database_url: str) -> dict[str, str]:
    """The environment a bot process under test gets (tests add the Bot API address)."""
    return {
        "TELEGRAM_BOT_TOKEN": make_token(),
        "DATABASE_URL": database_url,
        "FEEDBACK_SECRET": secrets.token_hex(32),
        "MAX_RESPONSES_PER_DAY": "3",
        "SCHEDULED_JOBS": "false",
        # A results page waits for its figures as before; tests of the short "come back in
        # a minute" page set their own.
        "RESULTS_WAIT_SECONDS": "600",
        # Each form is mixed as soon as it arrives, so tests can read it back at once;
        # tests of the ballot box itself set their own size.
        "BALLOT_BOX_SIZE": "1",
        # The web questionnaire has tests of its own (``web_env``); elsewhere it would take
        # the default port 8080.
        "WEB_ENABLED": "false",
    }


@pytest.fixture
async def fake_api(settings_env: dict[str, str]) -> AsyncIterator[FakeBotApi]:
    api = FakeBotApi(settings_env["TELEGRAM_BOT_TOKEN"])
    settings_env["TELEGRAM_BASE_URL"] = await api.start()
    yield api
    await api.stop()


@dataclass
class RunningBot:
    api: FakeBotApi
    runtime: Runtime
    settings: Settings


@pytest.fixture
async def running_bot(
    fake_api: FakeBotApi, settings_env: dict[str, str], clock: Clock
) -> AsyncIterator[RunningBot]:
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in settings_env.items()})
    runtime = await build_runtime(settings, clock=clock)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(runtime, stop))
    await wait_for_polling(fake_api, serving)
    yield RunningBot(fake_api, runtime, settings)
    stop.set()
    await serving
    await runtime.close()


async def wait_for_polling(api: FakeBotApi, serving: asyncio.Task[None] | None = None) -> None:
    """Until the bot asked to poll (updates pushed from then on wait in the queue)."""
    deadline = asyncio.get_running_loop().time() + 120
    while asyncio.get_running_loop().time() < deadline:
        if any(call.method == "deleteWebhook" for call in api.calls):
            return
        if serving is not None and serving.done():
            serving.result()
        await asyncio.sleep(0.02)
    raise TimeoutError("the bot did not start polling")


@dataclass
class MessengerBot:
    graph: FakeGraphApi
    webhook: Webhook
    runtime: Runtime
    settings: Settings

    def citizen(self, psid: str) -> MessengerCitizen:
        return MessengerCitizen(self.graph, self.webhook, psid)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def messenger_env(settings_env: dict[str, str]) -> dict[str, str]:
    """Messenger only: no Telegram token at all, as a municipality may run it."""
    env = {key: value for key, value in settings_env.items() if key != "TELEGRAM_BOT_TOKEN"}
    env |= {
        "MESSENGER_PAGE_TOKEN": "EAAG" + secrets.token_urlsafe(40),
        "MESSENGER_APP_SECRET": secrets.token_hex(16),
        "MESSENGER_VERIFY_TOKEN": secrets.token_urlsafe(12),
        "WEBHOOK_PORT": str(free_port()),
        # The tests that drive the questionnaire in the chat; the default (the web page
        # opened from Messenger) has tests of its own.
        "MESSENGER_MODE": "chat",
    }
    return env


@pytest.fixture
async def messenger_bot(
    messenger_env: dict[str, str], clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[MessengerBot]:
    graph = FakeGraphApi(messenger_env["MESSENGER_PAGE_TOKEN"])
    _count_handled_calls(graph, monkeypatch)
    messenger_env["MESSENGER_GRAPH_URL"] = await graph.start()
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in messenger_env.items()})
    runtime = await build_runtime(settings, clock=clock)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(runtime, stop))
    url = f"http://127.0.0.1:{settings.webhook_port}/messenger/webhook"
    async with aiohttp.ClientSession() as http:
        async with asyncio.timeout(120):  # a start that never sets the page's profile fails
            while not graph.profiles:
                if serving.done():
                    serving.result()
                await asyncio.sleep(0.02)
        yield MessengerBot(
            graph, Webhook(url, messenger_env["MESSENGER_APP_SECRET"], http), runtime, settings
        )
    stop.set()
    await serving
    await runtime.close()
    await graph.stop()


def _count_handled_calls(graph: FakeGraphApi, monkeypatch: pytest.MonkeyPatch) -> None:
    """A spy on the webhook (one for every page): tests wait until each call was handled,
    not for quiet."""
    from bot.channels.messenger.pages import Pages

    receive = Pages.receive

    async def counted(self: Pages, payload: dict[str, Any]) -> None:
        try:
            await receive(self, payload)
        finally:
            graph.handled += 1
            for psid in _senders(payload):
                graph.handled_for[psid] += 1

    monkeypatch.setattr(Pages, "receive", counted)
    graph.spied = True


def _senders(payload: dict[str, Any]) -> set[str]:
    """The people a webhook call carries messages from (a malformed call: none)."""
    found = set()
    for entry in payload.get("entry") or ():
        for item in (entry.get("messaging") or ()) if isinstance(entry, dict) else ():
            sender = item.get("sender") if isinstance(item, dict) else None
            if isinstance(sender, dict) and "id" in sender:
                found.add(str(sender["id"]))
    return found


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One private PostgreSQL server for the whole run; missing binaries skip the
    PostgreSQL variants, unless ``REQUIRE_POSTGRES=1`` (as in CI) makes that a failure."""
    bin_dir = postgres.binaries()
    if bin_dir is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required (REQUIRE_POSTGRES=1) but not installed")
        pytest.skip("PostgreSQL is not installed")
    server = PostgresServer(bin_dir).init()
    server.start()
    yield server
    server.stop()
    server.remove()


@pytest.fixture
async def running_runtime_for() -> AsyncIterator[Callable[[dict[str, str]], Awaitable[Runtime]]]:
    """A runtime on the same database as a bot process, for looking at what it stored."""
    opened: list[Runtime] = []

    async def open_for(env: dict[str, str]) -> Runtime:
        settings = Settings(_env_file=None, **{k.lower(): v for k, v in env.items()})
        runtime = await build_runtime(settings)
        opened.append(runtime)
        return runtime

    yield open_for
    for runtime in opened:
        await runtime.close()


@dataclass
class WebBot:
    url: str
    runtime: Runtime
    settings: Settings


@pytest.fixture
def web_env(settings_env: dict[str, str]) -> dict[str, str]:
    """Nothing but the web questionnaire, as a newcomer runs it: no token at all."""
    env = {key: value for key, value in settings_env.items() if key != "TELEGRAM_BOT_TOKEN"}
    env |= {"WEB_ENABLED": "true", "WEBHOOK_PORT": str(free_port())}
    return env


@pytest.fixture
async def web_bot(web_env: dict[str, str], clock: Clock) -> AsyncIterator[WebBot]:
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in web_env.items()})
    runtime = await build_runtime(settings, clock=clock)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(runtime, stop))
    url = f"http://127.0.0.1:{settings.webhook_port}/"
    async with aiohttp.ClientSession() as http:
        for _ in range(500):
            if serving.done():
                serving.result()
            try:
                async with http.get(url + "healthz") as response:
                    if response.status == 200:
                        break
            except aiohttp.ClientError:
                await asyncio.sleep(0.02)
    yield WebBot(url, runtime, settings)
    stop.set()
    await serving
    await runtime.close()
