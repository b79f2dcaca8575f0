"""Section 7: key figures of this period beside the same whole months before, with the change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from reporting import metrics
from reporting.composer import day
from reporting.count_tables import question_table
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
    hide,
)

if TYPE_CHECKING:
    from reporting.composer import Composer, Inputs


def comparison(composer: Composer, data: Inputs) -> Section:
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
    """In the public version a share or average that would give a hidden count away is "–"."""
    roles = composer.roles
    totals = metrics.totals(frame, applications, roles)
    scale = {q: metrics.distribution(frame, composer.questionnaire.get(q)) for q in roles.scales}

    def safe(question: str) -> bool:
        if not composer.public:
            return True
        table = question_table(composer, frame, composer.questionnaire.get(question))
        return not hide(table, composer.k).all

    def share(value: float | None, question: str) -> Cell:
        return NONE if value is None or not safe(question) else Percent(value)

    figures: dict[str, Cell] = {
        "responses": _count(composer, totals.responses),
        "applications": NONE if totals.applications is None else totals.applications,
        "rate": NONE if totals.rate is None else Percent(totals.rate),
    }
    main = roles.satisfaction
    if main in scale:
        mean = scale[main].mean
        figures[f"{main}_mean"] = NONE if mean is None or not safe(main) else Mean(mean)
    for question in sorted(scale, key=lambda q: q != main):  # the main scale first
        figures[f"{question}_top2"] = share(scale[question].top2, question)
    if roles.suggestions:
        figures["filled"] = _count(
            composer, metrics.suggestions(frame, [], roles.suggestions).filled
        )
    return figures


def _label(composer: Composer, key: str) -> str:
    """The report's own words for a figure, or "<question title> (top two)" for a scale of
    another questionnaire."""
    if composer.texts.has(f"comparison.{key}"):
        return composer.t(f"comparison.{key}")
    question, _, kind = key.rpartition("_")
    title = composer.words.t(f"questions.{question}.title")
    return composer.t(f"comparison.any_{kind}", title=title)


def _count(composer: Composer, n: int) -> Cell:
    return f"<{composer.k}" if composer.public and 0 < n < composer.k else n


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
