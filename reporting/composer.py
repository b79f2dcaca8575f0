"""What every section of the report is written with: the questionnaire, the words, the
municipality, whether the report is public, and the small helpers that name a count, a column
or an option the same way in every section.

The sections (``reporting.sections``, ``count_tables``, ``comments``, ``comparison``, ``raw``)
take a ``Composer``; ``reporting.compose`` puts them together. Keeping the two apart keeps the
imports pointing one way: sections never import the module that imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from bot.questionnaire.i18n import Locale
from bot.questionnaire.kinds.base import ReportTable
from bot.questionnaire.model import Question, Questionnaire
from bot.questionnaire.periods import Period
from reporting.categories import Categoriser
from reporting.document import SECONDARY, Table
from reporting.roles import Roles


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


Audit = Callable[[Mapping[str, Table], Mapping[str, Table]], dict[str, Table]]


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
    audit: Audit | None = field(default=None, compare=False)
    """A public output's audit against every earlier one (``reporting.public_tables``):
    the count tables before and after suppression -> the tables to print."""

    def t(self, key: str, **values: object) -> str:
        return self.texts.t(key, **values)

    @property
    def roles(self) -> Roles:
        return Roles.of(self.questionnaire)

    @property
    def seed_layout(self) -> bool:
        """Applications and women/men per service (seed 000): for forms that mark both."""
        return bool(self.roles.service and self.roles.gender)

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
        return self.questionnaire.get(question).kind.option_label(code, label)  # type: ignore[union-attr]

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

    def result_questions(self) -> list[Question]:
        """The questions with a table and a chart among the results (section 4)."""
        layout = (self.roles.service, self.roles.gender) if self.seed_layout else ()
        return [
            q
            for q in self.questionnaire.questions
            if q.kind.report in TABLED and q.id not in layout
        ]


TABLED = (ReportTable.COUNTS, ReportTable.NUMBERS, ReportTable.MONTHS)
"""The kinds of report table a result question gets (texts have their own section)."""


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")
