"""Answers per second, reply latency and CPU cost of the bot, against a bare echo bot.

    python bench/throughput.py                          # 1,000 citizens, SQLite
    python bench/throughput.py --database postgresql    # the same on a private PostgreSQL
    python bench/throughput.py --quick                  # 100 citizens, under a minute

N simulated citizens answer the whole questionnaire at once (13 updates each) through the
real bot process polling a fake Bot API on 127.0.0.1; a reply counts when the next question
arrives. The same load then goes to bench/echo_bot.py, which makes the same Bot API calls
with no questionnaire and no database: ``ratio`` is ours/echo. Both run without the rate
limiter, so the figures are the bots' own, not Telegram's 30 messages a second. Last, the
bot gets a steady 30 updates a second for a while and its CPU use is read from /proc.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import (
    BotProcess,
    Load,
    LoadApi,
    SimulatedCitizen,
    make_token,
    wait_for_polling,
)

OURS = [sys.executable, "-m", "bot.cli", "run"]
ECHO = [sys.executable, str(Path(__file__).with_name("echo_bot.py"))]


async def measure(
    api: LoadApi,
    command: list[str],
    env: dict[str, str],
    folder: Path,
    citizens: int,
    first_chat: int,
    echo: bool,
) -> Load:
    before = sum(call.method == "deleteWebhook" for call in api.calls)
    bot = BotProcess.start(command, env, folder)
    try:
        await wait_for_polling(api, bot, before)
        load = Load()
        people = [SimulatedCitizen(api, first_chat + n) for n in range(citizens)]
        cpu, started = bot.cpu_seconds(), time.perf_counter()
        await asyncio.gather(*(person.complete(api, load, echo) for person in people))
        load.wall = time.perf_counter() - started
        load.cpu = bot.cpu_seconds() - cpu
        return load
    finally:
        bot.stop()


async def paced(
    api: LoadApi, env: dict[str, str], folder: Path, rate: float, seconds: float, first_chat: int
) -> tuple[float, float]:
    """CPU share of one core, and updates per second achieved, at a steady ``rate``."""
    before = sum(call.method == "deleteWebhook" for call in api.calls)
    bot = BotProcess.start(OURS, env, folder)
    try:
        await wait_for_polling(api, bot, before)
        load = Load()
        crowd = int(rate * 2)
        deadline = time.perf_counter() + seconds

        async def keep_answering(person: SimulatedCitizen) -> None:
            while time.perf_counter() < deadline:
                await person.complete(api, load, echo=False, pause=crowd / rate)

        people = [SimulatedCitizen(api, first_chat + n) for n in range(crowd)]
        cpu, started = bot.cpu_seconds(), time.perf_counter()
        await asyncio.gather(*(keep_answering(person) for person in people))
        wall = time.perf_counter() - started
        return (bot.cpu_seconds() - cpu) / wall, load.updates / wall
    finally:
        bot.stop()


async def run(args: argparse.Namespace) -> None:
    token = make_token()
    api = LoadApi(token)
    base_url = await api.start()
    server = None
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        if args.database == "postgresql":
            from tests.support.postgres import PostgresServer, binaries

            server = PostgresServer(binaries()).init()  # type: ignore[arg-type]
            server.start()
        try:

            def env(name: str) -> dict[str, str]:
                url = (
                    server.create_database(name)
                    if server
                    else f"sqlite+aiosqlite:///{folder / (name + '.db')}"
                )
                return {
                    "TELEGRAM_BOT_TOKEN": token,
                    "TELEGRAM_BASE_URL": base_url,
                    "DATABASE_URL": url,
                    "FEEDBACK_SECRET": secrets.token_hex(32),
                    "SCHEDULED_JOBS": "false",
                    "MAX_RESPONSES_PER_DAY": "100000",
                    "TELEGRAM_RATE_LIMIT": "false",
                }

            ours = await measure(api, OURS, env("ours"), folder, args.citizens, 10**6, False)
            echo = await measure(api, ECHO, env("echo"), folder, args.citizens, 2 * 10**6, True)
            share, achieved = await paced(api, env("paced"), folder, 30.0, args.paced, 3 * 10**6)
        finally:
            if server is not None:
                server.stop()
                server.remove()
    await api.stop()
    report(args, ours, echo, share, achieved)


def report(args: argparse.Namespace, ours: Load, echo: Load, share: float, achieved: float):
    cores = len(__import__("os").sched_getaffinity(0))
    print(f"{args.citizens} citizens × 13 updates, {args.database}, {cores} cores")
    print(f"{'':8} {'updates/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'CPU s/1k':>9}")
    for name, load in (("ours", ours), ("echo", echo)):
        cpu_per_k = load.cpu / load.updates * 1000
        print(
            f"{name:8} {load.per_second:10.1f} {load.percentile(0.5):8.1f} "
            f"{load.percentile(0.99):8.1f} {cpu_per_k:9.2f}"
        )
    print(
        f"steady load: {achieved:.1f} updates/s for {args.paced:.0f} s "
        f"-> {share * 100:.1f}% of one core"
    )
    print(f"ratio={ours.per_second / echo.per_second:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 citizens, 10 s steady load")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--citizens", type=int, default=None)
    args = parser.parse_args()
    args.citizens = args.citizens or (100 if args.quick else 1000)
    args.paced = 10.0 if args.quick else 30.0
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
