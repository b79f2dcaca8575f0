"""The count tables of the report: services, channels, confirmed and open forms, and each
question's answers.

They are all built before any sentence is written, so the public version can suppress them
together (``Composer.printed``); the sections then quote only what the tables print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from bot.questionnaire.kinds.base import ReportTable
from bot.questionnaire.model import Question
from bot.questionnaire.periods import Period
from reporting import metrics
from reporting.document import NONE, Percent, Table
from reporting.frame import confirmed_count

if TYPE_CHECKING:
    from reporting.composer import Composer, Inputs

RESPONDENTS = "respondents"
"""The figure several tables print (the number of responses): hidden in all or in none."""


def service_table(composer: Composer, data: Inputs) -> Table:
    totals = metrics.totals(data.frame, data.applications, composer.roles)
    services = metrics.with_answered(composer.services(), data.frame, composer.roles.service)
    rows = metrics.service_rows(data.frame, services, data.applications, composer.roles)
    body = [
        (
            composer.service_name(r.service),
            r.applications,
            r.feedback,
            _rate(r.feedback, r.applications),
            *(r.by_gender[g] for g in metrics.GENDERS),
        )
        for r in rows
    ]
    overall = Percent(totals.rate) if totals.rate is not None and totals.complete else NONE
    total = (
        composer.col("total"),
        totals.applications,
        totals.responses,
        overall,
        *(totals.by_gender[g] for g in metrics.GENDERS),
    )
    keys = ("service", "applications", "feedback", "rate", "female", "male", "undisclosed")
    return Table(
        name="services",
        title=composer.t("quantity.services_table"),
        header=tuple(composer.col(k) for k in keys),
        rows=(*body, total),
        counts=(1, 2, 4, 5, 6),
        row_sums=((2, (4, 5, 6)),),
        total_row=True,
        shares={3: (1, 2)},
        linked={(len(body), 2): RESPONDENTS},
        sheet=composer.t("sheets.services"),
    )


def channel_table(composer: Composer, frame: pd.DataFrame) -> Table:
    counts = metrics.channel_counts(frame, composer.t("listed_channels").split())
    rows = [(channel_name(composer, code), n) for code, n in counts.items()]
    rows.append((composer.col("total"), len(frame)))
    return Table(
        "channels",
        composer.t("channels_table"),
        (composer.col("channel"), composer.col("count")),
        tuple(rows),
        counts=(1,),
        total_row=True,
        linked={(len(rows) - 1, 1): RESPONDENTS},
        sheet=composer.t("sheets.channels"),
    )


def confirmation_table(composer: Composer, frame: pd.DataFrame) -> Table:
    """Forms begun with a slip from the desk (or typed in from paper) and open ones: the
    open web questionnaire is welcome, but anyone with the link may fill it in."""
    confirmed = confirmed_count(frame)
    rows = [(composer.col("confirmed"), confirmed), (composer.col("open"), len(frame) - confirmed)]
    if composer.headline != "confirmed":
        rows.reverse()
    rows.append((composer.col("total"), len(frame)))
    return Table(
        "confirmation",
        composer.t("confirmation_table"),
        (composer.col("kind"), composer.col("count")),
        tuple(rows),
        counts=(1,),
        total_row=True,
        linked={(len(rows) - 1, 1): RESPONDENTS},
        sheet=composer.t("sheets.confirmation"),
    )


def channel_name(composer: Composer, code: str) -> str:
    key = f"channels.{code}"
    return composer.t(key) if composer.texts.has(key) else code


def question_table(
    composer: Composer, frame: pd.DataFrame, question: Question, period: Period | None = None
) -> Table:
    """``period``: a date question's rows are its months (without it: the months answered)."""
    if question.kind.report is ReportTable.MONTHS:
        months = metrics.months(period.start, period.end) if period else []
        result = metrics.month_distribution(frame, question, months)
    else:
        result = metrics.distribution(frame, question, composer.public)
    rows: list[tuple[object, ...]] = [
        (
            _answer_name(composer, question, code),
            n,
            Percent(n / result.answered) if result.answered else NONE,
        )
        for code, n in result.counts.items()
    ]
    several = question.kind.several  # shares add up to more than 100%: no total
    total = composer.col("answered") if several else composer.col("total")
    rows.append((total, result.answered, Percent(1.0) if result.answered else NONE))
    shared = result.answered == len(frame)
    short = composer.words.t(f"questions.{question.id}.title")
    return Table(
        question.id,
        composer.t("questions.table", title=short),
        (composer.col("answer"), composer.col("count"), composer.col("share")),
        tuple(rows),
        counts=(1,),
        total_row=not several,
        shares={2: 1},
        linked={(len(rows) - 1, 1): RESPONDENTS} if shared else {},
        sheet=short[:31],
    )


def _answer_name(composer: Composer, question: Question, code: str) -> str:
    if question.kind.report is ReportTable.NUMBERS:  # a value or a range, as counted
        return code
    if question.kind.report is ReportTable.MONTHS:  # 2025-07 as 07.2025
        year, _, month = code.partition("-")
        return f"{month}.{year}" if month else composer.col("other_months")
    return composer.option(question.id, code)


def _rate(feedback: int, applications: int | None) -> Percent | str:
    return Percent(feedback / applications) if applications else NONE
