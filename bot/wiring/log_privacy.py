"""Log lines that cannot carry what a citizen wrote, whatever fails.

An exception's message is written by whoever raised it: asyncpg quotes the value it could not
encode (the first characters of a draft's answers), a Graph API error may quote the message.
So a log line keeps where something failed and what kind of error it was, never the error's
own words: tracebacks list their frames and exception types only, and an exception given as
a log argument is written as its type. Installed on every handler the bot logs through.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterable
from types import TracebackType

WITHHELD = "(its message is not logged: it may hold what a citizen wrote)"


class WithoutMessages(logging.Filter):
    """Rewrites a record's traceback and exception arguments before any formatter sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = frames_only(record.exc_info[1])
        if isinstance(record.args, tuple):
            record.args = tuple(_kind(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _kind(value) for key, value in record.args.items()}
        return True


def _kind(value: object) -> object:
    return _name(type(value)) if isinstance(value, BaseException) else value


def _name(kind: type[BaseException]) -> str:
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def frames_only(error: BaseException) -> str:
    """The traceback of ``error`` and the errors it came from, without their messages."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts.insert(0, _one(current))
        cause = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        if cause is not None:
            parts.insert(0, "The error below came from this one:")
        current = cause
    return "\n".join(parts)


def _one(error: BaseException) -> str:
    tb: TracebackType | None = error.__traceback__
    stack = "".join(traceback.StackSummary.extract(traceback.walk_tb(tb)).format())
    return f"Traceback (most recent call last):\n{stack}{_name(type(error))} {WITHHELD}"


def install(handlers: Iterable[logging.Handler]) -> None:
    for handler in handlers:
        if not any(isinstance(f, WithoutMessages) for f in handler.filters):
            handler.addFilter(WithoutMessages())


def excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """An error nobody foresaw ends the command with its frames and kind, as logs have them."""
    del kind, tb  # the error carries both
    sys.stderr.write(frames_only(error) + "\n")
