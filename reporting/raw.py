"""The raw answers sheet: one row per response, readable without the questionnaire.

Each coded answer has its Georgian label in the next column; scale answers are numbers (so
AVERAGE works) and dates are dates. Two header rows: Georgian titles, then the stable codes.
Rows go by date, then by their answers: storage keeps no order of arrival, so any other order
would change from one printing to the next.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from bot.questionnaire.kinds.base import Exported
from bot.questionnaire.sections import titled
from reporting.count_tables import channel_name
from reporting.document import FrameRows, Table

if TYPE_CHECKING:
    from reporting.composer import Composer


def raw_table(composer: Composer, frame: pd.DataFrame) -> Table:
    frame = in_print_order(composer, frame)
    columns: dict[str, pd.Series] = {}
    titles: list[str] = []

    def add(code: str, title: str, values: pd.Series) -> None:
        columns[code] = values
        titles.append(title)

    add("response_id", composer.col("id"), frame["response_id"])
    add("submitted_on", composer.col("date"), frame["submitted_on"].dt.date)
    add("channel", composer.col("channel_code"), frame["channel"])
    names = {code: channel_name(composer, code) for code in frame["channel"].dropna().unique()}
    add("channel_label", composer.col("channel"), frame["channel"].map(names))
    add("questionnaire_version", composer.col("version"), frame["questionnaire_version"])
    for question in composer.questionnaire.answerable():
        title = titled(question, composer.words)  # after its section's label
        values = frame[question.id]
        add(question.id, title, exported(question.kind.exported, values))
        if question.kind.buttons:
            service = question.id == composer.roles.service
            labels = {
                code: composer.option(question.id, code)
                if service
                else composer.words.t(f"options.{question.id}.{code}")
                for code in question.options
            }
            if question.kind.several:  # several codes: their labels, in order
                label = values.map(
                    lambda v, known=labels: (
                        "; ".join(known.get(code, code) for code in v.split())
                        if isinstance(v, str)
                        else None
                    )
                )
            else:
                label = values.map(
                    lambda v, known=labels: known.get(v) if isinstance(v, str) else None
                )
            add(f"{question.id}_label", composer.t("columns.label_of", title=title), label)
    data = pd.DataFrame(columns)
    return Table(
        "raw",
        composer.t("sheets.raw"),
        tuple(titles),
        FrameRows(data),
        sheet=composer.t("sheets.raw"),
        subheader=tuple(columns),
    )


def exported(kind: Exported, values: pd.Series) -> pd.Series:
    """Numbers as numbers, so a spreadsheet's AVERAGE works (a scale's whole, a typed
    number's real); anything else as stored."""
    if kind is Exported.INTEGER:
        return pd.to_numeric(values, errors="coerce").astype("Int64")
    if kind is Exported.REAL:
        return pd.to_numeric(values, errors="coerce")
    return values


def in_print_order(composer: Composer, frame: pd.DataFrame) -> pd.DataFrame:
    """By day, then channel, then each answer in the questionnaire's order (blanks last)."""
    keys = ["submitted_on", "channel"] + [
        q.id for q in composer.questionnaire.answerable() if q.id in frame
    ]
    keys = [key for key in keys if key in frame]
    text = frame[keys].astype("string")
    order = text.sort_values(keys, na_position="last", kind="stable").index
    return frame.loc[order].reset_index(drop=True)
