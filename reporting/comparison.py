"""Section 7 of the internal report: key figures of this period beside the same whole months
before, with the change. Never public: the earlier period is counted again here, outside
the ledger audit, so a late paper form would show through (``reporting.compose``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from reporting import metrics
from reporting.composer import day
from reporting.document import (
    NONE,
    Cell,
    Change,
    DecimalChange,
    Mean,
    Paragraph,
    Percent,
    Section,
    Table,
)

if TYPE_CHECKING:
    from reporting.composer import Composer, Inputs


def comparison(composer: Composer, data: Inputs) -> Section:
    assert not composer.public, "the comparison is outside the ledger audit: internal only"
    previous = data.period.previous()
    title = composer.t("sections.comparison")
    if data.previous.empty:
        note = composer.t("comparison.none", start=day(previous.start), end=day(previous.end))
        return Section(title, (Paragraph(note),))
    now = key_figures(composer, data.frame, data.applications)
    before = key_figures(composer, data.previous, data.previous_applications)
    rows = tuple(
        (_label(composer, key), now[key], before[key], change(now[key], before[key])) for key in now
    )
    header = (
        composer.col("metric"),
        f"{composer.col('current')} ({day(data.period.start)} – {day(data.period.end)})",
        f"{composer.col('previous')} ({day(previous.start)} – {day(previous.end)})",
        composer.col("change"),
    )
    table = Table(
        "comparison",
        composer.t("comparison.table"),
        header,
        rows,
        sheet=composer.t("sheets.comparison"),
    )
    return Section(title, (table, Paragraph(composer.t("comparison.change_note"), style="note")))


def key_figures(
    composer: Composer, frame: pd.DataFrame, applications: Mapping[str, int]
) -> dict[str, Cell]:
    """The period's figures as the analysts read them (an unknown one is "–")."""
    roles = composer.roles
    totals = metrics.totals(frame, applications, roles)
    scale = {q: metrics.distribution(frame, composer.questionnaire.get(q)) for q in roles.scales}

    def share(value: float | None) -> Cell:
        return NONE if value is None else Percent(value)

    figures: dict[str, Cell] = {
        "responses": totals.responses,
        "applications": NONE if totals.applications is None else totals.applications,
        "rate": NONE if totals.rate is None else Percent(totals.rate),
    }
    main = roles.satisfaction
    if main in scale:
        mean = scale[main].mean
        figures[f"{main}_mean"] = NONE if mean is None else Mean(mean)
    for question in sorted(scale, key=lambda q: q != main):  # the main scale first
        figures[f"{question}_top2"] = share(scale[question].top2)
    if roles.suggestions:
        figures["filled"] = metrics.suggestions(frame, [], roles.suggestions).filled
    return figures


def _label(composer: Composer, key: str) -> str:
    """The report's own words for a figure, or "<question title> (top two)" for a scale of
    another questionnaire."""
    if composer.texts.has(f"comparison.{key}"):
        return composer.t(f"comparison.{key}")
    question, _, kind = key.rpartition("_")
    title = composer.words.t(f"questions.{question}.title")
    return composer.t(f"comparison.any_{kind}", title=title)


def change(now: Cell, before: Cell) -> Cell:
    """Counts as a difference, shares in percentage points, averages with one decimal; of
    the figures as printed, so the column agrees with what stands beside it."""
    if isinstance(now, Percent) and isinstance(before, Percent):
        return Change(round(now * 100) - round(before * 100))
    if isinstance(now, Mean) and isinstance(before, Mean):
        return DecimalChange(round(round(now, 1) - round(before, 1), 1))
    if isinstance(now, int) and isinstance(before, int):
        return Change(now - before)
    return NONE
