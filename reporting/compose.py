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
from bot.questionnaire.periods import Period
from reporting.categories import Categoriser
from reporting.count_tables import (
    channel_table,
    confirmation_table,
    question_table,
    service_table,
)
from reporting.document import SECONDARY, Mean, Report, Table, suppress_together
from reporting.roles import Roles
from reporting.sections import channels, intro, percent, quantity, questions, summary


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
    headline: str = "all"
    """``confirmed``: the channels section leads with the forms begun with a desk slip."""

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
            intro(self),
            quantity(self, data, tables, hidden),
            channels(self, tables),
            questions(self, data.frame, tables),
            comments.section(tables),
            summary(self, data),
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

    # --- tables and sections ------------------------------------------------------------
    def _printed(self, data: Inputs) -> tuple[dict[str, Table], set[str]]:
        from reporting.comments import category_tables

        services = {"services": service_table(self, data)} if self.seed_layout else {}
        built = {
            **services,
            "channels": channel_table(self, data.frame),
            "confirmation": confirmation_table(self, data.frame),
            **{q.id: question_table(self, data.frame, q) for q in self.result_questions()},
            **category_tables(self, data.frame),
        }
        if not self.public:
            return built, set()
        printed, hidden = suppress_together(list(built.values()), self.k)
        return {name: self.legend(t) for name, t in zip(built, printed, strict=True)}, hidden

    def result_questions(self) -> list[Question]:
        """The questions with a table and a chart among the results (section 4)."""
        layout = (self.roles.service, self.roles.gender) if self.seed_layout else ()
        return [
            q
            for q in self.questionnaire.questions
            if (q.is_button_question() or q.kind is Kind.NUMBER) and q.id not in layout
        ]

    def _raw(self, frame: pd.DataFrame) -> Table:
        """Codes for filtering and exchange, each with its Georgian label beside it."""
        from reporting.raw import raw_table

        return raw_table(self, frame)


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


__all__ = ["Composer", "Inputs", "Mean", "day", "percent", "question_numbers"]
