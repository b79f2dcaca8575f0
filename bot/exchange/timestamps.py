"""The dates and times Google Forms, Google Sheets and Excel write, read as the municipality's day.

Google Forms' own CSV writes ``2025/08/10 5:45:00 PM GMT+4``; Sheets writes the spreadsheet
locale's shape (``8/10/2025 17:45:00`` in English (US), ``10.08.2025 17:45:00`` in Georgian);
Excel and our own export write ISO dates. A slash date with the year last is month-first, as
Google writes it, unless the file itself shows it is day-first (a first number over 12).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

EARLIEST = date(2000, 1, 1)
"""Nothing the municipality collects is older; ``0001-01-01`` is a broken cell, not a form."""
FUTURE_GRACE = timedelta(days=1)

_MERIDIEM = {
    "am": "am",
    "a.m.": "am",
    "დილის": "am",
    "pm": "pm",
    "p.m.": "pm",
    "საღამოს": "pm",
    "შუადღის": "pm",
}
_SHAPE = re.compile(
    r"""^\s*
    (?P<a>\d{1,4})\s*[./-]\s*(?P<b>\d{1,2})\s*[./-]\s*(?P<c>\d{1,4})\.?  # the date
    (?:\s*,?\s*(?:T|\s)\s*                                               # then maybe a time
      (?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?
      \s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?|დილის|საღამოს|შუადღის)?
    )?
    \s*(?P<zone>Z|(?:GMT|UTC)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})?
    \s*$""",
    re.VERBOSE,
)
_OFFSET = re.compile(r"([+-])\s*(\d{1,2})(?::?(\d{2}))?")


@dataclass(frozen=True)
class Parts:
    year_first: bool
    a: int
    b: int
    c: int
    hour: int
    minute: int
    second: int
    zone: tzinfo | None


def _parts(text: str) -> Parts | None:
    match = _SHAPE.match(text)
    if match is None:
        return None
    a, b, c = int(match["a"]), int(match["b"]), int(match["c"])
    if len(match["a"]) == 4:
        year_first = True
    elif len(match["c"]) == 4:
        year_first = False
    else:
        return None
    hour, minute, second = int(match["h"] or 0), int(match["m"] or 0), int(match["s"] or 0)
    if match["ampm"]:
        meridiem = _MERIDIEM.get(match["ampm"].lower().replace(" ", ""), "")
        if meridiem == "" and match["ampm"].lower().startswith(("a", "p")):
            meridiem = "am" if match["ampm"].lower().startswith("a") else "pm"
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return Parts(year_first, a, b, c, hour, minute, second, _zone(match["zone"]))


def _zone(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text == "Z":
        return UTC
    offset = _OFFSET.search(text)
    if offset is None:
        return UTC  # "GMT" / "UTC" alone
    sign = -1 if offset[1] == "-" else 1
    delta = timedelta(hours=int(offset[2]), minutes=int(offset[3] or 0))
    return timezone(sign * delta)


@dataclass(frozen=True)
class DayReader:
    """Reads one file's timestamps the same way: the order of day and month is the file's."""

    local: tzinfo
    day_first: bool = False
    today: date | None = None

    @classmethod
    def for_values(cls, values: Iterable[str], local: tzinfo, today: date) -> DayReader:
        day_first = False
        for value in values:
            parts = _parts(value)
            if parts is None or parts.year_first or "/" not in value:
                continue
            if parts.a > 12 >= parts.b:
                day_first = True
                break
        return cls(local, day_first, today)

    def day(self, text: str) -> date | None:
        """The municipality's day of a timestamp; ``None`` when it is no plausible date."""
        parts = _parts(text)
        if parts is None:
            return None
        if parts.year_first:
            year, month, day = parts.a, parts.b, parts.c
        elif "/" in text.split()[0] and not self.day_first:
            month, day, year = parts.a, parts.b, parts.c
        else:
            day, month, year = parts.a, parts.b, parts.c
        try:
            moment = datetime(year, month, day, parts.hour, parts.minute, parts.second)
        except ValueError:
            return None
        if parts.zone is not None:
            moment = moment.replace(tzinfo=parts.zone).astimezone(self.local)
        found = moment.date()
        latest = (self.today or date.today()) + FUTURE_GRACE
        if not EARLIEST <= found <= latest:
            return None
        return found
