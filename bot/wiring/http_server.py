"""The one HTTP server, bounded in what anyone can make it spend.

Anyone with the web questionnaire's link can open connections to it. Unbounded, 1,124 idle
TCP connections used up the process's 1,024 open files: nobody else was served, and the
log grew by hundreds of megabytes. So (see ``Bounds``):

- the open-file limit is raised to what the system allows at start, and the connections
  are capped below it, leaving files for the database, the bots' clients and the logs;
- a connection must send its request's head within ``header_timeout`` of being ready for it
  (opened, or its previous answer sent), and the body within ``body_timeout`` and at no
  less than ``MIN_BODY_RATE`` after ``BODY_GRACE``; idle between requests it is closed after
  ``keep_alive`` seconds (uvicorn's own timer);
- a head over ``HEAD_SIZE`` is answered 431 and the connection closed, however it arrives
  (h11's own limit bounds only a head still incomplete: 120 KB in one read was served);
- at the cap, a new connection closes the one that has waited longest without a request in
  flight (an attacker's idle connections are the oldest), or else the one that has waited
  longest for its body, so a citizen is never starved by connections that do nothing;
  requests in flight are capped in ``bot.wiring.http_limits``;
- every accepted connection has TCP_NODELAY: without it each answer after the first on a
  reused connection waited ~40 ms for the client's delayed ACK (Nagle);
- overload is logged once a minute per kind (``bot.common.once_a_minute``), uvicorn's two warnings
  for an ``Upgrade`` it does not speak (h2c, WebSocket) too: one keep-alive connection made
  4,000 requests a second, each writing them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import resource
import socket
from dataclasses import dataclass
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot.common.once_a_minute import OnceAMinute

log = logging.getLogger(__name__)

ACCEPT_BATCH = 32
"""Connections asyncio accepts per wake-up. It accepts up to the ``backlog`` it is given in
one go, before any of them can close an idle one; a small batch keeps that overshoot within
the files held in reserve (``Bounds.for_files``)."""
LISTEN_QUEUE = 2048
"""The kernel's queue of connections not yet accepted (the listening socket's backlog)."""
HEAD_SIZE = 16 * 1024
"""The largest request head (request line and headers) read: h11's own default, said here."""
HEAD_END = re.compile(rb"\n\r?\n")
"""Where h11 ends a head (it accepts a bare LF too)."""
TOO_LARGE_HEAD = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n"
    b"connection: close\r\n\r\n"
)
BODY_GRACE = 5.0
"""Seconds any body has, however short, before ``MIN_BODY_RATE`` counts: a phone's first
packets may be lost and sent again."""
MIN_BODY_RATE = 1024
"""Bytes a second a body must at least come at: a page's form (under 32 KiB) on a slow
mobile line comes far faster; a body held back to keep a connection does not."""


