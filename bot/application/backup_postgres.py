"""PostgreSQL's part of a backup: ``pg_dump --format=custom`` and ``pg_restore``.

The tools come from ``PG_BIN_DIR`` when it is set, else Debian's newest
``/usr/lib/postgresql/<version>/bin`` (``pg_dump`` must be at least the server's version),
else the ``PATH``. The password goes to them in ``PGPASSWORD``, never on a command line that
``ps`` would show.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.application.refusal import Refusal

PART = "database.dump"
TIMEOUT = 6 * 3600
"""A very large database still finishes; a hung server does not hold the job for ever."""


def tool(name: str, folder: Path | None) -> Path:
    """Where ``pg_dump``/``pg_restore`` is (``folder``: ``PG_BIN_DIR``)."""
    if folder is not None:
        candidates = [folder / name]
    else:
        found = (Path(p) for p in glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
        candidates = sorted(found, key=_major, reverse=True)  # the newest first
        on_path = shutil.which(name)
        candidates += [Path(on_path)] if on_path else []
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise Refusal("backup.postgres_tool_missing", tool=name)


def _major(path: Path) -> int:
    part = path.parent.parent.name
    return int(part) if part.isdigit() else 0


def _connection(url: str) -> tuple[list[str], dict[str, str]]:
    """libpq's arguments for SQLAlchemy's URL, and its environment (the password)."""
    parsed = make_url(url)
    arguments = ["--dbname", parsed.database or "postgres"]
    if parsed.host:
        arguments += ["--host", parsed.host]
    if parsed.port:
        arguments += ["--port", str(parsed.port)]
    if parsed.username:
        arguments += ["--username", parsed.username]
    environment = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if parsed.password:
        environment["PGPASSWORD"] = str(parsed.password)
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=environment, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        name, waited = Path(command[0]).name, f"timeout {TIMEOUT // 3600} h"
        raise Refusal("backup.postgres_failed", tool=name, reason=waited) from None
    if done.returncode != 0:
        first = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[0]
        raise Refusal("backup.postgres_failed", tool=Path(command[0]).name, reason=first[:200])


def dump(url: str, target: Path, folder: Path | None) -> None:
    """One consistent snapshot (``pg_dump`` reads in one repeatable-read transaction)."""
    arguments, environment = _connection(url)
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    command = [str(tool("pg_dump", folder)), "--format=custom", "--no-owner", "--no-privileges"]
    _run([*command, "--file", str(target), *arguments], environment)


def listed(dump_file: Path, folder: Path | None) -> bool:
    """``pg_restore --list``: the dump's table of contents reads to its end."""
    try:
        done = subprocess.run(
            [str(tool("pg_restore", folder)), "--list", str(dump_file)],
            capture_output=True,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0 and b"TABLE DATA" in done.stdout


def restore(url: str, dump_file: Path, folder: Path | None) -> None:
    """Into an empty database, in one transaction: all of it or nothing."""
    arguments, environment = _connection(url)
    command = [str(tool("pg_restore", folder)), "--no-owner", "--no-privileges"]
    command += ["--exit-on-error", "--single-transaction", *arguments, str(dump_file)]
    _run(command, environment)
