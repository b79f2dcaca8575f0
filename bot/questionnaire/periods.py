"""Report periods: the municipality's quarters (``2025Q1``) or any two dates, and the one before.

A municipality's quarters are its own: Ambrolauri's first report covered June–August, so its
quarters are Jun–Aug, Sep–Nov, Dec–Feb and Mar–May (``QUARTER_START_MONTH=6``). ``2025Q1`` is
the first quarter of the reporting year that starts in that month of 2025; with
``QUARTER_START_MONTH=1`` the names are the calendar's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

QUARTER = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")
YEAR = re.compile(r"^\s*(\d{4})\s*$")
"""The municipality's reporting year: its four quarters (``2025``: 2025Q1 … 2025Q4)."""
DAY = r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}"
"""A day as ISO or as the reports print it (``01.06.2025``)."""
RANGE = re.compile(rf"^\s*({DAY})\s*(?:\.\.|–|—|-{{1,2}}|\s)\s*({DAY})\s*$")
DEFAULT_QUARTER_START = 6
"""Ambrolauri's quarters (seed 000: 1 June – 31 August), as the other defaults are its own."""


class PeriodError(ValueError):
    """Text that is not a period; the bot answers it with examples."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    name: str | None = field(default=None, compare=False)
    """``2025Q1`` when the period was asked for as a quarter; dates were asked for as dates."""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError("the period ends before it starts")

    @property
    def quarter_label(self) -> str | None:
        return self.name

    @property
    def label(self) -> str:
        return self.name or f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def typed(self) -> str:
        """How to type this period in a command: ``2025Q1`` or ``2025-06-01..2025-08-31``."""
        return self.name or f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> int | None:
        """How many whole calendar months the period is, or ``None`` if it is not."""
        if self.start.day != 1 or (self.end + timedelta(days=1)).day != 1:
            return None
        after = self.end + timedelta(days=1)
        return (after.year - self.start.year) * 12 + after.month - self.start.month

    def previous(self) -> Period:
        """The same whole months just before (the previous quarter for a quarter), so
        application figures entered for them are found; otherwise as many days before."""
        months = self.whole_months
        if months is None:
            end = self.start - timedelta(days=1)
            return Period(end - timedelta(days=self.days - 1), end)
        start = shift_months(self.start, -months)
        return Period(start, self.start - timedelta(days=1), _previous_name(self.name))

    def has_ended(self, today: date) -> bool:
        return self.end < today


def shift_months(day: date, months: int) -> date:
    """The first of the month ``months`` away from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _previous_name(name: str | None) -> str | None:
    if name is not None and (whole := YEAR.match(name)):
        return str(int(whole[1]) - 1)
    if name is None or not (match := QUARTER.match(name)):
        return None
    year, number = int(match[1]), int(match[2])
    return f"{year - 1}Q4" if number == 1 else f"{year}Q{number - 1}"


@dataclass(frozen=True)
class Quarters:
    """The municipality's quarters, from the month its first quarter starts in."""

    first_month: int = DEFAULT_QUARTER_START

    def __post_init__(self) -> None:
        if not 1 <= self.first_month <= 12:
            raise ValueError("the quarter start month is 1 to 12")

    def quarter(self, year: int, number: int) -> Period:
        start = shift_months(date(year, self.first_month, 1), 3 * (number - 1))
        end = shift_months(start, 3) - timedelta(days=1)
        return Period(start, end, f"{year}Q{number}")

    def year(self, year: int) -> Period:
        """The reporting year: its four quarters, from the first quarter's start month."""
        start = date(year, self.first_month, 1)
        return Period(start, shift_months(start, 12) - timedelta(days=1), str(year))

    def year_containing(self, day: date) -> Period:
        return self.year(int(self.containing(day).label[:4]))

    def containing(self, day: date) -> Period:
        months = (day.year * 12 + day.month - 1) - (day.year * 12 + self.first_month - 1)
        year = day.year if months >= 0 else day.year - 1
        return self.quarter(year, (months % 12) // 3 + 1)

    def last_complete(self, today: date) -> Period:
        return self.containing(today).previous()

    def start_months(self) -> tuple[int, ...]:
        """The months a quarter starts in, in calendar order (when the last one is complete)."""
        return tuple(sorted((self.first_month - 1 + 3 * n) % 12 + 1 for n in range(4)))

    def parse(self, text: str) -> Period:
        if match := QUARTER.match(text):
            return self.quarter(int(match[1]), int(match[2]))
        if match := YEAR.match(text):
            return self.year(int(match[1]))
        if match := RANGE.match(text):
            return Period(parse_day(match[1]), parse_day(match[2]))
        raise PeriodError(f"not a period: {text!r}")


def parse_day(text: str) -> date:
    """``2025-06-01`` or ``01.06.2025`` (``1.6.2025``); ``PeriodError`` for anything else."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text):
            day, month, year = (int(part) for part in text.split("."))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError as error:
        raise PeriodError(str(error)) from None


def parse_period(text: str, quarters: Quarters = Quarters()) -> Period:
    return quarters.parse(text)


def last_complete_quarter(today: date, quarters: Quarters = Quarters()) -> Period:
    return quarters.last_complete(today)


def last_week(today: date) -> Period:
    """Monday to Sunday of the week before ``today``'s week."""
    monday = today - timedelta(days=today.weekday() + 7)
    return Period(monday, monday + timedelta(days=6))
