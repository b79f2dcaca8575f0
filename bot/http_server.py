"""The one HTTP server, bounded in what anyone can make it spend.

Anyone with the web questionnaire's link can open connections to it. Unbounded, 1,124 idle
TCP connections used up the process's 1,024 open files: nobody else was served, and the
log grew by hundreds of megabytes. So (see ``Bounds``):

- the open-file limit is raised to what the system allows at start, and the connections
  are capped below it, leaving files for the database, the bots' clients and the logs;
- a connection must send its request's head within ``header_timeout`` of being ready for it
  (opened, or its previous answer sent) and the body within ``body_timeout``; idle between
  requests it is closed after ``keep_alive`` seconds (uvicorn's own timer);
- at the cap, a new connection closes the one that has waited longest without a request in
  flight (an attacker's idle connections are the oldest), so a citizen is never starved by
  connections that do nothing; requests in flight are capped in ``bot.http_limits``;
- every accepted connection has TCP_NODELAY: without it each answer after the first on a
  reused connection waited ~40 ms for the client's delayed ACK (Nagle);
- overload is logged once a minute per kind (``bot.once_a_minute``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import resource
import socket
from dataclasses import dataclass
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot.once_a_minute import OnceAMinute

log = logging.getLogger(__name__)

ACCEPT_BATCH = 32
"""Connections asyncio accepts per wake-up. It accepts up to the ``backlog`` it is given in
one go, before any of them can close an idle one; a small batch keeps that overshoot within
the files held in reserve (``Bounds.for_files``)."""
LISTEN_QUEUE = 2048
"""The kernel's queue of connections not yet accepted (the listening socket's backlog)."""
HEAD_SIZE = 16 * 1024
"""The largest request head (request line and headers) read: h11's own default, said here."""


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

    def arrived(self, connection: BoundedH11) -> None:
        self.open.add(connection)
        self.rested(connection)
        if len(self.open) <= self.bounds.max_connections:
            return
        oldest = next((c for c in self.idle if c is not connection), None)
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

    def busy(self, connection: BoundedH11) -> None:
        self.idle.pop(connection, None)

    def close(self, connection: BoundedH11) -> None:
        self.gone(connection)
        connection.transport.close()

    def gone(self, connection: BoundedH11) -> None:
        self.open.discard(connection)
        self.idle.pop(connection, None)


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
        if phase != "head":  # a request in flight: never closed to make room
            self.guard.busy(self)
        if phase is not None:
            bounds = self.guard.bounds
            seconds = bounds.header_timeout if phase == "head" else bounds.body_timeout
            self._deadline = self.loop.call_later(seconds, self._too_slow, phase)

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


def _no_delay(transport: asyncio.Transport) -> None:
    """Asyncio sets it only on sockets made with ``IPPROTO_TCP``, and the kernel says 0."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):  # the client is already gone
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
