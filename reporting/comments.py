"""Section 5: what people wrote — suggestions and the extra needs they described.

Both free texts are categorised by the same rules and counted the same way. The internal
version lists them in a compact register; the public one shows only texts an analyst
marked publishable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from reporting import metrics
from reporting.document import Block, FrameRows, Heading, Paragraph, Section, Table

if TYPE_CHECKING:
    from reporting.compose import Composer

REGISTER_IN_DOCUMENT = 1000
"""Comments listed in Word/HTML; the spreadsheet always has all of them."""
SUGGESTIONS, NEEDS = "suggestions", "extra_needs_text"
FOUND_IN = {SUGGESTIONS: "categories", NEEDS: "needs_categories"}


def written(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    if column not in frame:
        return frame.iloc[0:0]
    texts = frame[column]
    return frame[texts.map(lambda t: isinstance(t, str) and bool(t.strip())).astype(bool)]


def category_tables(composer: Composer, frame: pd.DataFrame) -> dict[str, Table]:
    tables = {}
    for column, name in ((SUGGESTIONS, "categories"), (NEEDS, "needs_categories")):
        labels = composer.categoriser.labels
        result = metrics.suggestions(frame, list(labels), column, FOUND_IN[column])
        rows = tuple((labels[c], n) for c, n in result.by_category.items())
        prefix = "suggestions" if column == SUGGESTIONS else "needs"
        tables[name] = Table(
            name,
            composer.t(f"{prefix}.categories_table"),
            (composer.col("category"), composer.col("count")),
            rows,
            counts=(1,),
            sheet=composer.t(f"sheets.{name}"),
        )
    return tables


@dataclass(frozen=True)
class Comments:
    composer: Composer
    frame: pd.DataFrame

    def section(self, tables: dict[str, Table]) -> Section:
        c, frame = self.composer, self.frame
        result = metrics.suggestions(frame, [])
        lead = c.t(
            "suggestions.filled",
            filled=c.count(result.filled),
            respondents=c.count(result.respondents),
        )
        if result.filled:
            by_hand = int(written(frame, SUGGESTIONS)["corrected"].sum())
            lead += " " + c.t("suggestions.corrected", count=c.count(by_hand))
        from reporting.compose import question_numbers

        number = question_numbers(c.questionnaire)[SUGGESTIONS]
        question = c.words.t(f"questions.{SUGGESTIONS}.text")
        blocks: list[Block] = [Heading(f"{number}. {question}"), Paragraph(lead)]
        blocks.append(tables["categories"])
        blocks += self._texts(SUGGESTIONS)
        blocks.append(Heading(c.t("needs.title")))
        said_yes = int((frame["extra_needs"] == "yes").sum()) if "extra_needs" in frame else 0
        described = len(written(frame, NEEDS))
        blocks.append(
            Paragraph(
                c.t(
                    "needs.lead",
                    yes=c.count(said_yes),
                    respondents=c.count(len(frame)),
                    filled=c.count(described),
                )
            )
        )
        if described:
            blocks.append(tables["needs_categories"])
            blocks += self._texts(NEEDS)
        return Section(c.t("sections.suggestions"), tuple(blocks))

    def _texts(self, column: str) -> list[Block]:
        c = self.composer
        prefix = "suggestions" if column == SUGGESTIONS else "needs"
        if not c.public:
            register = self.register(column)
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
        chosen = chosen[chosen["publishable"].astype(bool)]
        if chosen.empty:
            return [Paragraph(c.t(f"{prefix}.no_public_comments"))]
        rows = tuple((text,) for text in chosen[column])
        title = c.t(f"{prefix}.public_comments")
        sheet = c.t(f"sheets.public_{prefix}")
        return [Table(f"public_{prefix}", title, (c.col("text"),), rows, sheet=sheet)]

    def register(self, column: str) -> Table:
        """Compact, for print: number, service, categories, text."""
        c = self.composer
        chosen = written(self.frame, column)
        labels = c.categoriser.labels
        columns = {
            "id": chosen["response_id"].str.slice(0, 8),
            "service": chosen["service"].map(c.short_service),
            "category": chosen[FOUND_IN[column]].map(
                lambda found: "; ".join(labels.get(x, x) for x in found)
            ),
            "text": chosen[column],
        }
        prefix = "suggestions" if column == SUGGESTIONS else "needs"
        return Table(
            "register",  # the spreadsheet has the full register instead
            c.t(f"{prefix}.register_table"),
            tuple(c.col(k) for k in columns),
            FrameRows(pd.DataFrame(columns)),
        )

    def full_register(self) -> Table:
        """For the spreadsheet: every text of both fields, with its date and review marks."""
        c = self.composer
        labels = c.categoriser.labels
        services = c.questionnaire.get("service").options
        names = {code: c.option("service", code) for code in services}
        parts = []
        for column in (SUGGESTIONS, NEEDS):
            chosen = written(self.frame, column)
            corrected = chosen["corrected"] if column == SUGGESTIONS else False
            parts.append(
                pd.DataFrame(
                    {
                        "id": chosen["response_id"].str.slice(0, 8),
                        "date": chosen["submitted_on"].dt.date,
                        "service": chosen["service"].map(
                            lambda s: names.get(s, "") if isinstance(s, str) else ""
                        ),
                        "text": chosen[column],
                        "category": chosen[FOUND_IN[column]].map(
                            lambda found: "; ".join(labels.get(x, x) for x in found)
                        ),
                        "corrected": pd.Series(corrected, index=chosen.index).map(
                            {True: "✓", False: ""}
                        ),
                        "publishable": chosen["publishable"].map({True: "✓", False: ""}),
                        "field": c.words.t(f"questions.{column}.title"),
                    }
                )
            )
        data = pd.concat(parts, ignore_index=True)
        return Table(
            "register",
            c.t("suggestions.register_table"),
            tuple(c.col(k) for k in data.columns),
            FrameRows(data),
            sheet=c.t("sheets.register"),
        )
