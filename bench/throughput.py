"""Answers per second, reply latency and CPU per update of the bot, against bare echo bots.

    python bench/throughput.py --quick                        # 100 citizens, both modes, SQLite
    python bench/throughput.py --database both --repeat 5     # SQLite and a private PostgreSQL
    python bench/throughput.py --mode webhook                 # updates over HTTP only

N simulated citizens answer the whole questionnaire at once (13 updates each) through the
real bot process against a fake Bot API on 127.0.0.1; a reply counts when the next question
arrives. The same load goes to bench/echo_bot.py, twice:

- **echo** (the fair comparison): for each update it makes the calls our bot made for that
  update, with the same texts and keyboards (a script recorded from our bot first), and
  nothing else: no questionnaire, no database. ``fair ratio`` = ours / echo.
- **echo-old** (the comparison before issue 16): one short answer with one button.

Each repetition runs the three back to back, in a rotating order, so a ratio compares runs
made under the same load of this shared machine; the spread over repetitions is printed
beside each median, with the load average. Polling and webhook mode each; no rate limiter,
so the figures are the bots' own. Last, ours and echo get a steady 30 updates a second and
their CPU share is read from /proc (the citizens start one after the other, 1/30 s
apart, so the updates come as a steady stream, not in bursts of the whole crowd).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import secrets
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import (
    BotProcess,
    Load,
    LoadApi,
    SimulatedCitizen,
    make_token,
    readiness,
    wait_for_polling,
)

OURS = [sys.executable, "-m", "bot.entry.cli", "run"]
ECHO = [sys.executable, str(Path(__file__).with_name("echo_bot.py"))]
BOTS = ("ours", "echo", "echo-old")
SCRIPTED = {"answerCallbackQuery", "editMessageText", "editMessageReplyMarkup", "sendMessage"}
RATE = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Bench:
    def __init__(self, args: argparse.Namespace, api: LoadApi, base_url: str, folder: Path):
        self.args, self.api, self.base_url, self.folder = args, api, base_url, folder
        self.token = api.token
        self.server: Any = None
        self.script = folder / "script.json"
        self.next_chat = 10**6

    def chats(self, count: int) -> int:
        first, self.next_chat = self.next_chat, self.next_chat + count
        return first

    def database_url(self) -> str:
        name = f"b{secrets.token_hex(4)}"
        if self.server is not None:
            return self.server.create_database(name)
        return f"sqlite+aiosqlite:///{self.folder / (name + '.db')}"

    def command(self, bot: str, webhook: bool) -> tuple[list[str], dict[str, str], str | None]:
        env = {"TELEGRAM_BOT_TOKEN": self.token, "TELEGRAM_BASE_URL": self.base_url}
        port = free_port() if webhook else None
        url = f"http://127.0.0.1:{port}/telegram/webhook" if port else None
        if bot == "ours":
            env |= {
                "DATABASE_URL": self.database_url(),
                "FEEDBACK_SECRET": secrets.token_hex(32),
                "SCHEDULED_JOBS": "false",
                "MAX_RESPONSES_PER_DAY": "100000",
                "TELEGRAM_RATE_LIMIT": "false",
                "WEB_ENABLED": "false",
            }
            if port:
                env |= {"TELEGRAM_WEBHOOK_URL": url or "", "WEBHOOK_PORT": str(port)}
            return [*OURS, *(["--webhook"] if webhook else [])], env, url
        if bot == "echo":
            env["ECHO_SCRIPT"] = str(self.script)
        if port:
            env["WEBHOOK_PORT"] = str(port)
        return ECHO, env, url

    async def started(self, bot: str, webhook: bool) -> BotProcess:
        command, env, url = self.command(bot, webhook)
        before = readiness(self.api, webhook)
        process = BotProcess.start(command, env, self.folder)
        await wait_for_polling(self.api, process, before, webhook)
        self.api.webhook_targets = [url] if url else []
        await settled(process)
        return process

    async def measure(self, bot: str, webhook: bool) -> Load:
        process = await self.started(bot, webhook)
        try:
            load, first = Load(), self.chats(self.args.citizens)
            people = [SimulatedCitizen(self.api, first + n) for n in range(self.args.citizens)]
            cpu, began = process.cpu_seconds(), time.perf_counter()
            old = bot == "echo-old"
            await asyncio.gather(*(person.complete(self.api, load, old) for person in people))
            load.wall = time.perf_counter() - began
            load.cpu = process.cpu_seconds() - cpu
            return load
        except BaseException:
            print(f"{bot} failed; the end of its log:\n{process.log()[-3000:]}", file=sys.stderr)
            raise
        finally:
            process.stop()
            self.api.webhook_targets = []
            self.api.calls.clear()
            self.api.messages.clear()

    async def paced(self, bot: str, webhook: bool) -> tuple[float, float]:
        """CPU share of one core, and updates per second achieved, at a steady ``RATE``."""
        process = await self.started(bot, webhook)
        try:
            load, crowd = Load(), int(RATE * 2)
            deadline = time.perf_counter() + self.args.paced
            first = self.chats(crowd * 50)

            async def keep_answering(number: int) -> None:
                await asyncio.sleep(number / RATE)  # a steady stream, not a crowd at once
                round_ = 0
                while time.perf_counter() < deadline:
                    person = SimulatedCitizen(self.api, first + number + crowd * round_)
                    await person.complete(self.api, load, False, pause=crowd / RATE)
                    round_ += 1

            cpu, began = process.cpu_seconds(), time.perf_counter()
            await asyncio.gather(*(keep_answering(n) for n in range(crowd)))
            wall = time.perf_counter() - began
            return (process.cpu_seconds() - cpu) / wall, load.updates / wall
        finally:
            process.stop()
            self.api.webhook_targets = []
            self.api.calls.clear()
            self.api.messages.clear()

    async def record_script(self) -> None:
        """What our bot sends for each update of one questionnaire, for the fair echo."""
        process = await self.started("ours", webhook=False)
        try:
            citizen, load = SimulatedCitizen(self.api, self.chats(1)), Load()
            marks: list[int] = []
            original = citizen.exchange

            async def marked(api: LoadApi, update: dict[str, Any], load: Load) -> None:
                marks.append(len(api.calls))
                await original(api, update, load)

            citizen.exchange = marked  # type: ignore[method-assign]
            await citizen.complete(self.api, load, False)
            await asyncio.sleep(0.5)
            marks.append(len(self.api.calls))
            steps = [
                [
                    {k: v for k, v in c.params.items() if k in ("text", "reply_markup")}
                    | {"method": c.method}
                    for c in self.api.calls[start:end]
                    if c.method in SCRIPTED
                ]
                for start, end in itertools.pairwise(marks)
            ]
        finally:
            process.stop()
            self.api.calls.clear()
            self.api.messages.clear()
        self.script.write_text(json.dumps(steps, ensure_ascii=False), encoding="utf-8")
        calls = sum(len(step) for step in steps)
        print(f"script recorded from our bot: {len(steps)} updates, {calls} Bot API calls")


async def settled(process: BotProcess, limit: float = 5.0) -> None:
    """Until the bot is idle (its start-up work, such as the first upkeep, is not counted)."""
    deadline, last = time.monotonic() + limit, process.cpu_seconds()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        now = process.cpu_seconds()
        if now - last < 0.02:
            return
        last = now


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def spread(values: list[float], form: str = "{:.2f}") -> str:
    if len(values) == 1:
        return form.format(values[0])
    median = form.format(statistics.median(values))
    return f"{median} [{form.format(min(values))}–{form.format(max(values))}]"


async def block(bench: Bench, database: str, webhook: bool) -> None:
    mode = "webhook" if webhook else "polling"
    args = bench.args
    print(f"\n== {database}, {mode}: {args.citizens} citizens × 13 updates, load {load_average()}")
    runs: dict[str, list[Load]] = {bot: [] for bot in BOTS}
    for repetition in range(args.repeat):
        order = BOTS[repetition % 3 :] + BOTS[: repetition % 3]
        for bot in order:
            runs[bot].append(await bench.measure(bot, webhook))
    print(f"{'':9} {'updates/s':>22} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/update':>22}")
    for bot in BOTS:
        loads = runs[bot]
        rates = [load.per_second for load in loads]
        cpu = [load.cpu / load.updates * 1000 for load in loads]
        p50 = statistics.median(load.percentile(0.5) for load in loads)
        p99 = statistics.median(load.percentile(0.99) for load in loads)
        print(f"{bot:9} {spread(rates, '{:.1f}'):>22} {p50:8.1f} {p99:8.1f} {spread(cpu):>22}")

    def ratios(of: Callable[[Load], float], other: str) -> list[float]:
        return [of(a) / of(b) for a, b in zip(runs["ours"], runs[other], strict=True)]

    def cpu_ms(load: Load) -> float:
        return load.cpu / load.updates * 1000

    extra = [cpu_ms(a) - cpu_ms(b) for a, b in zip(runs["ours"], runs["echo"], strict=True)]
    print(f"fair ratio ours/echo      = {spread(ratios(lambda x: x.per_second, 'echo'))}")
    print(f"old ratio ours/echo-old   = {spread(ratios(lambda x: x.per_second, 'echo-old'))}")
    print(f"CPU per update, ours−echo = {spread(extra)} ms")
    if args.paced:
        ours_share, ours_rate = await bench.paced("ours", webhook)
        echo_share, echo_rate = await bench.paced("echo", webhook)
        print(
            f"steady {RATE:.0f}/s for {args.paced:.0f} s: ours {ours_share * 100:.1f}% of one "
            f"core ({ours_rate:.1f}/s), echo {echo_share * 100:.1f}% ({echo_rate:.1f}/s): "
            f"×{ours_share / echo_share:.2f}"
        )
    print(f"load average after: {load_average()}")


async def run(args: argparse.Namespace) -> None:
    token = make_token()
    api = LoadApi(token)
    base_url = await api.start()
    cores = len(os.sched_getaffinity(0))
    print(f"{cores} cores; load average at start {load_average()}")
    try:
        with tempfile.TemporaryDirectory() as temporary:
            bench = Bench(args, api, base_url, Path(temporary))
            await bench.record_script()
            databases = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
            modes = {"polling": (False,), "webhook": (True,), "both": (False, True)}[args.mode]
            for database in databases:
                if database == "postgresql":
                    from tests.support.postgres import PostgresServer, binaries

                    bench.server = PostgresServer(binaries()).init()  # type: ignore[arg-type]
                    bench.server.start()
                try:
                    for webhook in modes:
                        await block(bench, database, webhook)
                finally:
                    if bench.server is not None:
                        bench.server.stop()
                        bench.server.remove()
                        bench.server = None
    finally:
        await api.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 citizens, 10 s steady load")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--mode", choices=["polling", "webhook", "both"], default="both")
    parser.add_argument("--citizens", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each bot (default 3)")
    parser.add_argument("--paced", type=float, default=None, help="seconds of steady load")
    args = parser.parse_args()
    args.citizens = args.citizens or (100 if args.quick else 1000)
    args.paced = args.paced if args.paced is not None else (10.0 if args.quick else 30.0)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
