"""The staff dashboard's figures: pure functions of a period's response frame.

Each figure is a one-way table (its rows and their total) that a page prints as a table and
as an SVG chart (``reporting.svg_charts``). For a member of staff who may not see raw counts
(a viewer, a national analyst), ``k`` is the municipality's ``PUBLIC_MIN_COUNT`` and the
table is suppressed exactly as a public table is (``reporting.suppression``: ``<k`` for a
small count, ``x`` for a cell hidden so that a small one cannot be worked out from the
total); a chart draws no bar for a hidden cell. ``k=None``: the raw figures (analysts and
admins, who read the internal report anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from bot.questionnaire.model import Question
from bot.questionnaire.periods import Period
from reporting.suppression import choose
from reporting.svg_charts import Bar

SECONDARY = "x"


@dataclass(frozen=True)
class Counted:
    """A one-way table: its rows (label, printed figure, drawn value) and its total."""

    bars: tuple[Bar, ...]
    total: str
    withheld: bool = False
    """Every count is small: nothing of it can be printed safely (all ``x``)."""

    @property
    def hides(self) -> bool:
        return self.withheld or any(bar.value is None for bar in self.bars)


def counted(rows: Sequence[tuple[str, int]], k: int | None) -> Counted:
    """``rows``: (label, count); the total is their sum."""
    total = sum(n for _, n in rows)
    if k is None:
        return Counted(tuple(Bar(label, n, str(n)) for label, n in rows), str(total))
    cells = {(i, 0): n for i, (_, n) in enumerate(rows)}
    whole = (len(rows), 0)
    hidden = choose({**cells, whole: total}, [(whole, tuple(cells))], k)
    if hidden.withheld:
        return Counted(tuple(Bar(label, None, SECONDARY) for label, _ in rows), SECONDARY, True)

    def mark(cell: tuple[int, int], n: int) -> str:
        if cell in hidden.primary:
            return f"<{k}"
        return SECONDARY if cell in hidden.secondary else str(n)

    bars = tuple(
        Bar(label, None if (i, 0) in hidden else n, mark((i, 0), n))
        for i, (label, n) in enumerate(rows)
    )
    return Counted(bars, mark(whole, total))


def weeks(frame: pd.DataFrame, period: Period, today: date) -> list[tuple[date, int]]:
    """Forms per week (Monday to Sunday) from the period's first week to today's, empty
    weeks included: a week nobody answered in is a finding too."""
    last = min(today, period.end)
    monday = period.start - timedelta(days=period.start.weekday())
    days = pd.to_datetime(frame["submitted_on"]).dt.date if len(frame) else pd.Series([])
    counts = [d - timedelta(days=d.weekday()) for d in days]
    found = []
    while monday <= last:
        found.append((monday, sum(1 for c in counts if c == monday)))
        monday += timedelta(days=7)
    return found


def confirmed_and_open(frame: pd.DataFrame) -> tuple[int, int]:
    """Forms begun with a desk's receipt slip (or typed in from paper), and the others."""
    if "confirmed" not in frame or not len(frame):
        return 0, len(frame)
    confirmed = int(frame["confirmed"].fillna(False).astype(bool).sum())
    return confirmed, len(frame) - confirmed


@dataclass(frozen=True)
class Share:
    """A scale's top-two share in one quarter, as printed (``""``: too few answers)."""

    quarter: str
    answered: str
    percent: int | None


def top_two(
    frame: pd.DataFrame, question: Question, quarters: Sequence[Period], k: int | None
) -> list[Share]:
    """Per quarter: the share of the two best answers of a scale; a quarter with fewer than
    ``k`` answers (any ``k``: one answer is no share) prints no share."""
    least = k or 1
    shares = []
    days = pd.to_datetime(frame["submitted_on"]).dt.date if len(frame) else pd.Series([])
    for quarter in quarters:
        inside = frame[[quarter.start <= d <= quarter.end for d in days]] if len(frame) else frame
        values = inside[question.id].dropna() if question.id in inside else pd.Series([])
        best = sorted(question.options, key=int)[-2:]
        answered = int(values.size)
        good = int(values.astype(str).isin(best).sum()) if answered else 0
        percent = round(100 * good / answered) if answered >= least else None
        small = k is not None and 0 < answered < k
        shares.append(Share(quarter.label, f"<{k}" if small else str(answered), percent))
    return shares
