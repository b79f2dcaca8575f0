"""The drafts this process saved last, each with its row's version (PostgreSQL turns).

A citizen's next answer often comes to the process that saved their last one (always, with
one process). That answer then needs no read: it is worked out from the draft as this
process saved it, and its one checked write (``storage.turns.checked``) saves it only if the row
is still that version. If anything else changed the draft meanwhile (another process,
``/stop``, the purge), the write changes nothing and says what it found instead, which is
kept here for the answer's next try. So what is kept here can be out of date but never
makes an answer wrong; it only spares a round trip.

It holds what the drafts table holds (answers under a draft key, never who gave them), for
an hour at most after the last save, and at most ``MOST`` drafts: a draft this process
sends or deletes goes at once, and one abandoned, deleted by another process or purged
goes within the hour.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

MOST = 1024
"""Drafts kept at most (the least recently saved go first)."""
LONGEST = 3600.0
"""Seconds a draft is kept after its last save: a citizen back after longer is read."""

Row = tuple[Any, ...]
"""As the read gives it: questionnaire version, position, answers, updated_at."""


class RecentDrafts:
    def __init__(
        self,
        most: int = MOST,
        longest: float = LONGEST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._most, self._longest, self._clock = most, longest, clock
        self._kept: dict[str, tuple[float, str, Row]] = {}
        """In the order they were kept: the oldest first."""

    def get(self, key: str) -> tuple[str, Row] | None:
        """The draft's row's version and the row, as this process last saved (or found) it."""
        self._forget_old()
        kept = self._kept.get(key)
        return None if kept is None else (kept[1], kept[2])

    def keep(self, key: str, version: str, row: Row) -> None:
        self._kept.pop(key, None)
        self._kept[key] = (self._clock(), version, row)
        if len(self._kept) > self._most:
            del self._kept[next(iter(self._kept))]

    def forget(self, key: str) -> None:
        self._kept.pop(key, None)

    def _forget_old(self) -> None:
        since = self._clock() - self._longest
        while self._kept:
            oldest = next(iter(self._kept))
            if self._kept[oldest][0] >= since:
                return
            del self._kept[oldest]

    def __len__(self) -> int:
        self._forget_old()
        return len(self._kept)
