"""What a kind of question is: how its XLSForm row is read, how it is answered and shown,
how its answer is imported and exported, and which report table it gets.

The engine, the views, the importer and the reports ask the question's kind; none of them
names a kind. A kind is a frozen, stateless object (one per kind, in the registry), so a
question holding it stays a hashable value and a turn pays only a method call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import ClassVar, Protocol

from bot.questionnaire.inputs import Choose, Input
from bot.questionnaire.typed_answers import Problem, Question
from bot.questionnaire.xlsform_sheets import SURVEY, ChoiceLists

Hint = tuple[str, Mapping[str, object]]
"""A locale key under ``prompt.`` and its values: the views turn it into text."""
UNKNOWN_BUTTON = Problem("unknown_button")


class Answering(StrEnum):
    """How a citizen answers: by pressing an option, by typing, or not at all (a note)."""

    BUTTONS = "buttons"
    TYPING = "typing"
    READING = "reading"
    COMPUTED = "computed"
    """Never asked: worked out from the answers (``calculate``)."""


class ReportTable(StrEnum):
    """The table a question's answers get in a report."""

    COUNTS = "counts"
    """A count and share per option."""
    NUMBERS = "numbers"
    """Counts per value or range, and the mean."""
    TEXTS = "texts"
    """Free texts, sorted into categories."""
    MONTHS = "months"
    """Counts per month of the report's period (a date: which day would say too much)."""
    NONE = "none"


class Exported(StrEnum):
    """What an export's cell holds, so that a spreadsheet can sum and average it."""

    TEXT = "text"
    INTEGER = "integer"
    REAL = "real"


class ProblemSink(Protocol):
    def __call__(
        self, sheet: str, row: int | None, column: str, code: str, /, **values: str
    ) -> None: ...


@dataclass(frozen=True)
class Row:
    """A survey row as a kind reads it: its type's base (``select_one``), its list, its
    appearance and cells, the form's choice lists, and where problems go (all of a form's
    problems are reported at once)."""

    number: int
    base: str
    list_name: str
    appearance: str
    cells: Mapping[str, str]
    choices: ChoiceLists
    problem: ProblemSink

    def listed(self) -> tuple[str, ...]:
        """The codes of the row's choice list (a missing list is a problem)."""
        if self.list_name not in self.choices:
            self.problem(SURVEY, self.number, "type", "choice_list", list=self.list_name)
            return ()
        return tuple(code for code, _, _ in self.choices[self.list_name])


@dataclass(frozen=True)
class Reading:
    """What a kind read from its row besides itself."""

    options: tuple[str, ...] = ()
    bounds: tuple[float, float, float] | None = None
    decimal: bool = False


class QuestionKind:
    """One kind of question. Subclasses set the class attributes and override what differs;
    the defaults describe a question nobody can press or type an answer to."""

    name: ClassVar[str]
    """As saved questionnaire definitions store it (``"choice"``): never change it."""
    types: ClassVar[frozenset[str]] = frozenset()
    """The XLSForm types (their base: ``select_one``) whose rows this kind may take."""
    appearances: ClassVar[frozenset[str]] = frozenset()
    """XLSForm appearances this kind reads, besides the ones every form may use."""
    answering: ClassVar[Answering] = Answering.TYPING
    inputs: ClassVar[frozenset[type]] = frozenset()
    """The button presses it takes besides typing (``Choose``; ``Toggle`` and ``Done``)."""
    several: ClassVar[bool] = False
    """Several options at once: ticked one by one, then "done"; shares add up past 100%."""
    scored: ClassVar[bool] = False
    """Its options are the whole numbers of a scale: a mean and the top two boxes."""
    linkable: ClassVar[bool] = False
    """A link or QR code may answer it beforehand (the service a form is about)."""
    report: ClassVar[ReportTable] = ReportTable.NONE
    exported: ClassVar[Exported] = Exported.TEXT

    @property
    def value(self) -> str:
        """The name, as the enum this replaces spelt it (``forms.kinds.<value>``)."""
        return self.name

    @property
    def stores(self) -> bool:
        """Whether a citizen's answer is kept (a note is only read; a calculation is no
        answer, and is kept only when its form says so: ``Question.stored``)."""
        return self.answering not in (Answering.READING, Answering.COMPUTED)

    @property
    def buttons(self) -> bool:
        return self.answering is Answering.BUTTONS

    @property
    def free_text(self) -> bool:
        return self.report is ReportTable.TEXTS

    def __eq__(self, other: object) -> bool:
        """Equal to its name, as the string enum it replaces was (``kind == "text"``)."""
        if isinstance(other, QuestionKind):
            return self.name == other.name
        return isinstance(other, str) and self.name == other

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"Kind.{self.name.upper()}"

    def __str__(self) -> str:
        return self.name

    # --- the XLSForm row and the YAML form ----------------------------------------------
    def takes(self, row: Row) -> bool:
        """Whether this kind asks the row's question (kinds are tried in registry order)."""
        return row.base in self.types

    def read(self, row: Row) -> Reading:
        return Reading()

    def options_problem(self, options: tuple[str, ...]) -> str | None:
        """Why a YAML form's options do not fit this kind, if they do not."""
        return None if options else "a choice or scale question needs options"

    def own_label(self, code: str) -> str:
        """An option's label when the form gives none (a range's digit)."""
        return code

    # --- the engine ---------------------------------------------------------------------
    def choose(self, question: Question, code: str) -> str | Problem:
        """The answer an option's button gives."""
        return code if code in question.options else UNKNOWN_BUTTON

    def toggle(self, question: Question, current: str | None, code: str) -> str | None:
        """The answer after ``code`` is ticked or unticked (``None``: nothing ticked)."""
        return current

    def done(self, question: Question, current: str | None) -> str | Problem | None:
        """The answer kept when "done" (or "continue") is pressed."""
        return current

    def typed(self, question: Question, text: str) -> str | Problem:
        """The answer typed ``text`` gives, or why it is refused."""
        return Problem("not_a_button")

    def choose_on(self, question: Question, code: str, today: date | None) -> str | Problem:
        """``choose`` on the day the adapter says it is (a date's "today" button)."""
        return self.choose(question, code)

    def typed_on(self, question: Question, text: str, today: date | None) -> str | Problem:
        """``typed`` on the day the adapter says it is (a date typed without its year)."""
        return self.typed(question, text)

    # --- the views ----------------------------------------------------------------------
    def press(self, question_id: str, code: str) -> Input:
        """What pressing an option's button does."""
        return Choose(question_id, code)

    def option_key(self, code: str, number: int) -> str:
        """What may be typed instead of pressing the option: its number in the list."""
        return str(number)

    def option_label(self, code: str, label: str) -> str:
        return label

    def codes(self, answer: str) -> tuple[str, ...] | None:
        """The option codes an answer holds; ``None``: it is shown as typed."""
        return None

    def extras(self, question: Question) -> tuple[tuple[str, str], ...]:
        """Buttons besides the options, as (code, locale key): a date's "today"."""
        return ()

    def shown(self, answer: str) -> str:
        """A typed answer as the citizen reads it back (a date as 12.08.2026)."""
        return answer

    def hints(self, question: Question) -> tuple[Hint, ...]:
        """What the hint under the question says about answering it."""
        return ()
