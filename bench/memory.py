"""Resident memory of the bot process: idle, and after N completed questionnaires.

    python bench/memory.py            # 10,000 questionnaires (about 130,000 updates)
    python bench/memory.py --quick    # 300 questionnaires, under a minute

The bot runs as `feedback-bot run` against a fake Bot API on 127.0.0.1; its RSS is read
from /proc. It also checks that the reporting libraries (pandas, matplotlib, docx, openpyxl)
are not loaded until a report is made.
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

from bench.load import BotProcess, Load, LoadApi, SimulatedCitizen, make_token, wait_for_polling

OURS = [sys.executable, "-m", "bot.entry.cli", "run"]
REPORTING = ("pandas", "matplotlib", "docx", "openpyxl")
BATCH = 200
"""Citizens answering at the same time."""


def loaded_libraries(bot: BotProcess) -> list[str]:
    maps = Path(f"/proc/{bot.process.pid}/maps").read_text()
    return [name for name in REPORTING if f"/{name}/" in maps]


async def run(questionnaires: int) -> None:
    token = make_token()
    api = LoadApi(token)
    base_url = await api.start()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_BASE_URL": base_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{Path(folder) / 'memory.db'}",
            "FEEDBACK_SECRET": secrets.token_hex(32),
            "SCHEDULED_JOBS": "false",
            "MAX_RESPONSES_PER_DAY": "100000",
            "TELEGRAM_RATE_LIMIT": "false",
        }
        bot = BotProcess.start(OURS, env, Path(folder))
        try:
            await wait_for_polling(api, bot, 0)
            await asyncio.sleep(2)
            idle = bot.rss_mb()
            idle_libraries = loaded_libraries(bot)
            load, started, done = Load(), time.perf_counter(), 0
            while done < questionnaires:
                size = min(BATCH, questionnaires - done)
                people = [SimulatedCitizen(api, 10**7 + done + n) for n in range(size)]
                await asyncio.gather(*(person.complete(api, load, echo=False) for person in people))
                done += size
                print(f"  {done:6d} questionnaires, RSS {bot.rss_mb():6.1f} MB", flush=True)
                api.calls.clear()
                api.messages.clear()
            after = bot.rss_mb()
            wall = time.perf_counter() - started
        finally:
            bot.stop()
    await api.stop()
    print(f"idle: {idle:.1f} MB RSS (reporting libraries loaded: {idle_libraries or 'none'})")
    print(
        f"after {questionnaires} questionnaires ({load.updates} updates in {wall:.0f} s): "
        f"{after:.1f} MB RSS, +{after - idle:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 questionnaires")
    parser.add_argument("--questionnaires", type=int, default=None)
    args = parser.parse_args()
    asyncio.run(run(args.questionnaires or (300 if args.quick else 10_000)))


if __name__ == "__main__":
    main()
