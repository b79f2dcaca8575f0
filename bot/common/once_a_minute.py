"""Overload is logged, but never as a flood: at most one line per kind of overload a minute.

An attacker decides how often an overload happens (a connection a millisecond, a malformed
request a millisecond); a log line per event would hand them the disk (a reproduced attack
grew the log by 332 MB a minute). So each kind is written once, then counted in silence,
and the next line a minute later says how many there were meanwhile. The same holds for a
line anyone can cause by sending a request (a refused form, a forged button):
``once_a_minute(log).info(...)``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

EVERY_SECONDS = 60.0


class OnceAMinute:
    """Decides which overload events are written; kinds are short words ("full", "slow")."""

    def __init__(
        self,
        log: logging.Logger,
        every: float = EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.log = log
        self.every = every
        self.clock = clock
        self._last: dict[str, float] = {}
        self._unsaid: dict[str, int] = {}

    def allow(self, kind: str) -> int | None:
        """``None`` to stay silent; otherwise how many of this kind went unsaid before."""
        now = self.clock()
        last = self._last.get(kind)
        if last is not None and now - last < self.every:
            self._unsaid[kind] = self._unsaid.get(kind, 0) + 1
            return None
        self._last[kind] = now
        return self._unsaid.pop(kind, 0)

    def warn(self, kind: str, message: str) -> None:
        """One warning line of ``kind`` unless one was written in the last minute."""
        self.say(logging.WARNING, kind, message)

    def info(self, kind: str, message: str) -> None:
        """As ``warn``, for what is expected now and then (a form after its session ended)."""
        self.say(logging.INFO, kind, message)

    def say(self, level: int, kind: str, message: str) -> None:
        unsaid = self.allow(kind)
        if unsaid is not None:
            self.log.log(level, "%s%s", message, _meanwhile(unsaid))


_OF_LOGGER: dict[str, OnceAMinute] = {}


def once_a_minute(log: logging.Logger) -> OnceAMinute:
    """The one ``OnceAMinute`` of ``log`` for the whole process, so that a module writes
    through it with one call and no state of its own."""
    if log.name not in _OF_LOGGER:
        _OF_LOGGER[log.name] = OnceAMinute(log)
    return _OF_LOGGER[log.name]


def _meanwhile(unsaid: int) -> str:
    return f" ({unsaid} more in the last minute)" if unsaid else ""


class Overloaded(logging.Filter):
    """Lets through one record a minute of the overload a library logs itself (uvicorn's
    malformed requests, asyncio's accept out of files), as one line without a traceback:
    the traceback of a full file table is the same every time and says nothing new."""

    def __init__(self, once: OnceAMinute, kinds: dict[str, str]) -> None:
        super().__init__()
        self.once = once
        self.kinds = kinds
        """A record's message as its library writes it → our line for that kind."""

    def filter(self, record: logging.LogRecord) -> bool:
        line = self.kinds.get(str(record.msg).split("\n", 1)[0].strip())
        if line is None:
            return True
        unsaid = self.once.allow(line)
        if unsaid is None:
            return False
        record.msg, record.args = "%s%s", (line, _meanwhile(unsaid))
        record.exc_info, record.exc_text, record.levelno = None, None, logging.WARNING
        record.levelname = "WARNING"
        return True


def install(loggers: Iterable[logging.Logger], overloaded: Overloaded) -> Callable[[], None]:
    """Adds the filter to the loggers the records are made on; returns what removes it."""
    chosen = list(loggers)
    for logger in chosen:
        logger.addFilter(overloaded)

    def remove() -> None:
        for logger in chosen:
            logger.removeFilter(overloaded)

    return remove
