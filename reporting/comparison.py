"""Section 7: key figures of this period beside the same whole months before, with the change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from reporting import metrics
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
    from reporting.compose import Composer, Inputs


def comparison(c: Composer, data: Inputs) -> Section:
    from reporting.compose import day

    previous = data.period.previous()
    title = c.t("sections.comparison")
    if data.previous.empty:
        note = c.t("comparison.none", start=day(previous.start), end=day(previous.end))
        return Section(title, (Paragraph(note),))
    now = key_figures(c, data.frame, data.applications)
    before = key_figures(c, data.previous, data.previous_applications)
    rows = tuple(
        (_label(c, key), now[key], before[key], change(now[key], before[key])) for key in now
    )
    header = (
        c.col("metric"),
        f"{c.col('current')} ({day(data.period.start)} – {day(data.period.end)})",
        f"{c.col('previous')} ({day(previous.start)} – {day(previous.end)})",
        c.col("change"),
    )
    table = Table(
        "comparison", c.t("comparison.table"), header, rows, sheet=c.t("sheets.comparison")
    )
    return Section(title, (table, Paragraph(c.t("comparison.change_note"), style="note")))


def key_figures(
    c: Composer, frame: pd.DataFrame, applications: Mapping[str, int]
) -> dict[str, Cell]:
    """In the public version a share or average that would give a hidden count away is "–"."""
    roles = c.roles
    totals = metrics.totals(frame, applications, roles)
    scale = {q: metrics.distribution(frame, c.questionnaire.get(q)) for q in roles.scales}

    def safe(question: str) -> bool:
        if not c.public:
            return True
        table = question_table(c, frame, c.questionnaire.get(question))
        return not hide(table, c.k).all

    def share(value: float | None, question: str) -> Cell:
        return NONE if value is None or not safe(question) else Percent(value)

    figures: dict[str, Cell] = {
        "responses": _count(c, totals.responses),
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
        figures["filled"] = _count(c, metrics.suggestions(frame, [], roles.suggestions).filled)
    return figures


def _label(c: Composer, key: str) -> str:
    """The report's own words for a figure, or "<question title> (top two)" for a scale of
    another questionnaire."""
    if c.texts.has(f"comparison.{key}"):
        return c.t(f"comparison.{key}")
    question, _, kind = key.rpartition("_")
    title = c.words.t(f"questions.{question}.title")
    return c.t(f"comparison.any_{kind}", title=title)


def _count(c: Composer, n: int) -> Cell:
    return f"<{c.k}" if c.public and 0 < n < c.k else n


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
