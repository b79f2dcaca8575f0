"""One process serving 64 municipalities: throughput, memory, and the scheduler's reports.

    python bench/municipalities.py            # 64 municipalities, 1,000 citizens
    python bench/municipalities.py --quick    # 64 municipalities, 200 citizens

1. The bot process (``feedback-bot run``) with one municipality: N simulated citizens answer
   the whole questionnaire at once through a fake Bot API (as bench/throughput.py).
2. The same process with 64 municipalities (64 bots polling one fake Bot API address, each
   municipality a YAML file, tokens in a secrets file): the same N citizens spread over the
   64 bots. ``ratio`` = 64 municipalities / one; its peak memory (VmHWM).
3. In this process, the scheduler's tick on the first day of a quarter: each of the 64
   municipalities gets its quarterly report (internal and public: Word, HTML, Excel) from
   its own responses; two schedulers tick at once on one database and each report is made
   exactly once. Prints the time and how many were made.

Figures only; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import BotProcess, Load, LoadApi, SimulatedCitizen, make_token
from tests.support.fake_bot_api import FakeBotApis

OURS = [sys.executable, "-m", "bot.entry.cli", "run"]
MUNICIPALITIES = 64


def write_municipalities(folder: Path, tokens: list[str]) -> dict[str, str]:
    """``m01.yaml`` … (the home municipality is the environment's, with the first token)."""
    places = folder / "municipalities"
    places.mkdir(exist_ok=True)
    lines = []
    for n, token in enumerate(tokens[1:], start=1):
        code = f"m{n:02d}"
        (places / f"{code}.yaml").write_text(
            f"name: {{ka: მუნიციპალიტეტი {n}}}\n"
            f"quarter_start_month: {(1, 4, 7, 10)[n % 4]}\n"
            f"telegram: {{token_env: TOKEN_{code.upper()}}}\n"
            f"staff: {{analysts: [{900000 + n}], chats: [{-1000000 - n}]}}\n",
            encoding="utf-8",
        )
        lines.append(f"TOKEN_{code.upper()}={token}")
    secrets_file = folder / "secrets.env"
    secrets_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"MUNICIPALITIES_DIR": str(places), "SECRETS_FILE": str(secrets_file)}


async def wait_for_all(apis: list[LoadApi], bot: BotProcess) -> None:
    for _ in range(6000):
        if all(any(c.method == "deleteWebhook" for c in api.calls) for api in apis):
            await asyncio.sleep(0.5)
            return
        if bot.process.poll() is not None:
            raise RuntimeError(bot.process.stderr.read().decode() if bot.process.stderr else "")
        await asyncio.sleep(0.05)
    raise TimeoutError("not every bot started polling")


async def serve_citizens(
    apis: list[LoadApi], env: dict[str, str], folder: Path, citizens: int, first: int
) -> tuple[Load, float]:
    bot = BotProcess.start(OURS, env, folder)
    try:
        await wait_for_all(apis, bot)
        load = Load()
        people = [
            (apis[n % len(apis)], SimulatedCitizen(apis[n % len(apis)], first + n))
            for n in range(citizens)
        ]
        started = time.perf_counter()
        try:
            await asyncio.gather(*(person.complete(api, load, False) for api, person in people))
        except TimeoutError:
            bot.stop()
            told = bot.process.stderr.read().decode() if bot.process.stderr else ""
            print(f"a reply never came after {load.updates} updates; the bot said:")
            print("\n".join(told.splitlines()[-30:]))
            raise
        load.wall = time.perf_counter() - started
        return load, peak_mb(bot)
    finally:
        if bot.process.poll() is None:
            bot.stop()


