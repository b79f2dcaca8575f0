"""Figures -> the seven sections of the report, in Georgian, internal or public.

Every count table is built first; the public version suppresses them together (a figure
two tables print is hidden in both or neither), and the sections are then written from
the printed tables, so no sentence states a figure a table hides.

The public version has no comparison with the previous period: that section's figures of
the earlier quarter are counted again today, outside the ledger audit, so after a late
paper form they gave back what the earlier quarter's own output hides ("previous: 97"
beside its total printed "x"). Each ended quarter is on the results page for anyone to
set side by side.
"""

from __future__ import annotations

from reporting.comments import Comments, category_tables
from reporting.comparison import comparison
from reporting.composer import Composer, Inputs, day
from reporting.count_tables import (
    channel_table,
    confirmation_table,
    question_table,
    service_table,
)
from reporting.document import Report, Table, suppress_together
from reporting.raw import raw_table
from reporting.sections import channels, intro, quantity, questions, summary


def compose(composer: Composer, data: Inputs) -> Report:
    """The report: its seven sections in order, and the appendix for staff."""
    title = composer.t("title", municipality=composer.municipality)
    if composer.form_title:
        title = composer.t(
            "title_form", municipality=composer.municipality, title=composer.form_title
        )
    period = composer.t("period", start=day(data.period.start), end=day(data.period.end))
    if data.period.name:
        period = f"{period} ({data.period.name})"
    tables, hidden = _printed(composer, data)
    comments = Comments(composer, data.frame)
    sections = (
        intro(composer),
        quantity(composer, data, tables, hidden),
        channels(composer, tables),
        questions(composer, data.frame, tables),
        comments.section(tables),
        summary(composer, data),
        *(() if composer.public else (comparison(composer, data),)),
    )
    appendix = (
        () if composer.public else (raw_table(composer, data.frame), comments.full_register())
    )
    notice = None
    if data.today is not None and not data.period.has_ended(data.today):
        notice = composer.t("notice.not_ended", end=day(data.period.end))
    return Report(title, period, sections, appendix, notice)


def count_tables(composer: Composer, data: Inputs) -> dict[str, Table]:
    """Every count table of the report, before anything is hidden (the ledger audit reads
    a year's quarters through them)."""
    services = {"services": service_table(composer, data)} if composer.seed_layout else {}
    return {
        **services,
        "channels": channel_table(composer, data.frame),
        "confirmation": confirmation_table(composer, data.frame),
        **{
            q.id: question_table(composer, data.frame, q, data.period)
            for q in composer.result_questions()
        },
        **category_tables(composer, data.frame),
    }


def _printed(composer: Composer, data: Inputs) -> tuple[dict[str, Table], set[str]]:
    built = count_tables(composer, data)
    if not composer.public:
        return built, set()
    printed, hidden = suppress_together(list(built.values()), composer.k)
    tables = dict(zip(built, printed, strict=True))
    if composer.audit is not None:  # against every earlier public output (the ledger)
        tables = composer.audit(built, tables)
        hidden |= {
            key
            for table in tables.values()
            for (r, c), key in table.linked.items()
            if table.withheld or isinstance(table.rows[r][c], str)
        }
    return {name: composer.legend(t) for name, t in tables.items()}, hidden
