"""The staff console's secrets, each made by a library, none by hand: passwords as argon2id
hashes (argon2-cffi), second factors as TOTP (pyotp, RFC 6238), tokens from ``secrets``
kept only as their SHA-256, compared with ``hmac.compare_digest``."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ISSUER = "feedback-bot"
HASHING_AT_ONCE = 2
"""argon2id hashes computed at the same time (each takes 64 MiB and about a second on a
loaded two-core server): off the event loop, so citizens are served meanwhile, and no more
than this, so a flood of sign-ins cannot take the memory."""
SECRET = re.compile(r"[A-Z2-7]{16,64}")
"""A TOTP secret as ``new_totp_secret`` makes it (base32); a form may send anything."""
MIN_PASSWORD = 10
"""Characters a password needs at least: long beats clever (NIST SP 800-63B)."""


def new_token() -> str:
    """A random token for a cookie, a link or a form (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def hashed(token: str) -> str:
    """What is stored of a token: a database reader cannot turn it back into the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


class Passwords:
    """argon2id hashes; ``hasher`` is argon2-cffi's (tests may pass a cheaper one)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()
        self._dummy: str | None = None
        """A hash of nothing, checked for an unknown address (made at the first use)."""
        self._room = asyncio.Semaphore(HASHING_AT_ONCE)

    async def hashed(self, password: str) -> str:
        """``hash`` in a worker thread (argon2 releases the GIL while it works)."""
        async with self._room:
            return await asyncio.to_thread(self.hash, password)

    async def checked(self, stored: str | None, password: str) -> bool:
        """``check`` in a worker thread."""
        async with self._room:
            return await asyncio.to_thread(self.check, stored, password)

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def check(self, stored: str | None, password: str) -> bool:
        """Whether ``password`` is the one hashed; an account without one still costs the
        same time, so a stranger cannot tell which e-mail addresses have accounts."""
        if stored is None and self._dummy is None:
            self._dummy = self.hasher.hash(new_token())
        try:
            return self.hasher.verify(stored or self._dummy or "", password) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str) -> str:
    """What an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def totp_valid(secret: str, code: str, now: datetime) -> bool:
    """The six digits the app shows now (one step either side for a slow hand or clock)."""
    return totp_step(secret, code, now) is not None


def totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The time-step (RFC 6238's counter) whose code ``code`` is, within one step of now;
    ``None`` when it is none of them. Kept per account, so a code once accepted (seen over a
    shoulder, or replayed from a copied request) is refused ever after."""
    digits = "".join(c for c in code if c.isdigit())
    if len(digits) != 6 or not SECRET.fullmatch(secret):
        return None
    totp = pyotp.TOTP(secret)
    for offset in (-1, 0, 1):
        if same(digits, totp.at(now, counter_offset=offset)):
            return totp.timecode(now) + offset
    return None
