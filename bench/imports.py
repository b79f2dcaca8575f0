"""Importing a big Google Forms export: time and peak memory of ``feedback-bot import``.

Writes a real-shaped export (AM/PM timestamps with a time zone, numbered headers, ``;``,
an e-mail column) of N rows (default 200,000, about 38 MB as Google writes it), imports it
into a fresh SQLite database in a separate process, and prints the seconds and the peak
resident memory of that process, then imports it again (everything already there).

    python bench/imports.py [--rows 200000] [--database postgresql+asyncpg://…]
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.forms import form_header, form_rows, write_csv


def run(path: Path, env: dict[str, str], folder: Path) -> tuple[float, float, str]:
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(
        [sys.executable, "-m", "bot.entry.cli", "import", "--channel", "paper", str(path)],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return seconds, max(peak, before) / 1024, result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--database", help="default: a fresh SQLite file")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "ფორმის პასუხები.csv"
        write_csv(path, [form_header(), *form_rows(arguments.rows)])
        url = arguments.database or f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        env = {**os.environ, "DATABASE_URL": url, "FEEDBACK_SECRET": secrets.token_hex(32)}
        size = path.stat().st_size / 1e6
        print(f"{arguments.rows:,} rows, {size:.0f} MB, {os.cpu_count()} cores")
        for label in ("first import", "same file again"):
            seconds, peak, said = run(path, env, folder)
            print(f"{label}: {seconds:.1f} s, peak {peak:.0f} MB resident — {said.splitlines()[0]}")


if __name__ == "__main__":
    main()
