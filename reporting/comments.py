"""Section 5: what people wrote — suggestions and the extra needs they described.

Both free texts are counted the same way, each with its own categories (a need by what it
asks for: firewood, medicines, repairs; a category nobody's need fell in is not listed), and
each is reviewed on its own (the need under its question's name, ``#1a2b3c4d/extra_needs_text``).
The internal version lists them in a compact register; the public one shows only the texts
an analyst marked publishable, each by its own mark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from bot.questionnaire.numbering import question_numbers
from reporting import metrics
from reporting.document import SECONDARY, Block, FrameRows, Heading, Paragraph, Section, Table
from reporting.frame import reviewed

if TYPE_CHECKING:
    from reporting.composer import Composer

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


def labels_of(composer: Composer, kind: str) -> Mapping[str, str]:
    """A kind's category names by code: the extra needs have categories of their own."""
    categoriser = composer.categoriser
    return (categoriser.of_needs() if kind == "needs" else categoriser).labels


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
        labels = labels_of(composer, kind)
        found = review_column(composer, kind, "categories")
        result = metrics.suggestions(frame, list(labels), column, found)
        counts = result.by_category
        if kind == "needs":
            counts = _needs_order(composer, list(labels), counts)
        elif composer.public:
            counts = _public_order(list(labels), counts)
        rows = tuple((labels[code], n) for code, n in counts.items())
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


def _needs_order(composer: Composer, codes: list[str], counts: dict[str, int]) -> dict[str, int]:
    """A need's category nobody wrote is not listed; in public, in the labels' order until
    ``printed_order`` sorts what is printed."""
    found = {code: n for code, n in counts.items() if n}
    if not composer.public:
        return found
    return {code: found[code] for code in codes if code in found}


def _public_order(codes: list[str], counts: dict[str, int]) -> dict[str, int]:
    return {code: counts[code] for code in codes if code in counts}


def printed_order(table: Table, public: bool) -> Table:
    """A public table of categories as printed: the counts it prints most frequent first,
    then those it hides (``<k``, ``x``) and the zeros, each in the labels' order. Sorted by
    their true counts, the rows would tell a hidden 2 from a hidden 1, or pin an ``x``
    between the counts printed either side of it."""
    if not public or table.withheld:
        return table

    def place(row: tuple[object, ...]) -> tuple[int, int]:
        value = row[1]
        if isinstance(value, int) and value > 0:
            return (0, -value)
        return (1, 0) if isinstance(value, str) else (2, 0)

    return replace(table, rows=tuple(sorted(table.rows, key=place)))


def _other_tables(composer: Composer, frame: pd.DataFrame) -> dict[str, Table]:
    """A loaded form's free texts without a role, each counted by category like suggestions."""
    tables = {}
    labels = composer.categoriser.labels
    for name in composer.roles.others:
        found = reviewed("categories", name)
        result = metrics.suggestions(frame, list(labels), name, found)
        counts = result.by_category
        if composer.public:
            counts = _public_order(list(labels), counts)
        title = composer.words.t(f"questions.{name}.title")
        tables[found] = Table(
            found,
            composer.t("texts.categories_table", title=title),
            (composer.col("category"), composer.col("count")),
            tuple((labels[code], n) for code, n in counts.items()),
            counts=(1,),
            sheet=title[:31],
        )
    return tables


