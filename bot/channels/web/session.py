"""Who a browser is, without knowing who they are: a random cookie, its CSRF token, limits.

The cookie holds 32 random bytes. Its HMAC (``Keyer.draft_key``, through the router) keys the
draft, as a Telegram user id's does; the value itself is never stored or logged. A session
handed over from Messenger (see ``handoff``) carries an opaque HMAC of the person's
page-scoped id instead, signed, so the web page continues that person's draft.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import time
from collections import deque
from dataclasses import dataclass

from bot.questionnaire.identity import Keyer

COOKIE = "feedback_session"
WEB, MESSENGER = "web", "messenger"


@dataclass(frozen=True)
class Session:
    cookie: str
    """The cookie's value, exactly as the browser sends it back."""
    channel: str
    user: str
    """What the router keys the draft with: the cookie itself (web) or the Messenger handle."""


class Sessions:
    def __init__(self, keyer: Keyer) -> None:
        self.keyer = keyer

    def new(self) -> Session:
        value = "w." + secrets.token_urlsafe(32)
        return Session(value, WEB, value)

    def read(self, value: str | None) -> Session | None:
        """The session a cookie stands for; ``None`` for a missing or forged one."""
        if not value or len(value) > 200:
            return None
        if value.startswith("w.") and len(value) >= 40:
            return Session(value, WEB, value)
        if value.startswith("m."):
            handle, _, mac = value[2:].partition(".")
            if handle and hmac.compare_digest(mac, self._sign("cookie", handle)):
                return Session(value, MESSENGER, handle)
        return None

    def for_messenger(self, handle: str) -> Session:
        value = f"m.{handle}.{self._sign('cookie', handle)}"
        return Session(value, MESSENGER, handle)

    def csrf(self, session: Session) -> str:
        """Every form carries this; a page from another site cannot know it."""
        return self._sign("csrf", session.cookie)

    def csrf_valid(self, session: Session, given: str) -> bool:
        return hmac.compare_digest(self.csrf(session), given)

    def _sign(self, purpose: str, value: str) -> str:
        return self.keyer.update_key(f"web/{purpose}", value)[:43]


def handle_for(keyer: Keyer, psid: str) -> str:
    """The Messenger person as the web knows them: an HMAC of the page-scoped id, the same
    every time (so the daily limit and the draft carry over), never the id itself."""
    return keyer.update_key("web/messenger", psid)[:40]


def handoff(keyer: Keyer, handle: str, lifetime: int, now: float | None = None) -> str:
    """A link token for Messenger's in-app browser: the handle and an expiry, signed."""
    expires = int((now if now is not None else time.time()) + lifetime)
    body = f"{handle}.{expires}"
    token = f"{body}.{keyer.update_key('web/handoff', body)[:43]}"
    return base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")


def handoff_path(scope: str | None, token: str) -> str:
    """Where Messenger's button opens the web page: the home municipality's at
    ``/m/<token>`` (as before), another's at ``/m/<code>/h/<token>``."""
    return f"/m/{token}" if scope is None else f"/m/{scope}/h/{token}"


def read_handoff(keyer: Keyer, token: str, now: float | None = None) -> str | None:
    """The handle in a valid, unexpired token; ``None`` otherwise."""
    try:
        padded = token + "=" * (-len(token) % 4)
        handle, expires, mac = base64.urlsafe_b64decode(padded).decode().split(".")
    except (ValueError, UnicodeDecodeError):
        return None
    body = f"{handle}.{expires}"
    if not hmac.compare_digest(mac, keyer.update_key("web/handoff", body)[:43]):
        return None
    if not expires.isdigit() or int(expires) < (now if now is not None else time.time()):
        return None
    return handle


class RateLimit:
    """At most ``per_minute`` requests a minute from one address, counted in memory only:
    the address is a dictionary key while it is counted, and never written anywhere."""

    def __init__(self, per_minute: int = 60) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, deque[float]] = {}

    def allow(self, address: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if len(self._seen) > 10_000:
            self._forget(now)
        times = self._seen.setdefault(address, deque())
        while times and times[0] <= now - 60:
            times.popleft()
        if len(times) >= self.per_minute:
            return False
        times.append(now)
        return True

    def _forget(self, now: float) -> None:
        for address in [a for a, times in self._seen.items() if not times or times[-1] <= now - 60]:
            del self._seen[address]
