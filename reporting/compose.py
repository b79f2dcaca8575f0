"""Figures -> the seven sections of the report, in Georgian, internal or public."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import pandas as pd

from bot.i18n import Locale
from bot.questionnaire.model import Kind, Questionnaire
from reporting import metrics
from reporting.categories import Categoriser
from reporting.charts import bar_chart
from reporting.document import (
    Block,
    FrameRows,
    Image,
    Paragraph,
    Report,
    Section,
    Table,
    suppress,
)
from reporting.periods import Period

REGISTER_IN_DOCUMENT = 1000
"""Comments listed in Word/HTML; the spreadsheet always has all of them."""
CHANNELS = ("paper", "telegram", "messenger", "google_forms", "console")
IN_SECTION_2 = ("service", "gender")
"""Questions whose figures stand in the quantitative section, not among the results."""


@dataclass(frozen=True)
class Inputs:
    period: Period
    frame: pd.DataFrame
    applications: Mapping[str, int]
    previous: pd.DataFrame
    previous_applications: Mapping[str, int]
    summary: str | None
    changes: str | None


@dataclass(frozen=True)
class Composer:
    questionnaire: Questionnaire
    words: Locale
    texts: Locale
    categoriser: Categoriser
    municipality: str
    public: bool = False
    k: int = 3

    def t(self, key: str, **values: object) -> str:
        return self.texts.t(key, **values)

    def compose(self, data: Inputs) -> Report:
        title = self.t("title", municipality=self.municipality)
        period = self.t("period", start=_day(data.period.start), end=_day(data.period.end))
        sections = (
            self._intro(),
            self._quantity(data),
            self._channels(data.frame),
            self._questions(data.frame),
            self._suggestions(data.frame),
            self._summary(data),
            self._comparison(data),
        )
        appendix = () if self.public else (self._raw(data.frame), self._register(data.frame))
        return Report(title, period, sections, appendix)

    # --- helpers ---------------------------------------------------------------------
    def table(self, table: Table) -> Table:
        return suppress(table, self.k) if self.public else table

    def count(self, n: int) -> str:
        return f"<{self.k}" if self.public and 0 < n < self.k else str(n)

    def col(self, key: str) -> str:
        return self.t(f"columns.{key}")

    def option(self, question: str, code: str) -> str:
        if question == "service":
            return self.words.t(f"service_names.{code}")
        label = self.words.t(f"options.{question}.{code}")
        return f"{code} — {label}" if self.questionnaire.get(question).kind is Kind.SCALE else label

    # --- sections --------------------------------------------------------------------
    def _intro(self) -> Section:
        paragraphs = self.t("intro", municipality=self.municipality).split("\n")
        blocks: list[Block] = [Paragraph(p) for p in paragraphs]
        if self.public:
            blocks.append(Paragraph(self.t("public_note", k=self.k)))
        return Section(self.t("sections.intro"), tuple(blocks))

    def _quantity(self, data: Inputs) -> Section:
        totals = metrics.totals(data.frame, data.applications)
        if totals.rate is None:
            lead = self.t("quantity.without_rate", responses=self.count(totals.responses))
        else:
            lead = self.t(
                "quantity.with_rate",
                applications=totals.applications,
                responses=self.count(totals.responses),
                rate=_percent(totals.rate),
            )
        services = self.questionnaire.get("service").options
        rows = metrics.service_rows(data.frame, services, data.applications)
        body = [
            (
                self.option("service", r.service),
                r.applications,
                r.feedback,
                *(r.by_gender[g] for g in metrics.GENDERS),
            )
            for r in rows
        ]
        total = (
            self.col("total"),
            totals.applications,
            totals.responses,
            *(totals.by_gender[g] for g in metrics.GENDERS),
        )
        service_table = Table(
            name="services",
            title=self.t("quantity.services_table"),
            header=tuple(
                self.col(k)
                for k in ("service", "applications", "feedback", "female", "male", "undisclosed")
            ),
            rows=(*body, total),
            counts=(1, 2, 3, 4, 5),
            row_sums=((2, (3, 4, 5)),),
            total_row=True,
        )
        unclear = next((r.feedback for r in rows if r.service == "other"), 0)
        blocks: list[Block] = [Paragraph(lead), self.table(service_table)]
        if unclear:
            blocks.append(Paragraph(self.t("quantity.unclear", count=self.count(unclear))))
        return Section(self.t("sections.quantity"), tuple(blocks))

    def _channels(self, frame: pd.DataFrame) -> Section:
        counts = metrics.channel_counts(frame, CHANNELS)
        name = self._channel_name
        rows = [(name(c), n) for c, n in counts.items()] + [(self.col("total"), len(frame))]
        table = Table(
            "channels",
            self.col("channel"),
            (self.col("channel"), self.col("count")),
            tuple(rows),
            counts=(1,),
            total_row=True,
        )
        silent = [name(c) for c, n in counts.items() if n == 0]
        note = (
            self.t("channels_none", channels=", ".join(silent))
            if silent
            else self.t("channels_all")
        )
        return Section(self.t("sections.channels"), (self.table(table), Paragraph(note)))

    def _channel_name(self, code: str) -> str:
        key = f"channels.{code}"
        return self.t(key) if self.texts.has(key) else code

    def _questions(self, frame: pd.DataFrame) -> Section:
        blocks: list[Block] = []
        for question in self.questionnaire.questions:
            if not question.is_button_question() or question.id in IN_SECTION_2:
                continue
            question_id = question.id
            result = metrics.distribution(frame, question)
            title = self.words.t(f"questions.{question_id}.text")
            rows = [
                (
                    self.option(question_id, code),
                    n,
                    _percent(n / result.answered) if result.answered else "–",
                )
                for code, n in result.counts.items()
            ]
            rows.append((self.col("total"), result.answered, "100%" if result.answered else "–"))
            table = self.table(
                Table(
                    question_id,
                    title,
                    (self.col("answer"), self.col("count"), self.col("share")),
                    tuple(rows),
                    counts=(1,),
                    total_row=True,
                    shares={2: 1},
                )
            )
            blocks.append(table)
            if result.top2 is not None and result.mean is not None:
                summary = self.t(
                    "questions.scale_summary", top2=_percent(result.top2), mean=f"{result.mean:.1f}"
                )
                blocks.append(Paragraph(summary))
            blocks.append(self._chart(question_id, title, table))
        return Section(self.t("sections.questions"), tuple(blocks))

    def _chart(self, name: str, title: str, table: Table) -> Image:
        body = table.rows[:-1]
        values = [row[1] if isinstance(row[1], int) else 0 for row in body]
        shown = [str(row[1]) for row in body]
        png = bar_chart(title, [str(row[0]) for row in body], values, shown)
        return Image(name, png, self.t("questions.chart", title=title))

    def _suggestions(self, frame: pd.DataFrame) -> Section:
        codes = list(self.categoriser.labels)
        result = metrics.suggestions(frame, codes)
        lead = self.t(
            "suggestions.filled",
            filled=self.count(result.filled),
            respondents=self.count(result.respondents),
        )
        if result.filled:
            filled = frame["suggestions"].map(lambda t: isinstance(t, str) and bool(t.strip()))
            by_hand = int(frame.loc[filled.astype(bool), "corrected"].sum())
            lead += " " + self.t("suggestions.corrected", count=self.count(by_hand))
        rows = tuple((self.categoriser.labels[c], n) for c, n in result.by_category.items())
        categories = Table(
            "categories",
            self.t("suggestions.categories_table"),
            (self.col("category"), self.col("count")),
            rows,
            counts=(1,),
        )
        blocks: list[Block] = [Paragraph(lead), self.table(categories)]
        blocks += self._comments(frame)
        return Section(self.t("sections.suggestions"), tuple(blocks))

    def _comments(self, frame: pd.DataFrame) -> list[Block]:
        if not self.public:
            register = self._register(frame)
            if len(register.rows) <= REGISTER_IN_DOCUMENT:
                return [register]
            note = self.t(
                "suggestions.register_cut", shown=REGISTER_IN_DOCUMENT, count=len(register.rows)
            )
            cut = replace(register, rows=tuple(register.rows[:REGISTER_IN_DOCUMENT]))
            return [Paragraph(note), cut]
        chosen = frame[frame["publishable"] & frame["suggestions"].notna()]
        if chosen.empty:
            return [Paragraph(self.t("suggestions.no_public_comments"))]
        rows = tuple((text,) for text in chosen["suggestions"])
        return [
            Table(
                "public_comments", self.t("suggestions.public_comments"), (self.col("text"),), rows
            )
        ]

    def _register(self, frame: pd.DataFrame) -> Table:
        texts = frame["suggestions"]
        chosen = frame[texts.map(lambda t: isinstance(t, str) and bool(t)).astype(bool)]
        labels = self.categoriser.labels
        services = self.questionnaire.get("service").options
        names = {code: self.option("service", code) for code in services}
        columns = {
            "id": chosen["response_id"].str.slice(0, 8),
            "date": chosen["submitted_on"].dt.strftime("%Y-%m-%d"),
            "service": chosen["service"].map(
                lambda c: names.get(c, "") if isinstance(c, str) else ""
            ),
            "text": chosen["suggestions"],
            "category": chosen["categories"].map(lambda f: "; ".join(labels.get(c, c) for c in f)),
            "corrected": chosen["corrected"].map({True: "✓", False: ""}),
            "publishable": chosen["publishable"].map({True: "✓", False: ""}),
        }
        header = tuple(self.col(k) for k in columns)
        rows = FrameRows(pd.DataFrame(columns))
        return Table("register", self.t("suggestions.register_table"), header, rows)

    def _summary(self, data: Inputs) -> Section:
        blocks = (
            Paragraph(self.t("summary.summary_title")),
            Paragraph(data.summary or self.t("summary.summary_placeholder")),
            Paragraph(self.t("summary.changes_title")),
            Paragraph(data.changes or self.t("summary.changes_placeholder")),
        )
        return Section(self.t("sections.summary"), blocks)

    def _comparison(self, data: Inputs) -> Section:
        previous = data.period.previous()
        if data.previous.empty:
            note = self.t("comparison.none", start=_day(previous.start), end=_day(previous.end))
            return Section(self.t("sections.comparison"), (Paragraph(note),))
        now = self._key_figures(data.frame, data.applications)
        before = self._key_figures(data.previous, data.previous_applications)
        rows = tuple((self.t(f"comparison.{key}"), now[key], before[key]) for key in now)
        header = (
            self.col("metric"),
            f"{self.col('current')} ({_day(data.period.start)} – {_day(data.period.end)})",
            f"{self.col('previous')} ({_day(previous.start)} – {_day(previous.end)})",
        )
        table = Table("comparison", self.t("sections.comparison"), header, rows)
        return Section(self.t("sections.comparison"), (table,))

    def _key_figures(self, frame: pd.DataFrame, applications: Mapping[str, int]) -> dict[str, str]:
        totals = metrics.totals(frame, applications)
        fmt: Callable[[float | None], str] = lambda v: "–" if v is None else _percent(v)  # noqa: E731
        scale = {
            q: metrics.distribution(frame, self.questionnaire.get(q))
            for q in ("satisfaction", "professionalism", "helpfulness")
        }
        mean = scale["satisfaction"].mean
        return {
            "responses": self.count(totals.responses),
            "applications": "–" if totals.applications is None else str(totals.applications),
            "rate": fmt(totals.rate),
            "satisfaction_mean": "–" if mean is None else f"{mean:.1f}",
            "satisfaction_top2": fmt(scale["satisfaction"].top2),
            "professionalism_top2": fmt(scale["professionalism"].top2),
            "helpfulness_top2": fmt(scale["helpfulness"].top2),
            "filled": self.count(metrics.suggestions(frame, []).filled),
        }

    def _raw(self, frame: pd.DataFrame) -> Table:
        ids = [q.id for q in self.questionnaire.questions]
        header = ("response_id", "submitted_on", "channel", "questionnaire_version", *ids)
        data = frame[list(header)].assign(submitted_on=frame["submitted_on"].dt.date)
        return Table("raw", self.t("sheets.raw"), header, FrameRows(data))


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _day(value: object) -> str:
    return value.strftime("%d.%m.%Y")  # type: ignore[attr-defined]
