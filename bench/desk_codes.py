"""What one desk slip's claim costs as slips pile up (SQLite, a fresh file).

    python bench/desk_codes.py

Prints, after printing 1,000, 10,000 and 30,000 codes of one service, the time of printing
the batch and of claiming one code (the claim rewrites the code's bucket, not the service).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config.settings import Settings
from bot.questionnaire import slip_codes
from bot.wiring.bootstrap import build_runtime


async def main() -> None:
    os.environ.pop("TELEGRAM_BOT_TOKEN", None)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,
            database_url=f"sqlite+aiosqlite:///{folder}/codes.db",
            feedback_secret=secrets.token_hex(32),
            scheduled_jobs=False,
            web_enabled=False,
        )
        runtime = await build_runtime(settings)
        keyer = runtime.conversation.keyer
        total = 0
        for batch in (1000, 9000, 20000):
            keys = [keyer.code_key(None, c) for c in slip_codes.new_codes(batch)]
            start = time.perf_counter()
            async with runtime.database.transaction() as tx:
                await tx.codes.issue(keys, "winter_heating")
                await tx.commit()
            total += batch
            printed = time.perf_counter() - start
            claims = []
            for key in keys[:5]:
                start = time.perf_counter()
                async with runtime.database.transaction() as tx:
                    await tx.codes.claim(key)
                    await tx.commit()
                claims.append(time.perf_counter() - start)
            each = sorted(claims)[len(claims) // 2] * 1000
            print(f"{total:>7,} codes: printing {printed:5.2f} s, one claim {each:6.1f} ms")
        await runtime.close()


if __name__ == "__main__":
    asyncio.run(main())
