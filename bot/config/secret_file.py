"""The secret file beside an SQLite database: the key of every keyed hash and seal.

Kept out of the domain (``bot.questionnaire.identity`` only uses a secret): reading and
writing files is the entry points' business.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from bot.common import atomic


class SecretFileError(Exception):
    """The secret file cannot be used as it is; ``key`` names the locale text to show."""

    def __init__(self, key: str, path: Path) -> None:
        super().__init__(key)
        self.key, self.path = key, path


SECRET_TEXT = re.compile(r"[0-9a-fA-F]{32,}")


def load_or_create_secret(path: Path, database_has_data: bool = False) -> tuple[bytes, bool]:
    """The secret kept beside an SQLite database; created on first use. Returns (secret, new).

    Written atomically (a temporary file, flushed to the disk, renamed), so a full disk or a
    crash leaves no file or a whole one, never an empty one. A missing secret next to a
    database that holds data is never replaced silently: every unfinished questionnaire and
    daily limit would be orphaned by a new one."""
    if path.exists():
        text = path.read_bytes().decode("ascii", errors="replace").strip()
        if not SECRET_TEXT.fullmatch(text):
            raise SecretFileError("cli.secret_broken", path)
        return text.encode(), False
    if database_has_data:
        raise SecretFileError("cli.secret_missing_with_data", path)
    value = secrets.token_hex(32)
    atomic.write_text(path, value + "\n", sync=True)
    path.chmod(0o600)
    return value.encode(), True