@dataclass(frozen=True)
class Comments:
    composer: Composer
    frame: pd.DataFrame

    def section(self, tables: dict[str, Table]) -> Section:
        composer = self.composer
        blocks: list[Block] = []
        if composer.roles.suggestions is not None:
            blocks += self._suggestions(tables)
        if composer.roles.needs is not None:
            blocks += self._needs(tables)
        for name in composer.roles.others:
            blocks += self._other(name, tables)
        return Section(composer.t("sections.suggestions"), tuple(blocks))

    def _other(self, name: str, tables: dict[str, Table]) -> list[Block]:
        """Told as the suggestions are: who filled it, its categories, its texts."""

        composer, frame = self.composer, self.frame
        chosen = written(frame, name)
        number = question_numbers(composer.questionnaire).get(name, "")
        question = composer.words.t(f"questions.{name}.text")
        lead = composer.t(
            "suggestions.filled",
            filled=alongside(composer, tables, len(chosen)),
            respondents=respondents(composer, tables, len(frame)),
        )
        if len(chosen):
            by_hand = int(chosen[reviewed("corrected", name)].sum())
            lead += " " + composer.t(
                "suggestions.corrected", count=alongside(composer, tables, by_hand)
            )
        blocks: list[Block] = [Heading(f"{number}. {question}"), Paragraph(lead)]
        if not len(chosen):
            return blocks
        blocks.append(printed_order(tables[reviewed("categories", name)], composer.public))
        title = composer.words.t(f"questions.{name}.title")
        if not composer.public:
            return [*blocks, self._other_register(name, chosen, title)]
        published = chosen[chosen[reviewed("publishable", name)].astype(bool)]
        if published.empty:
            return [*blocks, Paragraph(composer.t("texts.no_public_comments", title=title))]
        rows = tuple((text,) for text in published[name])
        heading = composer.t("texts.public_comments", title=title)
        sheet = (composer.t("sheets.public_suggestions") + " " + name)[:31]
        return [
            *blocks,
            Table(f"public@{name}", heading, (composer.col("text"),), rows, sheet=sheet),
        ]

    def _other_register(self, name: str, chosen: pd.DataFrame, title: str) -> Table:
        composer, labels = self.composer, self.composer.categoriser.labels
        columns = {
            "id": chosen["response_id"].str.slice(0, 8) + "/" + name,
            "service": _services(composer, chosen).map(composer.short_service),
            "category": chosen[reviewed("categories", name)].map(
                lambda found: "; ".join(labels.get(x, x) for x in found)
            ),
            "text": chosen[name],
        }
        rows = pd.DataFrame(columns).head(REGISTER_IN_DOCUMENT)
        return Table(
            "register",
            composer.t("texts.register_table", title=title),
            tuple(composer.col(k) for k in columns),
            FrameRows(rows),
        )

    def _suggestions(self, tables: dict[str, Table]) -> list[Block]:
        composer, frame = self.composer, self.frame
        suggestions = column_of(composer, "suggestions")
        result = metrics.suggestions(frame, [], suggestions)
        lead = composer.t(
            "suggestions.filled",
            filled=alongside(composer, tables, result.filled),
            respondents=respondents(composer, tables, result.respondents),
        )
        if result.filled:
            by_hand = int(written(frame, suggestions)["corrected"].sum())
            lead += " " + composer.t(
                "suggestions.corrected", count=alongside(composer, tables, by_hand)
            )

        number = question_numbers(composer.questionnaire).get(suggestions or "", "")
        question = composer.words.t(f"questions.{suggestions}.text") if suggestions else ""
        blocks: list[Block] = [Heading(f"{number}. {question}"), Paragraph(lead)]
        blocks.append(printed_order(tables["categories"], composer.public))
        blocks += self._texts("suggestions")
        return blocks

    def _needs(self, tables: dict[str, Table]) -> list[Block]:
        composer, frame = self.composer, self.frame
        needs = column_of(composer, "needs")
        blocks: list[Block] = [Heading(composer.t("needs.title"))]
        described_need = composer.questionnaire.get(needs or "")
        condition = described_need.ask_if if described_need else None
        said_yes = (
            int((frame[condition.question] == condition.equals).sum())
            if condition and condition.question in frame
            else 0
        )
        chosen = written(frame, needs)
        described = len(chosen)
        lead = composer.t(
            "needs.lead",
            yes=alongside(composer, tables, said_yes),
            respondents=respondents(composer, tables, len(frame)),
            filled=alongside(composer, tables, described),
        )
        by_hand = (
            int(chosen[review_column(composer, "needs", "corrected")].sum()) if described else 0
        )
        corrected = alongside(composer, tables, by_hand)
        if by_hand and corrected != SECONDARY:  # said only when nonzero: hidden, not said
            lead += " " + composer.t("suggestions.corrected", count=corrected)
        blocks.append(Paragraph(lead))
        if described:
            blocks.append(printed_order(tables["needs_categories"], composer.public))
            blocks += self._texts("needs")
        return blocks

    def _texts(self, kind: str) -> list[Block]:
        composer = self.composer
        column, prefix = column_of(composer, kind), kind
        if not composer.public:
            register = self.register(kind)
            if not len(register.rows):
                return []
            if len(register.rows) <= REGISTER_IN_DOCUMENT:
                return [register]
            note = composer.t(
                "suggestions.register_cut",
                shown=REGISTER_IN_DOCUMENT,
                count=len(register.rows),
                sheet=composer.t("sheets.register"),
            )
            cut = replace(register, rows=tuple(register.rows[:REGISTER_IN_DOCUMENT]))
            return [Paragraph(note), cut]
        chosen = written(self.frame, column)
        chosen = chosen[chosen[review_column(composer, kind, "publishable")].astype(bool)]
        if chosen.empty:
            return [Paragraph(composer.t(f"{prefix}.no_public_comments"))]
        rows = tuple((text,) for text in chosen[column])
        title = composer.t(f"{prefix}.public_comments")
        sheet = composer.t(f"sheets.public_{prefix}")
        return [Table(f"public_{prefix}", title, (composer.col("text"),), rows, sheet=sheet)]

    def register(self, kind: str) -> Table:
        """Compact, for print: number, service, categories, text."""
        composer = self.composer
        column = column_of(composer, kind)
        chosen = written(self.frame, column)
        labels = labels_of(composer, kind)
        columns = {
            "id": text_ids(composer, kind, chosen),
            "service": _services(composer, chosen).map(composer.short_service),
            "category": chosen[review_column(composer, kind, "categories")].map(
                lambda found: "; ".join(labels.get(x, x) for x in found)
            ),
            "text": chosen[column] if column else pd.Series(dtype=object),
        }
        prefix = kind
        return Table(
            "register",  # the spreadsheet has the full register instead
            composer.t(f"{prefix}.register_table"),
            tuple(composer.col(k) for k in columns),
            FrameRows(pd.DataFrame(columns)),
        )

    def full_register(self) -> Table:
        """For the spreadsheet: every text of both fields, with its date and review marks,
        then the form's other free texts (a loaded form may have several)."""
        composer = self.composer
        parts = []
        for kind in KINDS:
            column = column_of(composer, kind)
            if column is None:
                continue
            chosen = written(self.frame, column)
            found = chosen[review_column(composer, kind, "categories")]
            marks = (
                chosen[review_column(composer, kind, "corrected")],
                chosen[review_column(composer, kind, "publishable")],
            )
            ids = text_ids(composer, kind, chosen)
            labels = labels_of(composer, kind)
            parts.append(self._register_rows(chosen, column, ids, found, marks, labels))
        for name in composer.roles.others:  # a loaded form's other free texts, each reviewed alone
            chosen = written(self.frame, name)
            ids = chosen["response_id"].str.slice(0, 8) + "/" + name
            found = chosen[reviewed("categories", name)]
            marks = (chosen[reviewed("corrected", name)], chosen[reviewed("publishable", name)])
            labels = composer.categoriser.labels
            parts.append(self._register_rows(chosen, name, ids, found, marks, labels))
        columns = ("id", "date", "service", "text", "category", "corrected", "publishable")
        empty = pd.DataFrame(columns=[*columns, "field"])
        data = pd.concat(parts, ignore_index=True) if parts else empty
        return Table(
            "register",
            composer.t("suggestions.register_table"),
            tuple(composer.col(k) for k in data.columns),
            FrameRows(data),
            sheet=composer.t("sheets.register"),
        )

    def _register_rows(
        self,
        chosen: pd.DataFrame,
        column: str,
        ids: pd.Series,
        found: pd.Series,
        marks: tuple[pd.Series, pd.Series],
        labels: Mapping[str, str],
    ) -> pd.DataFrame:
        """One field's texts in the register; ``marks``: corrected, publishable."""
        composer = self.composer
        names = {code: composer.service_name(code) for code in composer.services()}
        corrected, publishable = marks
        return pd.DataFrame(
            {
                "id": ids,
                "date": chosen["submitted_on"].dt.date,
                "service": _services(composer, chosen).map(
                    lambda s: names.get(s, "") if isinstance(s, str) else ""
                ),
                "text": chosen[column],
                "category": found.map(lambda codes: "; ".join(labels.get(x, x) for x in codes)),
                "corrected": corrected.map(TICK),
                "publishable": publishable.map(TICK),
                "field": composer.words.t(f"questions.{column}.title"),
            }
        )


def _services(composer: Composer, chosen: pd.DataFrame) -> pd.Series:
    """The service each text's writer answered, or nothing when the form has no service."""
    service = composer.roles.service
    if service is None or service not in chosen:
        return pd.Series([None] * len(chosen), index=chosen.index, dtype=object)
    return chosen[service]


def respondents(composer: Composer, tables: dict[str, Table], count: int) -> str:
    """The number of respondents as the public tables print it: hidden there (``x``, when
    the audit against earlier public outputs needs it), hidden here too."""
    channels = tables.get("channels")
    if channels is None or not composer.public:
        return composer.count(count)
    shown = SECONDARY if channels.withheld else channels.rows[-1][1]
    return SECONDARY if shown == SECONDARY else composer.count(count)


def alongside(composer: Composer, tables: dict[str, Table], count: int) -> str:
    """A count of the respondents' part (who wrote, who said yes), hidden with their
    number: hidden there means the audit found it changed a little since an earlier public
    output (a late form), and this count's change would tell what that form said."""
    if respondents(composer, tables, 0) == SECONDARY:
        return SECONDARY
    return composer.count(count)
