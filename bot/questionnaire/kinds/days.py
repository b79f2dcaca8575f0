"""Dates and times as people in Georgia write them, read without a clock.

``12.08.2026``, ``12/08/2026``, ``12-08-2026``, ``2026-08-12``, ``12.08.26``, ``12 აგვისტო
2026``, ``12 აგვისტოს`` (a month's name in any of its endings); a day without its year takes
the year of ``today``, which the adapter gives, never a clock read here. Times: ``14:30``,
``14.30``, ``14 30``, ``9:05``. What is stored is ISO (``2026-08-12``, ``14:30``), so a
spreadsheet sorts it; what a citizen reads back is ``12.08.2026``.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = ("იან", "თებ", "მარ", "აპრ", "მაი", "ივნ", "ივლ", "აგვ", "სექ", "ოქტ", "ნოე", "დეკ")
"""The first letters of each month's Georgian name: enough to tell them apart in any case
ending (``აგვისტო``, ``აგვისტოს``, ``აგვისტოში``)."""
NUMERIC = re.compile(r"(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?")
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
NAMED = re.compile(r"(\d{1,2})\s+(\w+)(?:\s+(\d{4}))?(?:\s*წ(?:\.|ელი|ლის)?)?")
TIME = re.compile(r"(\d{1,2})\s*[:.\s]\s*(\d{2})")
CENTURY = 2000


class Unclear(ValueError):
    """What was typed is no date (or time) we can read: ``code`` names the problem."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def read_date(text: str, today: date | None) -> date:
    """The day ``text`` names; ``Unclear`` ("date_format", "date_year", "date_invalid")."""
    typed = " ".join(text.strip().lower().rstrip(".").split())
    if found := ISO.fullmatch(typed):
        year, month, day = (int(part) for part in found.groups())
    elif found := NUMERIC.fullmatch(typed):
        day, month = int(found[1]), int(found[2])
        year = _year(found[3], today)
    elif (found := NAMED.fullmatch(typed)) and (month := _month(found[2])):
        day, year = int(found[1]), _year(found[3], today)
    else:
        raise Unclear("date_format")
    try:
        return date(year, month, day)
    except ValueError:
        raise Unclear("date_invalid") from None


def _year(written: str | None, today: date | None) -> int:
    if written is None:
        if today is None:  # an import has no "this year" to give
            raise Unclear("date_year")
        return today.year
    return int(written) + (CENTURY if len(written) == 2 else 0)


def _month(word: str) -> int:
    """The month a Georgian word names (1–12), or 0."""
    return next((n for n, stem in enumerate(MONTHS, 1) if word.startswith(stem)), 0)


def read_time(text: str) -> str:
    """``HH:MM``; ``Unclear("time_format")`` for anything else, ``25:00`` included."""
    found = TIME.fullmatch(text.strip())
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise Unclear("time_format")
    return f"{int(found[1]):02d}:{found[2]}"


def shown_date(stored: str) -> str:
    """``2026-08-12`` as ``12.08.2026``; anything else as it is."""
    found = ISO.fullmatch(stored)
    return f"{int(found[3]):02d}.{int(found[2]):02d}.{found[1]}" if found else stored
