"""Time and peak memory of ``feedback-bot backup`` and ``backup verify`` for a large SQLite file.

    python bench/backup.py            # 256 MB and 1 GB of data beside the bot's tables
    python bench/backup.py --quick    # 64 MB

The database is filled once (not timed); each command runs in a child process, so its peak
memory is its own. Memory should stay flat as the database grows: the file is sealed and
read a chunk (1 MiB) at a time, never held whole.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage import open_database


async def filled(path: Path, megabytes: int) -> None:
    database = await open_database(f"sqlite+aiosqlite:///{path}")
    await database.close()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE filler (data BLOB)")
        db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO filler SELECT randomblob(1048576) FROM n",
            (megabytes,),
        )


def timed(arguments: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Seconds, and the largest peak resident memory (MB) of any child so far: the
    system keeps one maximum for all children, so verify's figure is an upper bound."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot.entry.cli", *arguments],
        env=env,
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    sizes = [64] if parser.parse_args().quick else [256, 1024]
    for megabytes in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            asyncio.run(filled(root / "feedback.db", megabytes))
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite+aiosqlite:///{root / 'feedback.db'}",
                "FEEDBACK_SECRET": "ab" * 32,
                "BACKUP_PASSPHRASE": "bench passphrase",
                "WEB_ENABLED": "false",
            }
            made, made_peak = timed(["backup", "--out", str(root / "out")], env, root)
            [file] = (root / "out").glob("*.backup")
            checked, checked_peak = timed(["backup", "verify", str(file)], env, root)
            print(
                f"{megabytes:>5} MB: backup {made:5.1f} s ({megabytes / made:4.0f} MB/s, "
                f"peak {made_peak:4.0f} MB), verify {checked:5.1f} s (peak {checked_peak:4.0f} MB)"
            )


if __name__ == "__main__":
    main()
