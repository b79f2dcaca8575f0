"""Keyed hashes that let us recognise a returning citizen without knowing who they are.

The secret never leaves the process; without it a stored key cannot be turned back into a
platform user id, even by trying every possible id.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import date
from pathlib import Path

from cryptography.fernet import Fernet

from bot import atomic


class Keyer:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the feedback secret must be at least 16 bytes")
        self._secret = secret
        sealing_key = hashlib.sha256(secret + b"\x1freminder").digest()
        self._sealer = Fernet(base64.urlsafe_b64encode(sealing_key))

    def _digest(self, purpose: str, channel: str, user: str) -> str:
        message = f"{purpose}\x1f{channel}\x1f{user}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def draft_key(self, channel: str, user: str) -> str:
        return self._digest("draft", channel, user)

    def update_key(self, channel: str, message_id: str) -> str:
        """Messenger message ids are not ours to keep: only this hash marks one as seen."""
        return self._digest("update", channel, message_id)

    def webhook_token(self) -> str:
        """The Telegram webhook's secret token when none is configured: the same in every
        process that shares the feedback secret, and nothing an outsider can guess."""
        return self._digest("webhook", "telegram", "")

    def seal(self, text: str) -> str:
        """Encrypts a chat id kept only to send one reminder; unreadable without the secret."""
        return self._sealer.encrypt(text.encode()).decode()

    def unseal(self, token: str) -> str:
        return self._sealer.decrypt(token.encode()).decode()

    def rate_key(self, channel: str, user: str, day: date) -> str:
        """A different key from the draft's, so the two tables cannot be joined on it, and a
        different key every day, so it is no pseudonym that follows a person across days."""
        return self._digest(f"rate\x1f{day.isoformat()}", channel, user)


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
