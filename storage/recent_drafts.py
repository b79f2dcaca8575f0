"""The drafts this process saved last, each with its row's version (PostgreSQL turns).

A citizen's next answer usually comes to the process that saved their last one. That
answer then needs no read: it is worked out from the draft as this process saved it, and
its one checked write (``storage.checked``) saves it only if the row is still that version.
If anything else changed the draft meanwhile (another process, ``/stop``, the purge), the
write changes nothing and the answer is worked out again from the database, as any stale
read is. So what is kept here can be out of date but never makes an answer wrong; it only
spares a round trip. It holds what the drafts table holds (answers under a draft key,
never who gave them), and only drafts in progress: a draft sent or deleted goes.
"""

from __future__ import annotations

from typing import Any

MOST = 1024
"""Drafts kept at most (the least recently saved go first): a few MB at the very most."""

Row = tuple[Any, ...]
"""As the read gives it: questionnaire version, position, answers, updated_at."""


class RecentDrafts:
    def __init__(self, most: int = MOST) -> None:
        self._most = most
        self._kept: dict[str, tuple[str, Row]] = {}

    def get(self, key: str) -> tuple[str, Row] | None:
        """The draft's row's version and the row, as this process last saved it."""
        return self._kept.get(key)

    def keep(self, key: str, version: str, row: Row) -> None:
        self._kept.pop(key, None)
        self._kept[key] = (version, row)
        if len(self._kept) > self._most:
            del self._kept[next(iter(self._kept))]

    def forget(self, key: str) -> None:
        self._kept.pop(key, None)

    def __len__(self) -> int:
        return len(self._kept)
