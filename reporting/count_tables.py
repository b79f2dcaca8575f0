"""The count tables of the report: services, channels, confirmed and open forms, and each
question's answers.

They are all built before any sentence is written, so the public version can suppress them
together (``Composer.printed``); the sections then quote only what the tables print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from bot.questionnaire.model import Kind, Question
from reporting import metrics
from reporting.document import NONE, Percent, Table
from reporting.frame import confirmed_count

if TYPE_CHECKING:
    from reporting.compose import Composer, Inputs

RESPONDENTS = "respondents"
"""The figure several tables print (the number of responses): hidden in all or in none."""


def service_table(c: Composer, data: Inputs) -> Table:
    totals = metrics.totals(data.frame, data.applications, c.roles)
    services = metrics.with_answered(c.services(), data.frame, c.roles.service)
    rows = metrics.service_rows(data.frame, services, data.applications, c.roles)
    body = [
        (
            c.service_name(r.service),
            r.applications,
            r.feedback,
            _rate(r.feedback, r.applications),
            *(r.by_gender[g] for g in metrics.GENDERS),
        )
        for r in rows
    ]
    overall = Percent(totals.rate) if totals.rate is not None and totals.complete else NONE
    total = (
        c.col("total"),
        totals.applications,
        totals.responses,
        overall,
        *(totals.by_gender[g] for g in metrics.GENDERS),
    )
    keys = ("service", "applications", "feedback", "rate", "female", "male", "undisclosed")
    return Table(
        name="services",
        title=c.t("quantity.services_table"),
        header=tuple(c.col(k) for k in keys),
        rows=(*body, total),
        counts=(1, 2, 4, 5, 6),
        row_sums=((2, (4, 5, 6)),),
        total_row=True,
        shares={3: (1, 2)},
        linked={(len(body), 2): RESPONDENTS},
        sheet=c.t("sheets.services"),
    )


def channel_table(c: Composer, frame: pd.DataFrame) -> Table:
    counts = metrics.channel_counts(frame, c.t("listed_channels").split())
    rows = [(channel_name(c, code), n) for code, n in counts.items()]
    rows.append((c.col("total"), len(frame)))
    return Table(
        "channels",
        c.t("channels_table"),
        (c.col("channel"), c.col("count")),
        tuple(rows),
        counts=(1,),
        total_row=True,
        linked={(len(rows) - 1, 1): RESPONDENTS},
        sheet=c.t("sheets.channels"),
    )


def confirmation_table(c: Composer, frame: pd.DataFrame) -> Table:
    """Forms begun with a slip from the desk (or typed in from paper) and open ones: the
    open web questionnaire is welcome, but anyone with the link may fill it in."""
    confirmed = confirmed_count(frame)
    rows = [(c.col("confirmed"), confirmed), (c.col("open"), len(frame) - confirmed)]
    if c.headline != "confirmed":
        rows.reverse()
    rows.append((c.col("total"), len(frame)))
    return Table(
        "confirmation",
        c.t("confirmation_table"),
        (c.col("kind"), c.col("count")),
        tuple(rows),
        counts=(1,),
        total_row=True,
        linked={(len(rows) - 1, 1): RESPONDENTS},
        sheet=c.t("sheets.confirmation"),
    )


def channel_name(c: Composer, code: str) -> str:
    key = f"channels.{code}"
    return c.t(key) if c.texts.has(key) else code


def question_table(c: Composer, frame: pd.DataFrame, question: Question) -> Table:
    result = metrics.distribution(frame, question, c.public)
    rows: list[tuple[object, ...]] = [
        (
            _answer_name(c, question, code),
            n,
            Percent(n / result.answered) if result.answered else NONE,
        )
        for code, n in result.counts.items()
    ]
    several = question.kind is Kind.MULTI  # shares add up to more than 100%: no total
    total = c.col("answered") if several else c.col("total")
    rows.append((total, result.answered, Percent(1.0) if result.answered else NONE))
    shared = result.answered == len(frame)
    short = c.words.t(f"questions.{question.id}.title")
    return Table(
        question.id,
        c.t("questions.table", title=short),
        (c.col("answer"), c.col("count"), c.col("share")),
        tuple(rows),
        counts=(1,),
        total_row=not several,
        shares={2: 1},
        linked={(len(rows) - 1, 1): RESPONDENTS} if shared else {},
        sheet=short[:31],
    )


def _answer_name(c: Composer, question: Question, code: str) -> str:
    return code if question.kind is Kind.NUMBER else c.option(question.id, code)


def _rate(feedback: int, applications: int | None) -> Percent | str:
    return Percent(feedback / applications) if applications else NONE
