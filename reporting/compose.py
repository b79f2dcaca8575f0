"""Figures -> the seven sections of the report, in Georgian, internal or public.

Every count table is built first; the public version suppresses them together (a figure
two tables print is hidden in both or neither), and the sections are then written from
the printed tables, so no sentence states a figure a table hides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Kind, Question, Questionnaire
from bot.questionnaire.numbering import question_numbers
from reporting import metrics
from reporting.categories import Categoriser
from reporting.charts import bar_chart
from reporting.document import (
    NONE,
    SECONDARY,
    Block,
    Heading,
    Image,
    Mean,
    Paragraph,
    Percent,
    Report,
    Section,
    Table,
    suppress_together,
)
from reporting.periods import Period
from reporting.roles import Roles

"""Questions whose figures stand in the quantitative section, not among the results."""
RESPONDENTS = "respondents"
CHART_WIDTH_CM = 15.0


@dataclass(frozen=True)
class Inputs:
    period: Period
    frame: pd.DataFrame
    applications: Mapping[str, int]
    previous: pd.DataFrame
    previous_applications: Mapping[str, int]
    summary: str | None
    changes: str | None
    today: date | None = None


@dataclass(frozen=True)
class Composer:
    questionnaire: Questionnaire
    words: Locale
    texts: Locale
    categoriser: Categoriser
    municipality: str
    public: bool = False
    k: int = 3
    form_title: str | None = None
    """Set for a form staff loaded: the report names it instead of the social services."""
    versions_note: str | None = None
    """Which versions the figures combine and where they differ (questions lined up by name)."""

    def t(self, key: str, **values: object) -> str:
        return self.texts.t(key, **values)

    @property
    def roles(self) -> Roles:
        return Roles.of(self.questionnaire)

    @property
    def seed_layout(self) -> bool:
        """Applications and women/men per service (seed 000): for forms that mark both."""
        return bool(self.roles.service and self.roles.gender)

    def compose(self, data: Inputs) -> Report:
        from reporting.comments import Comments
        from reporting.comparison import comparison

        title = self.t("title", municipality=self.municipality)
        if self.form_title:
            title = self.t("title_form", municipality=self.municipality, title=self.form_title)
        period = self.t("period", start=day(data.period.start), end=day(data.period.end))
        if data.period.name:
            period = f"{period} ({data.period.name})"
        tables, hidden = self._printed(data)
        comments = Comments(self, data.frame)
        sections = (
            self._intro(),
            self._quantity(data, tables, hidden),
            self._channels(tables),
            self._questions(data.frame, tables),
            comments.section(tables),
            self._summary(data),
            comparison(self, data),
        )
        appendix = () if self.public else (self._raw(data.frame), comments.full_register())
        notice = None
        if data.today is not None and not data.period.has_ended(data.today):
            notice = self.t("notice.not_ended", end=day(data.period.end))
        return Report(title, period, sections, appendix, notice)

    # --- helpers ---------------------------------------------------------------------
    def count(self, n: int, hidden: bool = False) -> str:
        if self.public and hidden:
            return SECONDARY
        return f"<{self.k}" if self.public and 0 < n < self.k else str(n)

    def col(self, key: str) -> str:
        return self.t(f"columns.{key}")

    def option(self, question: str, code: str) -> str:
        if question == self.roles.service:  # a service no longer listed: by its code
            key = f"service_names.{code}"
            return self.words.t(key) if self.words.has(key) else code
        label = self.words.t(f"options.{question}.{code}")
        scale = self.questionnaire.get(question).kind is Kind.SCALE  # type: ignore[union-attr]
        return f"{code} — {label}" if scale and label != code else label

    def service_name(self, code: str) -> str:
        return self.option(self.roles.service or "", code)

    def services(self) -> tuple[str, ...]:
        """The service codes of the questionnaire's service question, in its order."""
        question = self.questionnaire.with_role("service")
        return question.options if question else ()

    def short_service(self, code: object) -> str:
        key = f"options.{self.roles.service}.{code}"
        return self.words.t(key) if isinstance(code, str) and self.words.has(key) else ""

    def legend(self, table: Table) -> Table:
        """The one-line key under a public table that hides something."""
        if table.withheld:
            return replace(table, legend=self.t("legend.withheld"))
        marks = {cell for row in table.rows for cell in row if isinstance(cell, str)}
        small = "1 ან 2" if self.k == 3 else f"1–{self.k - 1}"
        parts = []
        if f"<{self.k}" in marks:
            parts.append(self.t("legend.small", k=self.k, small=small))
        if SECONDARY in marks:
            parts.append(self.t("legend.secondary"))
        return replace(table, legend="; ".join(parts) + ".") if parts else table

    # --- tables ----------------------------------------------------------------------
    def _printed(self, data: Inputs) -> tuple[dict[str, Table], set[str]]:
        from reporting.comments import category_tables

        services = {"services": self._service_table(data)} if self.seed_layout else {}
        built = {
            **services,
            "channels": self._channel_table(data.frame),
            **{q.id: self._question_table(data.frame, q) for q in self._result_questions()},
            **category_tables(self, data.frame),
        }
        if not self.public:
            return built, set()
        printed, hidden = suppress_together(list(built.values()), self.k)
        return {name: self.legend(t) for name, t in zip(built, printed, strict=True)}, hidden

    def _result_questions(self) -> list[Question]:
        layout = (self.roles.service, self.roles.gender) if self.seed_layout else ()
        return [
            q
            for q in self.questionnaire.questions
            if (q.is_button_question() or q.kind is Kind.NUMBER) and q.id not in layout
        ]

    def _service_table(self, data: Inputs) -> Table:
        totals = metrics.totals(data.frame, data.applications, self.roles)
        services = metrics.with_answered(self.services(), data.frame, self.roles.service)
        rows = metrics.service_rows(data.frame, services, data.applications, self.roles)
        body = [
            (
                self.service_name(r.service),
                r.applications,
                r.feedback,
                _rate(r.feedback, r.applications),
                *(r.by_gender[g] for g in metrics.GENDERS),
            )
            for r in rows
        ]
        overall = Percent(totals.rate) if totals.rate is not None and totals.complete else NONE
        total = (
            self.col("total"),
            totals.applications,
            totals.responses,
            overall,
            *(totals.by_gender[g] for g in metrics.GENDERS),
        )
        keys = ("service", "applications", "feedback", "rate", "female", "male", "undisclosed")
        return Table(
            name="services",
            title=self.t("quantity.services_table"),
            header=tuple(self.col(k) for k in keys),
            rows=(*body, total),
            counts=(1, 2, 4, 5, 6),
            row_sums=((2, (4, 5, 6)),),
            total_row=True,
            shares={3: (1, 2)},
            linked={(len(body), 2): RESPONDENTS},
            sheet=self.t("sheets.services"),
        )

    def _channel_table(self, frame: pd.DataFrame) -> Table:
        counts = metrics.channel_counts(frame, self.t("listed_channels").split())
        rows = [(self._channel_name(c), n) for c, n in counts.items()]
        rows.append((self.col("total"), len(frame)))
        return Table(
            "channels",
            self.t("channels_table"),
            (self.col("channel"), self.col("count")),
            tuple(rows),
            counts=(1,),
            total_row=True,
            linked={(len(rows) - 1, 1): RESPONDENTS},
            sheet=self.t("sheets.channels"),
        )

    def _channel_name(self, code: str) -> str:
        key = f"channels.{code}"
        return self.t(key) if self.texts.has(key) else code

    def _question_table(self, frame: pd.DataFrame, question: Question) -> Table:
        result = metrics.distribution(frame, question, self.public)
        rows: list[tuple[object, ...]] = [
            (
                self._answer_name(question, code),
                n,
                Percent(n / result.answered) if result.answered else NONE,
            )
            for code, n in result.counts.items()
        ]
        several = question.kind is Kind.MULTI  # shares add up to more than 100%: no total
        total = self.col("answered") if several else self.col("total")
        rows.append((total, result.answered, Percent(1.0) if result.answered else NONE))
        shared = result.answered == len(frame)
        short = self.words.t(f"questions.{question.id}.title")
        return Table(
            question.id,
            self.t("questions.table", title=short),
            (self.col("answer"), self.col("count"), self.col("share")),
            tuple(rows),
            counts=(1,),
            total_row=not several,
            shares={2: 1},
            linked={(len(rows) - 1, 1): RESPONDENTS} if shared else {},
            sheet=short[:31],
        )

    def _answer_name(self, question: Question, code: str) -> str:
        return code if question.kind is Kind.NUMBER else self.option(question.id, code)

    # --- sections --------------------------------------------------------------------
    def _intro(self) -> Section:
        if self.form_title:
            intro = self.t("intro_form", municipality=self.municipality, title=self.form_title)
        else:
            intro = self.t("intro", municipality=self.municipality)
        blocks: list[Block] = [Paragraph(p) for p in intro.split("\n")]
        if self.seed_layout and not self.form_title:
            blocks.append(Paragraph(self.t("intro_services")))
            services = [s for s in self.services() if s != "other"]
            blocks += [Paragraph(self.service_name(s), style="bullet") for s in services]
        if self.versions_note:
            blocks.append(Paragraph(self.versions_note, style="note"))
        if self.public:
            blocks.append(Paragraph(self.t("public_note", k=self.k), style="note"))
        return Section(self.t("sections.intro"), tuple(blocks))

    def _quantity(self, data: Inputs, tables: dict[str, Table], hidden: set[str]) -> Section:
        totals = metrics.totals(data.frame, data.applications, self.roles)
        responses = self.count(totals.responses, RESPONDENTS in hidden)
        form = "" if self.seed_layout else "_form"  # no table of services to point to
        if self.roles.service is None:  # nothing to divide by: another form's figures never
            lead = self.t("quantity.no_service_role", responses=responses)
        elif totals.rate is None:
            lead = self.t("quantity.without_rate", responses=responses)
        elif totals.complete:
            lead = self.t(
                f"quantity.with_rate{form}",
                applications=totals.applications,
                covered=totals.covered,
                responses=responses,
                rate=percent(totals.rate),
            )
        else:
            lead = self.t(
                f"quantity.partial_rate{form}",
                applications=totals.applications,
                covered=totals.covered,
                counted=self.count(totals.rate_responses),
                responses=responses,
                rate=percent(totals.rate),
            )
        if "services" not in tables:
            return Section(self.t("sections.quantity"), (Paragraph(lead),))
        table = tables["services"]
        blocks: list[Block] = [Paragraph(lead), table]
        unclear = [row for row in table.rows if row[0] == self.service_name("other")]
        if unclear and unclear[0][2] not in (0, None):
            value = unclear[0][2]
            key = "quantity.unclear_hidden" if value == SECONDARY else "quantity.unclear"
            blocks.append(Paragraph(self.t(key, count=value)))
        return Section(self.t("sections.quantity"), tuple(blocks))

    def _channels(self, tables: dict[str, Table]) -> Section:
        table = tables["channels"]
        silent = [str(row[0]) for row in table.rows[:-1] if row[1] == 0]
        note = (
            self.t("channels_none", channels=", ".join(silent))
            if silent
            else self.t("channels_all")
        )
        return Section(self.t("sections.channels"), (table, Paragraph(note)))

    def _questions(self, frame: pd.DataFrame, tables: dict[str, Table]) -> Section:
        if frame.empty:
            return Section(
                self.t("sections.questions"), (Paragraph(self.t("questions.no_responses")),)
            )
        blocks: list[Block] = []
        numbers = question_numbers(self.questionnaire)
        for question in self._result_questions():
            text = self.words.t(f"questions.{question.id}.text")
            blocks.append(Heading(f"{numbers[question.id]}. {text}"))
            table = tables[question.id]
            blocks.append(table)
            if table.withheld:
                continue
            result = metrics.distribution(frame, question, self.public)
            if question.kind is Kind.MULTI:
                blocks.append(Paragraph(self.t("questions.multi_note"), style="note"))
            if question.kind is Kind.NUMBER and result.mean is not None:
                if any(isinstance(row[1], str) for row in table.rows):
                    blocks.append(Paragraph(self.t("questions.summary_hidden")))
                else:
                    mean = f"{result.mean:.1f}"
                    blocks.append(Paragraph(self.t("questions.number_summary", mean=mean)))
            if result.top2 is not None and result.mean is not None:
                if any(isinstance(row[1], str) for row in table.rows):
                    blocks.append(Paragraph(self.t("questions.summary_hidden")))
                else:
                    summary = self.t(
                        "questions.scale_summary",
                        top2=percent(result.top2),
                        mean=f"{result.mean:.1f}",
                    )
                    blocks.append(Paragraph(summary))
            blocks.append(self._chart(question.id, table))
        return Section(self.t("sections.questions"), tuple(blocks))

    def _chart(self, name: str, table: Table) -> Image:
        body = table.rows[:-1]
        values = [row[1] if isinstance(row[1], int) else 0 for row in body]
        shown = [str(row[1]) for row in body]
        png = bar_chart("", [str(row[0]) for row in body], values, shown, CHART_WIDTH_CM)
        title = self.words.t(f"questions.{name}.title")
        return Image(name, png, self.t("questions.chart", title=title), CHART_WIDTH_CM)

    def _summary(self, data: Inputs) -> Section:
        label = data.period.typed
        blocks = (
            Heading(self.t("summary.summary_title")),
            Paragraph(data.summary or self.t("summary.summary_placeholder", period=label)),
            Heading(self.t("summary.changes_title")),
            Paragraph(data.changes or self.t("summary.changes_placeholder", period=label)),
        )
        return Section(self.t("sections.summary"), blocks)

    def _raw(self, frame: pd.DataFrame) -> Table:
        """Codes for filtering and exchange, each with its Georgian label beside it."""
        from reporting.raw import raw_table

        return raw_table(self, frame)


def _rate(feedback: int, applications: int | None) -> Percent | str:
    return Percent(feedback / applications) if applications else NONE


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


__all__ = ["Composer", "Inputs", "Mean", "day", "percent", "question_numbers"]
