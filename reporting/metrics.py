"""Figures of a report: pure functions of the response frame, tested with tiny frames."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from bot.questionnaire.kinds.base import ReportTable
from bot.questionnaire.model import SERVICE, Question
from reporting.roles import Roles

GENDERS = ("female", "male", "undisclosed")


@dataclass(frozen=True)
class ServiceRow:
    service: str
    applications: int | None
    feedback: int
    by_gender: dict[str, int]


@dataclass(frozen=True)
class Totals:
    responses: int
    applications: int | None
    by_gender: dict[str, int]
    rate_responses: int = 0
    """Responses counted in the rate: those of the services with application figures, or
    all of them when every service that was answered about has its figures."""
    covered: int = 0
    """Services with application figures (the rate is about them)."""
    complete: bool = True
    """Every service people answered about has application figures."""

    @property
    def rate(self) -> float | None:
        """Response rate, or ``None`` when no application figures were entered."""
        return self.rate_responses / self.applications if self.applications else None


@dataclass(frozen=True)
class Distribution:
    question: str
    counts: dict[str, int]
    answered: int
    top2: float | None
    mean: float | None


def _column(frame: pd.DataFrame, question: str | None, missing: str) -> pd.Series:
    """A question's answers, or ``missing`` for every response when the questionnaire has
    no question of that role."""
    if question is None or question not in frame:
        return pd.Series([missing] * len(frame), index=frame.index, dtype=object)
    return frame[question].fillna(missing)


def totals(frame: pd.DataFrame, applications: Mapping[str, int], roles: Roles) -> Totals:
    """The rate never divides all responses by part of the applications: when figures are
    missing for a service people answered about, it counts only the services that have them
    (responses whose service is unknown cannot be counted then)."""
    gender = _column(frame, roles.gender, "undisclosed").value_counts()
    answered = _column(frame, roles.service, "other").value_counts()
    covered = {s for s, n in applications.items() if n > 0}
    missing = [s for s in answered.index if s != "other" and s not in covered]
    complete = not missing
    counted = len(frame) if complete else int(sum(answered.get(s, 0) for s in covered))
    return Totals(
        responses=len(frame),
        applications=sum(applications[s] for s in covered) if covered else None,
        by_gender={g: int(gender.get(g, 0)) for g in GENDERS},
        rate_responses=counted,
        covered=len(covered),
        complete=complete,
    )


def service_rows(
    frame: pd.DataFrame, services: Sequence[str], applications: Mapping[str, int], roles: Roles
) -> list[ServiceRow]:
    """One row per service that had applications or feedback, in questionnaire order."""
    table = pd.crosstab(
        _column(frame, roles.service, "other"), _column(frame, roles.gender, "undisclosed")
    )
    rows = []
    for service in services:
        had_feedback = service in table.index
        if not had_feedback and service not in applications:
            continue
        by_gender = {
            g: int(table.at[service, g]) if had_feedback and g in table.columns else 0
            for g in GENDERS
        }
        rows.append(
            ServiceRow(service, applications.get(service), sum(by_gender.values()), by_gender)
        )
    return rows


def channel_counts(frame: pd.DataFrame, channels: Sequence[str]) -> dict[str, int]:
    """Every known channel, zeros included: a channel that brought nothing is a finding."""
    counts = frame["channel"].value_counts()
    known = {channel: int(counts.get(channel, 0)) for channel in channels}
    extra = {str(c): int(n) for c, n in counts.items() if c not in known}
    return known | extra


def with_answered(codes: Sequence[str], frame: pd.DataFrame, column: str | None) -> tuple[str, ...]:
    """The listed codes, then any other code the responses hold (a service the municipality
    has since removed from its list keeps its place in the reports of its periods)."""
    if column is None or column not in frame:
        return tuple(codes)
    found = [code for code in frame[column].dropna().unique() if isinstance(code, str)]
    return tuple(dict.fromkeys([*codes, *sorted(c for c in found if c not in codes)]))


NUMBER_ROWS = 12
"""A number question with more distinct answers than this is shown in ranges."""


def distribution(frame: pd.DataFrame, question: Question, public: bool = False) -> Distribution:
    """Counts per option (per ticked option for several answers: their shares add up to
    more than 100%), per value or range for numbers; top-2-box and mean for scales.
    ``public``: numbers only in round ranges (no one's exact age or income as a label)."""
    values = frame[question.id].dropna() if question.id in frame else pd.Series(dtype=object)
    if question.kind.several:
        ticked: Counter[str] = Counter(code for v in values for code in str(v).split())
        counts = {code: ticked.get(code, 0) for code in question.options}
        return Distribution(question.id, counts, int(values.size), None, None)
    if question.kind.report is ReportTable.NUMBERS:
        numbers = pd.to_numeric(values, errors="coerce").dropna()
        if public:
            mean = float(numbers.mean()) if numbers.size else None
            counts = round_ranges(numbers, whole=not question.decimal)
            return Distribution(question.id, counts, int(numbers.size), None, mean)
        return _numbers(question, numbers)
    counts = values.value_counts()
    codes = question.options
    if question.role == SERVICE:  # a service answered in the period, since removed
        codes = with_answered(codes, frame, question.id)
    ordered = {code: int(counts.get(code, 0)) for code in codes}
    answered = int(values.size)
    top2 = mean = None
    if question.kind.scored and answered:
        best = sorted(question.options, key=int)[-2:]
        top2 = sum(ordered[code] for code in best) / answered
        mean = float(values.astype(int).mean())
    return Distribution(question.id, ordered, answered, top2, mean)


OTHER_MONTHS = "other"
"""The row of the dates outside the report's period (a visit before it began)."""


def months(start: date, end: date) -> list[str]:
    """Each month the period touches, as ``2025-07``."""
    found, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def month_distribution(frame: pd.DataFrame, question: Question, period: list[str]) -> Distribution:
    """A date question's answers counted by month of the period, every month a row (a month
    nobody named is a finding too); dates outside it in one row, shown only when there are
    any. Only the month is shown: a day with a count of one could name a visit."""
    values = frame[question.id].dropna() if question.id in frame else pd.Series(dtype=object)
    named = Counter(str(v)[:7] for v in values)
    counts = {month: named.pop(month, 0) for month in period or sorted(named)}
    if named:
        counts[OTHER_MONTHS] = sum(named.values())
    return Distribution(question.id, counts, int(values.size), None, None)


def _numbers(question: Question, numbers: pd.Series) -> Distribution:
    mean = float(numbers.mean()) if numbers.size else None
    distinct = sorted(numbers.unique())
    if len(distinct) <= NUMBER_ROWS:
        counts = numbers.value_counts()
        ordered = {_shown(v): int(counts[v]) for v in distinct}
    else:
        bins = pd.cut(numbers, NUMBER_ROWS // 2)
        counted = bins.value_counts(sort=False)
        ordered = {
            f"{_shown(interval.left)}–{_shown(interval.right)}": int(n)
            for interval, n in counted.items()
        }
    return Distribution(question.id, ordered, int(numbers.size), None, mean)


PUBLIC_RANGES = 6
"""At most this many ranges of a number question in the public report."""


def round_ranges(numbers: pd.Series, whole: bool) -> dict[str, int]:
    """Counts in ranges whose edges are round numbers (multiples of 1, 2 or 5 × 10ⁿ), not
    answers: an exact value, or the smallest and largest answer that ``pd.cut`` would print
    as its edges, can be one person's age or income. A range always spans more than one
    whole number, so no label is a single answer; the empty ranges between stay printed."""
    if not numbers.size:
        return {}
    low, high = float(numbers.min()), float(numbers.max())
    width = _round_width(low, high, whole)
    first = math.floor(low / width) * width
    count = math.floor((high - first) / width) + 1
    index = ((numbers - first) // width).astype(int).clip(0, count - 1).value_counts()
    ranges = {}
    for n in range(count):
        start = first + n * width
        end = start + width - 1 if whole else start + width  # whole: 20–29; else 2–3 (< 3)
        ranges[f"{_shown(start)}–{_shown(end)}"] = int(index.get(n, 0))
    return ranges


def _round_width(low: float, high: float, whole: bool) -> int:
    """The smallest round width giving at most ``PUBLIC_RANGES`` ranges (2 for whole
    numbers, so "3–3" never names one answer; 1 for decimals: "2–3" is a span)."""
    exponent = 0
    while True:
        for mantissa in (1, 2, 5):
            width = mantissa * 10**exponent
            if whole and width < 2:
                continue
            first = math.floor(low / width) * width
            if math.floor((high - first) / width) + 1 <= PUBLIC_RANGES:
                return width
        exponent += 1


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


@dataclass(frozen=True)
class Suggestions:
    respondents: int
    filled: int
    by_category: dict[str, int]


def suggestions(
    frame: pd.DataFrame,
    categories: Sequence[str],
    text: str | None,
    found_in: str = "categories",
) -> Suggestions:
    """How many wrote ``text`` and how often each category was found, most frequent first
    (ties in the order of ``categories``)."""
    texts = _column(frame, text, "")
    filled = texts.map(lambda t: isinstance(t, str) and bool(t.strip())).astype(bool)
    counter: Counter[str] = Counter()
    for found in frame.loc[filled, found_in]:
        counter.update(found)
    ordered = sorted(categories, key=lambda c: (-counter.get(c, 0), categories.index(c)))
    return Suggestions(len(frame), int(filled.sum()), {c: counter.get(c, 0) for c in ordered})
