"""Keyed hashes that let us recognise a returning citizen without knowing who they are.

The secret never leaves the process; without it a stored key cannot be turned back into a
platform user id, even by trying every possible id.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date

from cryptography.fernet import Fernet


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

    def sign(self, purpose: str, scope: str | None, value: str) -> str:
        """The server's signature on a value it hands out (a web session, a Messenger
        link): good for one purpose in one municipality (``scope``; ``None``: the home
        one), so nothing signed for one is taken by another."""
        return self._digest(f"sign\x1f{purpose}", scope or "", value)

    def webhook_token(self, scope: str | None = None) -> str:
        """The Telegram webhook's secret token when none is configured: the same in every
        process that shares the feedback secret, and nothing an outsider can guess; each
        municipality's bot has its own."""
        return self._digest("webhook", "telegram", scope or "")

    def seal(self, text: str) -> str:
        """Encrypts a chat id kept only to send one reminder; unreadable without the secret."""
        return self._sealer.encrypt(text.encode()).decode()

    def unseal(self, token: str) -> str:
        return self._sealer.decrypt(token.encode()).decode()

    def code_key(self, scope: str | None, code: str) -> str:
        """How a desk slip's code is stored and recognised (``bot.questionnaire.slip_codes``):
        never the code itself, so a copy of the database prints no slip anew."""
        return self._digest("slip", scope or "", code)

    def rate_key(self, channel: str, user: str, day: date) -> str:
        """A different key from the draft's, so the two tables cannot be joined on it, and a
        different key every day, so it is no pseudonym that follows a person across days."""
        return self._digest(f"rate\x1f{day.isoformat()}", channel, user)


def scoped(channel: str, scope: str | None) -> str:
    """A channel as keys know it in one municipality: the same person answering two
    municipalities has two drafts and two daily counts. ``None``: unscoped, as keys were
    before there were several municipalities (the home municipality's)."""
    return channel if scope is None else f"{channel}@{scope}"
