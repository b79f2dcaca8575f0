"""How much one address may ask of the web questionnaire: completed forms, and page views.

Forms are what a script would stuff, so they are what is limited: at most ``per_hour``
completed forms an hour from one address (``WEB_FORMS_PER_HOUR``). Page views only guard
the server against a flood, so their budget is far larger: people behind one office Wi-Fi
or a mobile carrier's shared address answer side by side without being turned away.

"One address" is what one household or device can change at will: an IPv4 address, but an
IPv6 *network* (a /64 for page views, the /56 an ISP hands a customer for forms), since a
device picks any address of its /64 at no cost and a new one for every form.

Both count in this process's memory only, under a keyed hash of the address whose key is
drawn when the process starts and never written anywhere: no address, and no moment of a
form, is ever stored or logged. Several processes each count their own (see the README).
Memory is bounded: entries are kept in order of last use, expire from the front, and past
``MAX_KEYS`` the least recently used is forgotten, so many addresses cost no scan.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable

log = logging.getLogger(__name__)

HOUR = 3600.0
MINUTE = 60.0
PENDING_WAIT = 10
"""Seconds to wait when the limit is full only of sends still being worked out."""
MAX_KEYS = 100_000
"""Addresses remembered at most per counter (a few MB); past it the least recently seen
is forgotten, so a flood from many addresses costs neither memory nor time."""
VIEWS_PREFIX_V6 = 64
FORMS_PREFIX_V6 = 56


def network_of(address: str, v6_prefix: int) -> str:
    """What the limits count: an IPv4 address whole (an IPv4-mapped IPv6 one too), an IPv6
    address by its ``v6_prefix`` network; anything else (a test's name) as it is."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, v6_prefix), strict=False))
    return str(parsed)


class ProxyCheck:
    """Says once per process what turns the whole town into one address: a reverse proxy on
    this machine forwards the visitor's address, and ``FORWARDED_ALLOW_IPS`` does not list
    it, so every request counts as the proxy's own."""

    def __init__(self) -> None:
        self.warned = False

    def see(self, host: str, forwarded: str | None) -> None:
        if self.warned or forwarded is None or not _loopback(host):
            return
        self.warned = True
        log.warning(
            "requests come from this machine with an X-Forwarded-For header the bot does "
            "not believe: behind Caddy or nginx on this machine set "
            "FORWARDED_ALLOW_IPS=127.0.0.1, or every visitor counts as one address"
        )


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Keys:
    """A keyed hash per counted network, with whatever is counted for it, in order of last
    use: stale entries are removed from the front as they are met, never by a scan."""

    def __init__(self, window: float, clock: Callable[[], float], v6_prefix: int) -> None:
        self.window = window
        self.clock = clock
        self.v6_prefix = v6_prefix
        self._key = secrets.token_bytes(16)
        self._last: OrderedDict[bytes, float] = OrderedDict()

    def key(self, address: str) -> bytes:
        counted = network_of(address, self.v6_prefix).encode()
        return hashlib.blake2b(counted, key=self._key, digest_size=16).digest()

    def touch(self, key: bytes, now: float) -> None:
        """``key`` was used now; entries unused for a whole window (and the oldest, past
        ``MAX_KEYS``) are forgotten, each by ``forget``."""
        self._last[key] = now
        self._last.move_to_end(key)
        while self._last:
            oldest, when = next(iter(self._last.items()))
            if when > now - self.window and len(self._last) <= MAX_KEYS:
                break
            del self._last[oldest]
            self.forget(oldest)

    def forget(self, key: bytes) -> None:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self._last)


class _Times(_Keys):
    """The moments of the last events of each key, within the window."""

    def __init__(self, window: float, clock: Callable[[], float], v6_prefix: int) -> None:
        super().__init__(window, clock, v6_prefix)
        self._times: dict[bytes, deque[float]] = {}

    def recent(self, key: bytes, now: float) -> deque[float]:
        self.touch(key, now)
        times = self._times.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def forget(self, key: bytes) -> None:
        self._times.pop(key, None)


