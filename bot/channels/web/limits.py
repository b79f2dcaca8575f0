"""How much one address may ask of the web questionnaire: completed forms, and page views.

Forms are what a script would stuff, so they are what is limited: at most ``per_hour``
completed forms an hour from one address (``WEB_FORMS_PER_HOUR``). Page views only guard
the server against a flood, so their budget is far larger: people behind one office Wi-Fi
or a mobile carrier's shared address answer side by side without being turned away.

Both count in this process's memory only, under a keyed hash of the address whose key is
drawn when the process starts and never written anywhere: no address, and no moment of a
form, is ever stored or logged. Several processes each count their own (see the README).
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from collections import deque
from collections.abc import Callable

log = logging.getLogger(__name__)

HOUR = 3600.0
MINUTE = 60.0
PENDING_WAIT = 10
"""Seconds to wait when the limit is full only of sends still being worked out."""


class _Addresses:
    """Counters under a keyed hash of the address, forgotten once they are out of date."""

    def __init__(self, window: float, clock: Callable[[], float]) -> None:
        self.window = window
        self.clock = clock
        self._key = secrets.token_bytes(16)
        self._times: dict[bytes, deque[float]] = {}

    def key(self, address: str) -> bytes:
        return hashlib.blake2b(address.encode(), key=self._key, digest_size=16).digest()

    def recent(self, key: bytes, now: float) -> deque[float]:
        if len(self._times) > 10_000:
            self._forget(now)
        times = self._times.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def _forget(self, now: float) -> None:
        old = [k for k, times in self._times.items() if not times or times[-1] <= now - self.window]
        for key in old:
            del self._times[key]


class RequestBudget:
    """At most ``per_minute`` requests a minute from one address: a flood guard only."""

    def __init__(self, per_minute: int = 600, clock: Callable[[], float] = time.monotonic):
        self.per_minute = per_minute
        self._addresses = _Addresses(MINUTE, clock)

    def wait(self, address: str) -> int:
        """0 when this request may go on (it is counted); else seconds until one may."""
        now = self._addresses.clock()
        times = self._addresses.recent(self._addresses.key(address), now)
        if len(times) >= self.per_minute:
            return max(1, math.ceil(times[0] + MINUTE - now))
        times.append(now)
        return 0


class FormLimit:
    """At most ``per_hour`` completed forms an hour from one address.

    A send first ``reserve``s a place, synchronously (so sends racing each other from one
    address cannot all pass the check before any is counted), then ``settle``s it: kept
    when the form was sent, given back when it was not (the daily limit refused it, or the
    turn failed)."""

    def __init__(self, per_hour: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_hour = per_hour
        self._sent = _Addresses(HOUR, clock)
        self._pending: dict[bytes, int] = {}
        self._warned = _Addresses(HOUR, clock)

    def reserve(self, address: str) -> int:
        """0 when a form may be sent now (a place is held until ``settle``); otherwise the
        seconds until one may. The first refusal of an address in an hour is logged, with
        neither the address nor the form: staff see that someone reached the limit."""
        key = self._sent.key(address)
        now = self._sent.clock()
        sent = self._sent.recent(key, now)
        pending = self._pending.get(key, 0)
        if len(sent) + pending < self.per_hour:
            self._pending[key] = pending + 1
            return 0
        self._warn(key, now)
        if len(sent) < self.per_hour:  # full of sends not yet worked out
            return PENDING_WAIT
        return max(1, math.ceil(sent[len(sent) - self.per_hour] + HOUR - now))

    def settle(self, address: str, sent: bool) -> None:
        key = self._sent.key(address)
        pending = self._pending.get(key, 0) - 1
        if pending > 0:
            self._pending[key] = pending
        else:
            self._pending.pop(key, None)
        if sent:
            now = self._sent.clock()
            self._sent.recent(key, now).append(now)

    def _warn(self, key: bytes, now: float) -> None:
        """Logged at a refusal, not at the form that reached the limit: that form is
        stored, and a log line's time must never be the moment a stored form came."""
        warned = self._warned.recent(key, now)
        if warned:
            return
        warned.append(now)
        log.warning(
            "an address reached the limit of %d web forms an hour; its next form waits "
            "in its draft (nothing is dropped)",
            self.per_hour,
        )
