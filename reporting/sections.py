"""The report's sections, written from the tables as printed: a sentence quotes a figure only
when its table shows it, so the public report never states what a table hides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from bot.questionnaire.kinds.base import ReportTable
from bot.questionnaire.model import Question
from bot.questionnaire.numbering import question_numbers
from bot.questionnaire.sections import section_name
from reporting import metrics
from reporting.charts import bar_chart
from reporting.count_tables import RESPONDENTS
from reporting.document import SECONDARY, Block, Heading, Image, Paragraph, Section, Table
from reporting.summary_audit import sentence_allowed

if TYPE_CHECKING:
    from reporting.composer import Composer, Inputs

CHART_WIDTH_CM = 15.0


def intro(composer: Composer) -> Section:
    if composer.form_title:
        intro = composer.t(
            "intro_form", municipality=composer.municipality, title=composer.form_title
        )
    else:
        intro = composer.t("intro", municipality=composer.municipality)
    blocks: list[Block] = [Paragraph(p) for p in intro.split("\n")]
    if composer.seed_layout and not composer.form_title:
        blocks.append(Paragraph(composer.t("intro_services")))
        services = [s for s in composer.services() if s != "other"]
        blocks += [Paragraph(composer.service_name(s), style="bullet") for s in services]
    if composer.versions_note:
        blocks.append(Paragraph(composer.versions_note, style="note"))
    if composer.public:
        blocks.append(Paragraph(composer.t("public_note", k=composer.k), style="note"))
    return Section(composer.t("sections.intro"), tuple(blocks))


def quantity(
    composer: Composer, data: Inputs, tables: dict[str, Table], hidden: set[str]
) -> Section:
    totals = metrics.totals(data.frame, data.applications, composer.roles)
    withheld = composer.public and tables["channels"].withheld  # the audit printed none of it
    responses = composer.count(totals.responses, RESPONDENTS in hidden or withheld)
    form = "" if composer.seed_layout else "_form"  # no table of services to point to
    services = tables.get("services")
    rate_hidden = composer.public and (
        RESPONDENTS in hidden
        or tables["channels"].withheld
        or (services is not None and (services.withheld or services.rows[-1][3] == SECONDARY))
    )  # the rate and the applications would give the hidden number of responses back
    if composer.roles.service is None:  # nothing to divide by: another form's figures never
        lead = composer.t("quantity.no_service_role", responses=responses)
    elif rate_hidden:
        lead = composer.t("quantity.rate_hidden", responses=responses)
    elif totals.rate is None:
        lead = composer.t("quantity.without_rate", responses=responses)
    elif totals.complete:
        lead = composer.t(
            f"quantity.with_rate{form}",
            applications=totals.applications,
            covered=totals.covered,
            responses=responses,
            rate=percent(totals.rate),
        )
    else:
        lead = composer.t(
            f"quantity.partial_rate{form}",
            applications=totals.applications,
            covered=totals.covered,
            counted=composer.count(totals.rate_responses),
            responses=responses,
            rate=percent(totals.rate),
        )
    if "services" not in tables:
        return Section(composer.t("sections.quantity"), (Paragraph(lead),))
    table = tables["services"]
    blocks: list[Block] = [Paragraph(lead), table]
    unclear = [row for row in table.rows if row[0] == composer.service_name("other")]
    if unclear and unclear[0][2] not in (0, None):
        value = unclear[0][2]
        key = "quantity.unclear_hidden" if value == SECONDARY else "quantity.unclear"
        blocks.append(Paragraph(composer.t(key, count=value)))
    return Section(composer.t("sections.quantity"), tuple(blocks))


def channels(composer: Composer, tables: dict[str, Table]) -> Section:
    table = tables["channels"]
    silent = [str(row[0]) for row in table.rows[:-1] if row[1] == 0]
    note = (
        composer.t("channels_none", channels=", ".join(silent))
        if silent
        else composer.t("channels_all")
    )
    blocks = (
        table,
        Paragraph(note),
        tables["confirmation"],
        Paragraph(composer.t("confirmation_note")),
    )
    return Section(composer.t("sections.channels"), blocks)


def questions(composer: Composer, frame: pd.DataFrame, tables: dict[str, Table]) -> Section:
    if frame.empty:
        return Section(
            composer.t("sections.questions"), (Paragraph(composer.t("questions.no_responses")),)
        )
    blocks: list[Block] = []
    numbers = question_numbers(composer.questionnaire)
    named = ""
    for question in composer.result_questions():
        section = section_name(question, composer.words)
        if section and section != named:  # a group's questions under its own name
            blocks.append(Paragraph(composer.t("questions.section", section=section)))
        named = section
        text = composer.words.t(f"questions.{question.id}.text")
        blocks.append(Heading(f"{numbers[question.id]}. {text}"))
        table = tables[question.id]
        blocks.append(table)
        if table.withheld:
            continue
        result = metrics.distribution(frame, question, composer.public)
        blocks += _result_notes(composer, question, table, result)
        blocks.append(_chart(composer, question.id, table))
    return Section(composer.t("sections.questions"), tuple(blocks))


def _result_notes(
    composer: Composer, question: Question, table: Table, result: metrics.Distribution
) -> list[Block]:
    """What a question's table means in a sentence: its mean, or its top two boxes, unless
    the public table hides a count (then the sentence would give it away)."""
    blocks: list[Block] = []
    if question.kind.several:
        blocks.append(Paragraph(composer.t("questions.multi_note"), style="note"))
    hidden = any(isinstance(row[1], str) for row in table.rows)
    if question.kind.report is ReportTable.NUMBERS and result.mean is not None:
        if hidden:
            blocks.append(Paragraph(composer.t("questions.summary_hidden")))
        else:
            mean = f"{result.mean:.1f}"
            blocks.append(Paragraph(composer.t("questions.number_summary", mean=mean)))
    if result.top2 is not None and result.mean is not None:
        if hidden and not _scale_summary_safe(table, result, composer.k):
            blocks.append(Paragraph(composer.t("questions.summary_hidden")))
        else:
            summary = composer.t(
                "questions.scale_summary",
                top2=percent(result.top2),
                mean=f"{result.mean:.1f}",
            )
            blocks.append(Paragraph(summary))
    return blocks


def _scale_summary_safe(table: Table, result: metrics.Distribution, k: int) -> bool:
    """The sentence may go under a table that hides counts when, with its share and mean
    as printed, every hidden small count can still be more than one number, and no count
    is printed ``x`` (``reporting.summary_audit.sentence_allowed``)."""
    assert result.top2 is not None and result.mean is not None
    codes = list(result.counts)
    best = sorted(codes, key=int)[-2:]
    return sentence_allowed(
        table,
        [int(code) for code in codes],
        [codes.index(code) for code in best],
        float(f"{result.mean:.1f}"),
        round(result.top2 * 100) / 100,
        k,
    )


def _chart(composer: Composer, name: str, table: Table) -> Image:
    body = table.rows[:-1]
    values = [row[1] if isinstance(row[1], int) else 0 for row in body]
    shown = [str(row[1]) for row in body]
    png = bar_chart("", [str(row[0]) for row in body], values, shown, CHART_WIDTH_CM)
    title = composer.words.t(f"questions.{name}.title")
    return Image(name, png, composer.t("questions.chart", title=title), CHART_WIDTH_CM)


def summary(composer: Composer, data: Inputs) -> Section:
    label = data.period.typed
    blocks = (
        Heading(composer.t("summary.summary_title")),
        Paragraph(data.summary or composer.t("summary.summary_placeholder", period=label)),
        Heading(composer.t("summary.changes_title")),
        Paragraph(data.changes or composer.t("summary.changes_placeholder", period=label)),
    )
    return Section(composer.t("sections.summary"), blocks)


def percent(value: float) -> str:
    return f"{round(value * 100)}%"
