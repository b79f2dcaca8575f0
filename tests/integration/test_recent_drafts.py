"""PostgreSQL: the draft a process keeps after saving it (``storage.turns.recent_drafts``) spares
the next answer its read, costs no more than a read when another process changed the draft,
and a connection the server closed meanwhile is replaced, not used."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.config.settings import Settings
from bot.dialogue.events import Incoming, Sender, Start, Text
from bot.wiring.bootstrap import Runtime, build_runtime
from tests.integration.test_server_turns import logged
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.postgresql
USER = "4343"


def said(update_key: str, event: object) -> Incoming:
    return Incoming(Sender("telegram", USER, update_key=update_key), event)  # type: ignore[arg-type]


@pytest.fixture
async def two_logged_processes(
    settings_env: dict[str, str], postgres_server: PostgresServer, clock
) -> AsyncIterator[list[Runtime]]:
    name = make_url(settings_env["DATABASE_URL"]).database
    postgres_server._psql(f"ALTER DATABASE \"{name}\" SET log_statement = 'all'")
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in settings_env.items()})
    runtimes = [await build_runtime(settings, clock=clock) for _ in range(2)]
    yield runtimes
    for runtime in runtimes:
        await runtime.close()


async def test_answers_alternating_between_two_processes_never_cost_more_than_before(
    two_logged_processes: list[Runtime], postgres_server: PostgresServer
) -> None:
    """Behind a round-robin balancer a person's answers go to each process in turn. The
    draft a process kept is then out of date; its refused write says what it found, and
    the answer is written from that: two statements, no read, the right next question."""
    mine, other = two_logged_processes
    log = Path(postgres_server.root) / "log"
    await mine.router.handle(said("u1", Start()))
    await mine.router.handle(said("u2", Text("1")))
    await other.router.handle(said("u3", Text("1")))
    outcome, statements = await logged(log, mine.router.handle(said("u4", Text("1"))))
    assert "კითხვა 4 / 10" in outcome.replies[-1].text, "worked out from the other's answer"
    assert len(statements) == 2 and all("WITH saved AS" in s for s in statements), statements
    outcome, statements = await logged(log, mine.router.handle(said("u5", Text("1"))))
    assert "კითხვა 5 / 10" in outcome.replies[-1].text
    assert len(statements) == 1, statements


async def test_connections_the_server_closed_are_replaced_for_the_box_and_the_next_answer(
    two_logged_processes: list[Runtime], settings_env: dict[str, str], clock
) -> None:
    """The server restarted while the bot was quiet: its kept connections are dead. The
    ballot box's check and an answer that needs no read each go on a new one."""
    mine, _ = two_logged_processes
    await mine.router.handle(said("u1", Start()))
    await mine.router.handle(said("u2", Text("1")))
    await server_restarted(mine, settings_env["DATABASE_URL"])
    outcome = await mine.router.handle(said("u3", Text("1")))
    assert "კითხვა 3 / 10" in outcome.replies[-1].text
    await server_restarted(mine, settings_env["DATABASE_URL"])
    assert (await mine.database.empty_box_if_due(clock().date(), batch=5)).forms == 0


async def server_restarted(runtime: Runtime, url: str) -> None:
    """Every connection the process keeps is ended by the server, and the process knows."""
    kept = list(runtime.database._turns._idle)  # type: ignore[union-attr]
    raw = [(await c.get_raw_connection()).driver_connection for c in kept]
    await terminate_every_other_connection(url)
    while not all(connection.is_closed() for connection in raw):
        await asyncio.sleep(0.01)


async def terminate_every_other_connection(url: str) -> None:
    server = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await server.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await server.close()