def peak_mb(bot: BotProcess) -> float:
    for line in Path(f"/proc/{bot.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Recorder:
    """A staff outbox that only counts what it was given (the reports' files)."""

    channel = "telegram"

    def __init__(self) -> None:
        self.files: Counter[str] = Counter()

    async def post(self, chat, texts=(), files=(), html=False, subject=None):  # type: ignore[no-untyped-def]
        from bot.channels.port import Delivery

        for path in files:
            self.files[path.name] += 1
        return Delivery.SENT


async def quarterly_reports(env: dict[str, str]) -> tuple[float, int, int, float]:
    """Both schedulers' ticks at once; (seconds, reports claimed, runs left over, MB)."""
    from sqlalchemy import text

    from bot.config.settings import Settings
    from bot.entry.jobs import Jobs
    from bot.entry.runner import _tick_all
    from bot.wiring.bootstrap import build_runtime
    from tests.support import seed_000

    moment = datetime(2025, 10, 1, 5, 5, tzinfo=UTC)  # 09:05 in Tbilisi, a quarter's first day
    values = {k.lower(): v for k, v in env.items()} | {"scheduled_jobs": "true"}
    settings = Settings(_env_file=None, **values)
    runtimes = [await build_runtime(settings, clock=lambda: moment) for _ in range(2)]
    answers = seed_000.answers()
    first = runtimes[0]
    for n, place in enumerate(first.everywhere):
        quarter = place.settings.quarters.last_complete(moment.date())
        async with first.database.transaction(place.code) as tx:
            for k in range(15):
                day = date.fromordinal(quarter.start.toordinal() + (k * 5) % 80)
                await tx.responses.add("social_services_v1", "telegram", answers[(n + k) % 96], day)
            await tx.commit()
    every = [[Jobs(place, Recorder(), []) for place in runtime.everywhere] for runtime in runtimes]
    started = time.perf_counter()
    await asyncio.gather(
        *(_tick_all(runtime, jobs) for runtime, jobs in zip(runtimes, every, strict=True))
    )
    seconds = time.perf_counter() - started
    async with first.database.engine.connect() as connection:
        made = await connection.scalar(text("SELECT count(*) FROM job_runs WHERE kind='report'"))
    again = 0
    for jobs in every[0]:
        again += len([run for run in await jobs.tick() if run.startswith("report")])
    for runtime in runtimes:
        await runtime.close()
    rss = int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0]) / 1024
    return seconds, int(made or 0), again, rss


async def run(args: argparse.Namespace) -> None:
    tokens = [make_token() for _ in range(MUNICIPALITIES)]
    apis = [LoadApi(token) for token in tokens]
    server = FakeBotApis(*apis)
    base_url = await server.start()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)

        def env(name: str) -> dict[str, str]:
            return {
                "TELEGRAM_BOT_TOKEN": tokens[0],
                "TELEGRAM_BASE_URL": base_url,
                "DATABASE_URL": f"sqlite+aiosqlite:///{folder / (name + '.db')}",
                "FEEDBACK_SECRET": secrets.token_hex(32),
                "SCHEDULED_JOBS": "false",
                "MAX_RESPONSES_PER_DAY": "100000",
                "TELEGRAM_RATE_LIMIT": "false",
                "WEB_ENABLED": "false",
                "BALLOT_BOX_SIZE": "5",
            }

        one, one_mb = await serve_citizens(apis[:1], env("one"), folder, args.citizens, 10**6)
        print(f"1 municipality: {one.per_second:.1f} updates/s, peak {one_mb:.0f} MB", flush=True)
        many_env = env("many") | write_municipalities(folder, tokens)
        many, many_mb = await serve_citizens(apis, many_env, folder, args.citizens, 2 * 10**6)
        print(f"64: {many.per_second:.1f} updates/s, peak {many_mb:.0f} MB", flush=True)
        reports_env = env("reports") | write_municipalities(folder, tokens)
        reports = await quarterly_reports(reports_env | {"QUARTER_START_MONTH": "7"})
    await server.stop()
    cores = len(os.sched_getaffinity(0))
    print(f"{args.citizens} citizens × 13 updates, SQLite, {cores} cores")
    print(f"{'':18} {'updates/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'peak MB':>8}")
    for name, load, mb in (("1 municipality", one, one_mb), ("64 municipalities", many, many_mb)):
        print(
            f"{name:18} {load.per_second:10.1f} {load.percentile(0.5):8.1f} "
            f"{load.percentile(0.99):8.1f} {mb:8.0f}"
        )
    print(f"ratio={many.per_second / one.per_second:.2f}")
    seconds, made, again, rss = reports
    print(
        f"quarterly reports by the scheduler (two at once, one database): {made} of "
        f"{MUNICIPALITIES} in {seconds:.0f} s; made again on a second tick: {again}; "
        f"peak {rss:.0f} MB in this process"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 citizens")
    parser.add_argument("--citizens", type=int, default=None)
    args = parser.parse_args()
    args.citizens = args.citizens or (200 if args.quick else 1000)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