class RequestBudget(_Keys):
    """At most ``per_minute`` requests a minute from one network: a flood guard only. A
    token bucket per key (two numbers), so a busy address costs no more memory than a
    quiet one."""

    def __init__(self, per_minute: int = 600, clock: Callable[[], float] = time.monotonic):
        super().__init__(MINUTE, clock, VIEWS_PREFIX_V6)
        self.per_minute = per_minute
        self._tokens: dict[bytes, tuple[float, float]] = {}

    def wait(self, address: str) -> int:
        """0 when this request may go on (it is counted); else seconds until one may."""
        now = self.clock()
        key = self.key(address)
        rate = self.per_minute / MINUTE
        tokens, then = self._tokens.get(key, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - then) * rate)
        self.touch(key, now)
        if tokens < 1:
            self._tokens[key] = (tokens, now)
            return max(1, math.ceil((1 - tokens) / rate))
        self._tokens[key] = (tokens - 1, now)
        return 0

    def forget(self, key: bytes) -> None:
        self._tokens.pop(key, None)


class FormLimit:
    """At most ``per_hour`` completed forms an hour from one network, and ``total_per_hour``
    from all of them together in this process (``None``: no ceiling).

    A send first ``reserve``s a place, synchronously (so sends racing each other from one
    address cannot all pass the check before any is counted), then ``settle``s it: kept
    when the form was sent, given back when it was not (the daily limit refused it, or the
    turn failed)."""

    def __init__(
        self,
        per_hour: int,
        clock: Callable[[], float] = time.monotonic,
        total_per_hour: int | None = None,
    ) -> None:
        self.per_hour = per_hour
        self.total_per_hour = total_per_hour
        self._sent = _Times(HOUR, clock, FORMS_PREFIX_V6)
        self._pending: dict[bytes, int] = {}
        self._warned = _Times(HOUR, clock, FORMS_PREFIX_V6)
        self._all: deque[float] = deque()
        self._all_pending = 0

    def reserve(self, address: str) -> int:
        """0 when a form may be sent now (a place is held until ``settle``); otherwise the
        seconds until one may. The first refusal of an address in an hour is logged, with
        neither the address nor the form: staff see that someone reached the limit."""
        key = self._sent.key(address)
        now = self._sent.clock()
        if wait := self._over_total(now):
            return wait
        sent = self._sent.recent(key, now)
        pending = self._pending.get(key, 0)
        if len(sent) + pending < self.per_hour:
            self._pending[key] = pending + 1
            self._all_pending += 1
            return 0
        self._warn(key, now)
        if len(sent) < self.per_hour:  # full of sends not yet worked out
            return PENDING_WAIT
        return max(1, math.ceil(sent[len(sent) - self.per_hour] + HOUR - now))

    def _over_total(self, now: float) -> int:
        """Seconds to wait when this process's ceiling is reached, else 0."""
        while self._all and self._all[0] <= now - HOUR:
            self._all.popleft()
        ceiling = self.total_per_hour
        if ceiling is None or len(self._all) + self._all_pending < ceiling:
            return 0
        if len(self._all) < ceiling:
            return PENDING_WAIT
        return max(1, math.ceil(self._all[len(self._all) - ceiling] + HOUR - now))

    def settle(self, address: str, sent: bool) -> None:
        key = self._sent.key(address)
        pending = self._pending.get(key, 0) - 1
        if pending > 0:
            self._pending[key] = pending
        else:
            self._pending.pop(key, None)
        self._all_pending = max(0, self._all_pending - 1)
        if sent:
            now = self._sent.clock()
            self._sent.recent(key, now).append(now)
            self._all.append(now)

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


class FormGate:
    """One request's place under a form limit (an address's, or a kiosk's), reserved only
    when the turn is about to send a form (``Sender.may_send``), settled after the turn."""

    def __init__(self, limit: FormLimit, key: str) -> None:
        self.limit = limit
        self.key = key
        self.held = False
        self.wait = 0
        """Seconds until this key may send again, when the send was held back."""

    def __call__(self) -> bool:
        if not self.held:  # a turn worked out again asks again: one place still
            self.wait = self.limit.reserve(self.key)
            self.held = not self.wait
        return self.held

    def settle(self, sent: bool) -> None:
        if self.held:
            self.limit.settle(self.key, sent)
            self.held = False
