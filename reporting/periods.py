"""Report periods: quarters (``2025Q3``) or any two dates, and the period before."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

QUARTER = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")
RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:\.\.|–|—|-{1,2}|\s)\s*(\d{4}-\d{2}-\d{2})\s*$")


class PeriodError(ValueError):
    """Text that is not a period; the bot answers it with examples."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError("the period ends before it starts")

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        start = date(year, 3 * number - 2, 1)
        following = date(year + (number == 4), (3 * number) % 12 + 1, 1)
        return cls(start, following - timedelta(days=1))

    @property
    def quarter_label(self) -> str | None:
        q = (self.start.month - 1) // 3 + 1
        same = self.start.day == 1 and self.start.month % 3 == 1
        return (
            f"{self.start.year}Q{q}"
            if same and Period.quarter(self.start.year, q) == self
            else None
        )

    @property
    def label(self) -> str:
        return self.quarter_label or f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before; the previous quarter for a quarter."""
        if self.quarter_label:
            year, number = self.start.year, (self.start.month - 1) // 3 + 1
            return Period.quarter(year - (number == 1), (number - 2) % 4 + 1)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)


def parse_period(text: str) -> Period:
    if match := QUARTER.match(text):
        return Period.quarter(int(match[1]), int(match[2]))
    if match := RANGE.match(text):
        try:
            return Period(date.fromisoformat(match[1]), date.fromisoformat(match[2]))
        except ValueError as error:
            raise PeriodError(str(error)) from None
    raise PeriodError(f"not a period: {text!r}")


def last_complete_quarter(today: date) -> Period:
    number = (today.month - 1) // 3 + 1
    return Period.quarter(today.year, number).previous()


def last_week(today: date) -> Period:
    """Monday to Sunday of the week before ``today``'s week."""
    monday = today - timedelta(days=today.weekday() + 7)
    return Period(monday, monday + timedelta(days=6))
