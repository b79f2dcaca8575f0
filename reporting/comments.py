"""Section 5: what people wrote — suggestions and the extra needs they described.

Both free texts are categorised by the same rules and counted the same way, and each is
reviewed on its own (the need under its question's name, ``#1a2b3c4d/extra_needs_text``).
The internal version lists them in a compact register; the public one shows only the texts
an analyst marked publishable, each by its own mark.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from reporting import metrics
from reporting.document import Block, FrameRows, Heading, Paragraph, Section, Table
from reporting.frame import reviewed

if TYPE_CHECKING:
    from reporting.compose import Composer

REGISTER_IN_DOCUMENT = 1000
"""Comments listed in Word/HTML; the spreadsheet always has all of them."""


KINDS = ("suggestions", "needs")
"""The two free texts, by their role in the questionnaire."""
TABLES = {"suggestions": "categories", "needs": "needs_categories"}
"""Each kind's table of categories."""
TICK = {True: "✓", False: ""}


def column_of(composer: Composer, kind: str) -> str | None:
    roles = composer.roles
    return roles.suggestions if kind == "suggestions" else roles.needs


def field_of(composer: Composer, kind: str) -> str:
    """The field a kind is reviewed under: ``""`` the main comment, else its question's name."""
    return "" if kind == "suggestions" else column_of(composer, kind) or ""


def review_column(composer: Composer, kind: str, what: str) -> str:
    """The frame's column of a kind's own ``categories``, ``corrected`` or ``publishable``."""
    return reviewed(what, field_of(composer, kind))


def text_ids(composer: Composer, kind: str, chosen: pd.DataFrame) -> pd.Series:
    """Each text's id as analysts address it: ``1a2b3c4d``, or ``1a2b3c4d/extra_needs_text``."""
    field = field_of(composer, kind)
    ids = chosen["response_id"].str.slice(0, 8)
    return ids + "/" + field if field else ids


def written(frame: pd.DataFrame, column: str | None) -> pd.DataFrame:
    if column is None or column not in frame:
        return frame.iloc[0:0]
    texts = frame[column]
    return frame[texts.map(lambda t: isinstance(t, str) and bool(t.strip())).astype(bool)]


def category_tables(composer: Composer, frame: pd.DataFrame) -> dict[str, Table]:
    tables = _other_tables(composer, frame)
    for kind, name in TABLES.items():
        column = column_of(composer, kind)
        if kind != "suggestions" and column is None:
            continue  # a form without a described need has no table of its categories
        labels = composer.categoriser.labels
        found = review_column(composer, kind, "categories")
        result = metrics.suggestions(frame, list(labels), column, found)
        rows = tuple((labels[c], n) for c, n in result.by_category.items())
        prefix = kind
        tables[name] = Table(
            name,
            composer.t(f"{prefix}.categories_table"),
            (composer.col("category"), composer.col("count")),
            rows,
            counts=(1,),
            sheet=composer.t(f"sheets.{name}"),
        )
    return tables


def _other_tables(composer: Composer, frame: pd.DataFrame) -> dict[str, Table]:
    """A loaded form's free texts without a role, each counted by category like suggestions."""
    tables = {}
    labels = composer.categoriser.labels
    for name in composer.roles.others:
        found = reviewed("categories", name)
        result = metrics.suggestions(frame, list(labels), name, found)
        title = composer.words.t(f"questions.{name}.title")
        tables[found] = Table(
            found,
            composer.t("texts.categories_table", title=title),
            (composer.col("category"), composer.col("count")),
            tuple((labels[c], n) for c, n in result.by_category.items()),
            counts=(1,),
            sheet=title[:31],
        )
    return tables


