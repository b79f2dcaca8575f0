"""The "what we changed" entries: what a municipality did about what residents asked.

An analyst writes each entry (what was asked, what was decided, its status and date, the
categories of suggestions it answers); the results page, its feed and the subscribers' news
print them. They are the municipality's own words about its decisions, never a resident's,
so they carry nothing of any response.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


class Status(enum.Enum):
    """Where a decision stands; a citizen reads it as a word, never as a code."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @classmethod
    def typed(cls, text: str) -> Status | None:
        """What an analyst types (``in-progress`` or ``in_progress``), or ``None``."""
        wanted = text.strip().lower().replace("-", "_").replace(" ", "_")
        return next((status for status in cls if status.value == wanted), None)


@dataclass(frozen=True)
class ChangeEntry:
    id: str
    asked: str
    """What residents asked for, in the analyst's words."""
    decided: str
    status: Status
    on: date
    """The day the status was last set (a day only, as everything stored)."""
    categories: tuple[str, ...] = ()
    """The suggestion categories it answers (``reporting.categories`` codes)."""


def newest_first(entries: Sequence[ChangeEntry]) -> list[ChangeEntry]:
    """The order every list prints them in: the latest news on top, then by id (stable)."""
    return sorted(entries, key=lambda e: (e.on, e.id), reverse=True)
