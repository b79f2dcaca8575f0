"""Figures of a report: pure functions of the response frame, tested with tiny frames."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from bot.questionnaire.model import Kind, Question

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

    @property
    def rate(self) -> float | None:
        """Response rate, or ``None`` when no application figures were entered."""
        return self.responses / self.applications if self.applications else None


@dataclass(frozen=True)
class Distribution:
    question: str
    counts: dict[str, int]
    answered: int
    top2: float | None
    mean: float | None


def totals(frame: pd.DataFrame, applications: Mapping[str, int]) -> Totals:
    gender = frame["gender"].value_counts()
    return Totals(
        responses=len(frame),
        applications=sum(applications.values()) if applications else None,
        by_gender={g: int(gender.get(g, 0)) for g in GENDERS},
    )


def service_rows(
    frame: pd.DataFrame, services: Sequence[str], applications: Mapping[str, int]
) -> list[ServiceRow]:
    """One row per service that had applications or feedback, in questionnaire order."""
    table = pd.crosstab(frame["service"].fillna("other"), frame["gender"].fillna("undisclosed"))
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


def distribution(frame: pd.DataFrame, question: Question) -> Distribution:
    values = frame[question.id].dropna()
    counts = values.value_counts()
    ordered = {code: int(counts.get(code, 0)) for code in question.options}
    answered = int(values.size)
    top2 = mean = None
    if question.kind is Kind.SCALE and answered:
        best = sorted(question.options, key=int)[-2:]
        top2 = sum(ordered[code] for code in best) / answered
        mean = float(values.astype(int).mean())
    return Distribution(question.id, ordered, answered, top2, mean)


@dataclass(frozen=True)
class Suggestions:
    respondents: int
    filled: int
    by_category: dict[str, int]


def suggestions(frame: pd.DataFrame, categories: Sequence[str]) -> Suggestions:
    filled = frame["suggestions"].map(lambda t: isinstance(t, str) and bool(t.strip())).astype(bool)
    counter: Counter[str] = Counter()
    for found in frame.loc[filled, "categories"]:
        counter.update(found)
    return Suggestions(len(frame), int(filled.sum()), {c: counter.get(c, 0) for c in categories})
