"""Groups, ``or_other`` and ``calculate`` as the XLSForm reader meets them row by row.

A group (``begin group`` … ``end group``, or with underscores) is a section: its label is
the heading before its first question and the section reports and exports name
(``groups.<name>`` texts); its ``relevant`` applies to every question in it, as in ODK; a
``field-list`` group is one page on the web, and so is a ``table-list`` one (pyxform makes
it a ``field-list`` whose selects share one heading; a chat asks them one by one). A
``select_one`` (or ``select_multiple``) ``… or_other`` is followed by ``<name>_other``, a
free text asked only when "other" was chosen. A ``calculate`` reads its ``calculation`` (an
expression over earlier answers) and ``feedback_keep`` (stored or not).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from bot.questionnaire.expressions import Expression, parse
from bot.questionnaire.kinds.base import ProblemSink
from bot.questionnaire.kinds.choice import OTHER, or_other
from bot.questionnaire.model import Kind, Question
from bot.questionnaire.xlsform_appearances import checked_appearance
from bot.questionnaire.xlsform_kinds import question_type
from bot.questionnaire.xlsform_sheets import SURVEY, YES
from bot.questionnaire.xlsform_texts import Texts, translated


class ExpressionReader(Protocol):
    """The reader's own: an expression cell parsed, its references checked."""

    def __call__(
        self,
        number: int,
        row: Mapping[str, str],
        column: str,
        seen: Mapping[str, Question],
        dot: bool,
    ) -> Expression | None: ...


@dataclass(frozen=True)
class Group:
    name: str
    labelled: bool
    page: bool
    relevant: Expression | None
    row: int


class Groups:
    """The groups open at the row being read, outermost first."""

    def __init__(self, problem: ProblemSink, expression: ExpressionReader, language: str) -> None:
        self.problem, self.expression, self.language = problem, expression, language
        self.open: list[Group] = []

    def take(
        self, number: int, row: Mapping[str, str], seen: Mapping[str, Question], texts: Texts
    ) -> bool:
        """Whether the row opens or closes a group (then it is no question)."""
        _, base, _ = question_type(row)
        if base == "end_group":
            if not self.open:
                self.problem(SURVEY, number, "type", "group_end")
            else:
                self.open.pop()
            return True
        if base != "begin_group":
            return False
        name = str(row.get("name", "")) or f"group_{number}"
        page = checked_appearance(self.problem, number, row.get("appearance")).page
        labels = translated(row, "label", self.language)
        for language, label in labels.items():
            texts.setdefault(language, {})[f"groups.{name}"] = label
        relevant = self.expression(number, row, "relevant", seen, False)
        self.open.append(Group(name, bool(labels), page, relevant, number))
        return True

    def close(self) -> None:
        """A group never closed is a problem at the row that opened it."""
        for group in self.open:
            self.problem(SURVEY, group.row, "type", "group_open", name=group.name)

    def place(
        self,
        question: Question,
        number: int,
        row: Mapping[str, str],
        seen: Mapping[str, Question],
        texts: Texts,
    ) -> Iterator[Question]:
        """The question in its groups (a calculation read), then its "other" follow-up."""
        section = next((g.name for g in reversed(self.open) if g.labelled), "")
        page = next((group.name for group in self.open if group.page), "")
        calculation, keep = None, False
        if question.kind == Kind.CALCULATE:
            if not str(row.get("calculation", "")).strip():
                self.problem(SURVEY, number, "calculation", "calculation_missing")
            calculation = self.expression(number, row, "calculation", seen, False)
            keep = str(row.get("feedback_keep", "")).strip().lower() in YES
            if not translated(row, "label", self.language):  # an export's column is named
                texts.setdefault(self.language, {})[f"questions.{question.id}.title"] = question.id
        yield replace(
            question,
            relevant=self._within(question.relevant),
            section=section,
            page=page,
            calculation=calculation,
            keep=keep,
        )
        if question.kind in (Kind.CHOICE, Kind.MULTI) and or_other(row):
            rule = parse(f"selected(${{{question.id}}}, '{OTHER}')")
            yield Question(
                id=f"{question.id}_other",
                kind=Kind.TEXT,
                required=question.required,
                relevant=self._within(rule),
                section=section,
                page=page,
            )

    def _within(self, own: Expression | None) -> Expression | None:
        """``own`` and every open group's ``relevant``: a group's rule holds for each of
        its questions (the parts were each checked when read)."""
        rules = [g.relevant for g in self.open if g.relevant is not None]
        if own is not None:
            rules.append(own)
        if len(rules) <= 1:
            return rules[0] if rules else None
        return parse(" and ".join(f"({rule.text})" for rule in rules))