@dataclass(frozen=True)
class Bounds:
    """What the server may spend; ``for_files`` fits the connections to the open files."""

    max_connections: int = 1000
    max_requests: int = 100
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive: int = 5

    def for_files(self, open_files: int) -> Bounds:
        """A quarter of the files (at least 64) stays for everything but connections, plus
        one accept batch; requests in flight stay under half the connections, so there is
        always an idle connection to close for a newcomer."""
        reserve = max(64, open_files // 4) + ACCEPT_BATCH
        connections = max(16, min(self.max_connections, open_files - reserve))
        requests = max(1, min(self.max_requests, connections // 2))
        return Bounds(
            connections, requests, self.header_timeout, self.body_timeout, self.keep_alive
        )


def raise_open_file_limit() -> int:
    """The soft limit on open files raised to the hard one (the most an unprivileged process
    may have); returns the limit now in force. Systems that refuse keep theirs."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 16)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            log.warning("the open-file limit stays at %d (the system refused %d)", soft, wanted)
    return soft


class Guard:
    """The connections of one server: which are open, which wait idle (oldest first)."""

    def __init__(self, bounds: Bounds, once: OnceAMinute) -> None:
        self.bounds = bounds
        self.once = once
        self.open: set[BoundedH11] = set()
        self.idle: dict[BoundedH11, None] = {}
        """Insertion order is the order they became idle: the first is closed first."""
        self.waiting: dict[BoundedH11, None] = {}
        """Connections waiting for a body, oldest first: closed for room when none is idle
        (a citizen's body follows its head at once; one held back is an attack)."""

    def arrived(self, connection: BoundedH11) -> None:
        self.open.add(connection)
        self.rested(connection)
        if len(self.open) <= self.bounds.max_connections:
            return
        oldest = next((c for c in [*self.idle, *self.waiting] if c is not connection), None)
        self.once.warn(
            "connections",
            f"{self.bounds.max_connections} connections open: "
            + ("the longest idle ones are closed" if oldest else "new ones are refused"),
        )
        self.close(oldest or connection)

    def rested(self, connection: BoundedH11) -> None:
        """Idle from now: no request in flight; it goes to the end of the queue."""
        self.idle.pop(connection, None)
        self.idle[connection] = None

    def expecting(self, connection: BoundedH11) -> None:
        """Its head is in; its body is awaited."""
        self.idle.pop(connection, None)
        self.waiting[connection] = None

    def busy(self, connection: BoundedH11) -> None:
        self.idle.pop(connection, None)
        self.waiting.pop(connection, None)

    def close(self, connection: BoundedH11) -> None:
        self.gone(connection)
        connection.transport.close()

    def gone(self, connection: BoundedH11) -> None:
        self.open.discard(connection)
        self.idle.pop(connection, None)
        self.waiting.pop(connection, None)


class BoundedH11(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with deadlines for the head and the body, TCP_NODELAY,
    and its place in the ``Guard``. The phase is read from h11's state of the client:
    ``IDLE`` is waiting for (the rest of) a head, ``SEND_BODY`` for the body."""

    guard: ClassVar[Guard]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._phase: str | None = None
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        _no_delay(transport)
        self.guard.arrived(self)
        self._follow()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow()

    def handle_events(self) -> None:
        """Every head is looked at here before h11 parses it, whether it came in this read
        or waited behind a pipelined request."""
        if self.conn.their_state is h11.IDLE and _over_head_size(self.conn.trailing_data[0]):
            self.guard.once.warn("large head", f"request heads over {HEAD_SIZE} bytes: 431")
            self.transport.write(TOO_LARGE_HEAD)
            self.guard.close(self)
            return
        super().handle_events()

    def _unsupported_upgrade_warning(self) -> None:
        """uvicorn writes two warnings per request asking for an ``Upgrade`` it does not
        speak (h2c; WebSocket, no library installed): the request is served as plain HTTP."""
        self.guard.once.warn("upgrade", "requests to upgrade the protocol served as plain HTTP")

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self.guard.rested(self)
            self._follow()

    def connection_lost(self, exc: Exception | None) -> None:
        self.guard.gone(self)
        self._cancel()
        super().connection_lost(exc)

    def _follow(self) -> None:
        """(Re)arms the deadline when the phase changed; a phase keeps its first deadline,
        so a head sent a byte at a time still has to end in time."""
        if self.transport.is_closing():
            return
        state = self.conn.their_state
        phase = "head" if state is h11.IDLE else "body" if state is h11.SEND_BODY else None
        if phase == self._phase:
            return
        self._cancel()
        self._phase = phase
        if phase == "body":
            self.guard.expecting(self)
        elif phase is None:  # a request in flight: never closed to make room
            self.guard.busy(self)
        if phase is not None:
            seconds = self.guard.bounds.header_timeout if phase == "head" else self._body_time()
            self._deadline = self.loop.call_later(seconds, self._too_slow, phase)

    def _body_time(self) -> float:
        """``body_timeout``, or less for a body that says it is short: at least
        ``MIN_BODY_RATE`` after ``BODY_GRACE`` (a length that is not a number never gets
        here: h11 refuses the head)."""
        declared = dict(self.headers or []).get(b"content-length", b"")
        limit = self.guard.bounds.body_timeout
        if declared.isdigit():
            return min(limit, BODY_GRACE + int(declared) / MIN_BODY_RATE)
        return limit

    def _too_slow(self, phase: str) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        self.guard.once.warn(
            f"slow {phase}", f"connections closed: their request's {phase} came too slowly"
        )
        self.guard.close(self)

    def _cancel(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None


def protocol(guard: Guard) -> type[BoundedH11]:
    """A protocol class for one server (uvicorn makes one instance per connection)."""
    return type("BoundedH11ForServer", (BoundedH11,), {"guard": guard})


def _over_head_size(buffer: bytes) -> bool:
    """Whether the head at the start of ``buffer`` (all of it when it has not ended) is
    longer than ``HEAD_SIZE``."""
    end = HEAD_END.search(buffer)
    return (end.end() if end else len(buffer)) > HEAD_SIZE


def _no_delay(transport: asyncio.Transport) -> None:
    """Asyncio sets it only on sockets made with ``IPPROTO_TCP``, and the kernel says 0."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):  # the client is already gone
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