@dataclass(frozen=True)
class Comments:
    composer: Composer
    frame: pd.DataFrame

    def section(self, tables: dict[str, Table]) -> Section:
        c = self.composer
        blocks: list[Block] = []
        if c.roles.suggestions is not None:
            blocks += self._suggestions(tables)
        if c.roles.needs is not None:
            blocks += self._needs(tables)
        for name in c.roles.others:
            blocks += self._other(name, tables)
        return Section(c.t("sections.suggestions"), tuple(blocks))

    def _other(self, name: str, tables: dict[str, Table]) -> list[Block]:
        """Told as the suggestions are: who filled it, its categories, its texts."""
        from reporting.compose import question_numbers

        c, frame = self.composer, self.frame
        chosen = written(frame, name)
        number = question_numbers(c.questionnaire).get(name, "")
        question = c.words.t(f"questions.{name}.text")
        lead = c.t(
            "suggestions.filled", filled=c.count(len(chosen)), respondents=c.count(len(frame))
        )
        if len(chosen):
            by_hand = int(chosen[reviewed("corrected", name)].sum())
            lead += " " + c.t("suggestions.corrected", count=c.count(by_hand))
        blocks: list[Block] = [Heading(f"{number}. {question}"), Paragraph(lead)]
        if not len(chosen):
            return blocks
        blocks.append(tables[reviewed("categories", name)])
        title = c.words.t(f"questions.{name}.title")
        if not c.public:
            return [*blocks, self._other_register(name, chosen, title)]
        published = chosen[chosen[reviewed("publishable", name)].astype(bool)]
        if published.empty:
            return [*blocks, Paragraph(c.t("texts.no_public_comments", title=title))]
        rows = tuple((text,) for text in published[name])
        heading = c.t("texts.public_comments", title=title)
        sheet = (c.t("sheets.public_suggestions") + " " + name)[:31]
        return [*blocks, Table(f"public@{name}", heading, (c.col("text"),), rows, sheet=sheet)]

    def _other_register(self, name: str, chosen: pd.DataFrame, title: str) -> Table:
        c, labels = self.composer, self.composer.categoriser.labels
        columns = {
            "id": chosen["response_id"].str.slice(0, 8) + "/" + name,
            "service": _services(c, chosen).map(c.short_service),
            "category": chosen[reviewed("categories", name)].map(
                lambda found: "; ".join(labels.get(x, x) for x in found)
            ),
            "text": chosen[name],
        }
        rows = pd.DataFrame(columns).head(REGISTER_IN_DOCUMENT)
        return Table(
            "register",
            c.t("texts.register_table", title=title),
            tuple(c.col(k) for k in columns),
            FrameRows(rows),
        )

    def _suggestions(self, tables: dict[str, Table]) -> list[Block]:
        c, frame = self.composer, self.frame
        suggestions = column_of(c, "suggestions")
        result = metrics.suggestions(frame, [], suggestions)
        lead = c.t(
            "suggestions.filled",
            filled=c.count(result.filled),
            respondents=c.count(result.respondents),
        )
        if result.filled:
            by_hand = int(written(frame, suggestions)["corrected"].sum())
            lead += " " + c.t("suggestions.corrected", count=c.count(by_hand))
        from reporting.compose import question_numbers

        number = question_numbers(c.questionnaire).get(suggestions or "", "")
        question = c.words.t(f"questions.{suggestions}.text") if suggestions else ""
        blocks: list[Block] = [Heading(f"{number}. {question}"), Paragraph(lead)]
        blocks.append(tables["categories"])
        blocks += self._texts("suggestions")
        return blocks

    def _needs(self, tables: dict[str, Table]) -> list[Block]:
        c, frame = self.composer, self.frame
        needs = column_of(c, "needs")
        blocks: list[Block] = [Heading(c.t("needs.title"))]
        described_need = c.questionnaire.get(needs or "")
        condition = described_need.ask_if if described_need else None
        said_yes = (
            int((frame[condition.question] == condition.equals).sum())
            if condition and condition.question in frame
            else 0
        )
        chosen = written(frame, needs)
        described = len(chosen)
        lead = c.t(
            "needs.lead",
            yes=c.count(said_yes),
            respondents=c.count(len(frame)),
            filled=c.count(described),
        )
        by_hand = int(chosen[review_column(c, "needs", "corrected")].sum()) if described else 0
        if by_hand:
            lead += " " + c.t("suggestions.corrected", count=c.count(by_hand))
        blocks.append(Paragraph(lead))
        if described:
            blocks.append(tables["needs_categories"])
            blocks += self._texts("needs")
        return blocks

    def _texts(self, kind: str) -> list[Block]:
        c = self.composer
        column, prefix = column_of(c, kind), kind
        if not c.public:
            register = self.register(kind)
            if not len(register.rows):
                return []
            if len(register.rows) <= REGISTER_IN_DOCUMENT:
                return [register]
            note = c.t(
                "suggestions.register_cut",
                shown=REGISTER_IN_DOCUMENT,
                count=len(register.rows),
                sheet=c.t("sheets.register"),
            )
            cut = replace(register, rows=tuple(register.rows[:REGISTER_IN_DOCUMENT]))
            return [Paragraph(note), cut]
        chosen = written(self.frame, column)
        chosen = chosen[chosen[review_column(c, kind, "publishable")].astype(bool)]
        if chosen.empty:
            return [Paragraph(c.t(f"{prefix}.no_public_comments"))]
        rows = tuple((text,) for text in chosen[column])
        title = c.t(f"{prefix}.public_comments")
        sheet = c.t(f"sheets.public_{prefix}")
        return [Table(f"public_{prefix}", title, (c.col("text"),), rows, sheet=sheet)]

    def register(self, kind: str) -> Table:
        """Compact, for print: number, service, categories, text."""
        c = self.composer
        column = column_of(c, kind)
        chosen = written(self.frame, column)
        labels = c.categoriser.labels
        columns = {
            "id": text_ids(c, kind, chosen),
            "service": _services(c, chosen).map(c.short_service),
            "category": chosen[review_column(c, kind, "categories")].map(
                lambda found: "; ".join(labels.get(x, x) for x in found)
            ),
            "text": chosen[column] if column else pd.Series(dtype=object),
        }
        prefix = kind
        return Table(
            "register",  # the spreadsheet has the full register instead
            c.t(f"{prefix}.register_table"),
            tuple(c.col(k) for k in columns),
            FrameRows(pd.DataFrame(columns)),
        )

    def full_register(self) -> Table:
        """For the spreadsheet: every text of both fields, with its date and review marks,
        then the form's other free texts (a loaded form may have several)."""
        c = self.composer
        parts = []
        for kind in KINDS:
            column = column_of(c, kind)
            if column is None:
                continue
            chosen = written(self.frame, column)
            found = chosen[review_column(c, kind, "categories")]
            marks = (
                chosen[review_column(c, kind, "corrected")],
                chosen[review_column(c, kind, "publishable")],
            )
            ids = text_ids(c, kind, chosen)
            parts.append(self._register_rows(chosen, column, ids, found, marks))
        for name in c.roles.others:  # a loaded form's other free texts, each reviewed alone
            chosen = written(self.frame, name)
            ids = chosen["response_id"].str.slice(0, 8) + "/" + name
            found = chosen[reviewed("categories", name)]
            marks = (chosen[reviewed("corrected", name)], chosen[reviewed("publishable", name)])
            parts.append(self._register_rows(chosen, name, ids, found, marks))
        columns = ("id", "date", "service", "text", "category", "corrected", "publishable")
        empty = pd.DataFrame(columns=[*columns, "field"])
        data = pd.concat(parts, ignore_index=True) if parts else empty
        return Table(
            "register",
            c.t("suggestions.register_table"),
            tuple(c.col(k) for k in data.columns),
            FrameRows(data),
            sheet=c.t("sheets.register"),
        )

    def _register_rows(
        self,
        chosen: pd.DataFrame,
        column: str,
        ids: pd.Series,
        found: pd.Series,
        marks: tuple[pd.Series, pd.Series],
    ) -> pd.DataFrame:
        """One field's texts in the register; ``marks``: corrected, publishable."""
        c = self.composer
        labels = c.categoriser.labels
        names = {code: c.service_name(code) for code in c.services()}
        corrected, publishable = marks
        return pd.DataFrame(
            {
                "id": ids,
                "date": chosen["submitted_on"].dt.date,
                "service": _services(c, chosen).map(
                    lambda s: names.get(s, "") if isinstance(s, str) else ""
                ),
                "text": chosen[column],
                "category": found.map(lambda codes: "; ".join(labels.get(x, x) for x in codes)),
                "corrected": corrected.map(TICK),
                "publishable": publishable.map(TICK),
                "field": c.words.t(f"questions.{column}.title"),
            }
        )


def _services(c: Composer, chosen: pd.DataFrame) -> pd.Series:
    """The service each text's writer answered, or nothing when the form has no service."""
    service = c.roles.service
    if service is None or service not in chosen:
        return pd.Series([None] * len(chosen), index=chosen.index, dtype=object)
    return chosen[service]
