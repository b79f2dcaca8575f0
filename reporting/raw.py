"""The raw answers sheet: one row per response, readable without the questionnaire.

Each coded answer has its Georgian label in the next column; scale answers are numbers (so
AVERAGE works) and dates are dates. Two header rows: Georgian titles, then the stable codes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from bot.questionnaire.model import Kind
from reporting.count_tables import channel_name
from reporting.document import FrameRows, Table

if TYPE_CHECKING:
    from reporting.compose import Composer


def raw_table(c: Composer, frame: pd.DataFrame) -> Table:
    columns: dict[str, pd.Series] = {}
    titles: list[str] = []

    def add(code: str, title: str, values: pd.Series) -> None:
        columns[code] = values
        titles.append(title)

    add("response_id", c.col("id"), frame["response_id"])
    add("submitted_on", c.col("date"), frame["submitted_on"].dt.date)
    add("channel", c.col("channel_code"), frame["channel"])
    names = {code: channel_name(c, code) for code in frame["channel"].dropna().unique()}
    add("channel_label", c.col("channel"), frame["channel"].map(names))
    add("questionnaire_version", c.col("version"), frame["questionnaire_version"])
    for question in c.questionnaire.answerable():
        title = c.words.t(f"questions.{question.id}.title")
        values = frame[question.id]
        if question.kind is Kind.SCALE:
            add(question.id, title, pd.to_numeric(values, errors="coerce").astype("Int64"))
        elif question.kind is Kind.NUMBER:  # real numbers, so AVERAGE works
            add(question.id, title, pd.to_numeric(values, errors="coerce"))
        else:
            add(question.id, title, values)
        if question.is_button_question():
            labels = {code: c.option(question.id, code) for code in question.options}
            if question.kind is Kind.SCALE:
                labels = {code: c.words.t(f"options.{question.id}.{code}") for code in labels}
            if question.kind is Kind.MULTI:  # several codes: their labels, in order
                label = values.map(
                    lambda v, known=labels: (
                        "; ".join(known.get(c, c) for c in v.split())
                        if isinstance(v, str)
                        else None
                    )
                )
            else:
                label = values.map(
                    lambda v, known=labels: known.get(v) if isinstance(v, str) else None
                )
            add(f"{question.id}_label", c.t("columns.label_of", title=title), label)
    data = pd.DataFrame(columns)
    return Table(
        "raw",
        c.t("sheets.raw"),
        tuple(titles),
        FrameRows(data),
        sheet=c.t("sheets.raw"),
        subheader=tuple(columns),
    )
