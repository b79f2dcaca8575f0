"""``feedback-bot import``: our own export, or a Google Forms export with Georgian headers.

All or nothing: every bad row is reported with its number, column and reason, and then
nothing is stored. A row is recognised by a hash of what it stores (date, version, answers)
and of which occurrence of that content in the file it is: importing the same file again,
renamed or grown by later rows, stores only the rows not stored before. Columns that are not
stored (such as an e-mail address) never enter the hash, so the hash confirms nothing about
them. Free texts lose their personal details (phone numbers, e-mails…) before anything else.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, tzinfo

from bot.exchange.files import restored, xml_unescaped
from bot.exchange.headers import CHANNEL, SUBMITTED_ON, VERSION, Columns, normalised
from bot.exchange.sources import Table, column_name
from bot.exchange.timestamps import DayReader
from bot.questionnaire.cleaning import clean
from bot.questionnaire.engine import final_answers
from bot.questionnaire.i18n import Locale
from bot.questionnaire.masking import mask
from bot.questionnaire.model import SERVICE, Answer, Question, Questionnaire
from bot.questionnaire.typed_answers import Problem

KNOWN_CHANNELS = ("paper", "telegram", "messenger", "google_forms", "web", "console", "imported")
"""Every channel a stored response may have; an export carries them in its channel column."""
FORM_CHANNELS = ("paper", "google_forms")
"""Where a Google Forms file's rows came from: paper forms typed in, or citizens online."""


@dataclass(frozen=True)
class ImportRow:
    number: int
    row_hash: str
    day: date
    channel: str
    version: str
    answers: dict[str, Answer]
    masked: int = 0
    """Personal details replaced in the row's texts."""


@dataclass(frozen=True)
class RowProblem:
    number: int
    reason: str


MULTI_SPLIT = re.compile(r"[,;]")


@dataclass(frozen=True)
class _Cells:
    """One row's cells by column name; our own export's cells are read back as written."""

    values: Sequence[str]
    columns: Columns
    xlsx: bool

    def value(self, name: str) -> str:
        index = self.columns.index.get(name)
        values = self.values
        value = values[index].strip() if index is not None and index < len(values) else ""
        if self.columns.own:
            value = restored(xml_unescaped(value) if self.xlsx else value)
        return value

    def where(self, name: str) -> str:
        return column_name(self.columns.index[name])


class Importer:
    def __init__(
        self,
        questionnaire: Questionnaire,
        locale: Locale,
        versions: frozenset[str] | None = None,
    ) -> None:
        """``versions``: the form's versions our own export may carry (its newest one is
        stored with the rows of a Google Forms file)."""
        self.q, self.t, self.locale = questionnaire, locale.t, locale
        self.versions = versions or frozenset({questionnaire.version})
        self.mark = locale.t("privacy.mark")
        self.options: dict[str, dict[str, str]] = {}
        """Each question's codes by option name as compared (``normalised``)."""
        self.exact: dict[str, dict[str, str]] = {}
        """…and by name exactly as written: a label of symbols (``★★``) normalises to nothing."""
        for question in questionnaire.questions:
            known: dict[str, str] = {}
            exact: dict[str, str] = {}
            for code in question.options:
                label = self.t(f"options.{question.id}.{code}")
                shown = question.kind.option_label(code, label)
                names = [code, label, f"{code} — {label}", shown]
                if question.role == SERVICE:
                    names.append(self.t(f"service_names.{code}"))
                for name in names:
                    exact[name.strip()] = code
                    if normalised(name):
                        known[normalised(name)] = code
            self.options[question.id] = known
            self.exact[question.id] = exact

    def rows(
        self, table: Table, columns: Columns, channel: str | None, zone: tzinfo, today: date
    ) -> Iterator[ImportRow | RowProblem]:
        """Each data row in turn, or why it cannot be stored (header and label rows skipped)."""
        days = DayReader.for_values(self._column(table, columns, SUBMITTED_ON), zone, today)
        occurrences: Counter[bytes] = Counter()
        for number, cells in enumerate(table.rows(), start=1):
            if number == 1 or not any(cell.strip() for cell in cells):
                continue
            if columns.own and number == 2 and self._is_label_row(cells, columns):
                continue
            try:
                stored, row = self._row(number, cells, columns, channel, days, table.xlsx)
            except ValueError as error:
                yield RowProblem(number, str(error))
                continue
            content = hashlib.sha256(stored.encode()).digest()
            occurrences[content] += 1
            yield _nth(row, stored, occurrences[content])

    def _column(self, table: Table, columns: Columns, name: str) -> Iterator[str]:
        index = columns.index[name]
        for number, cells in enumerate(table.rows(), start=1):
            if number > 1 and index < len(cells):
                yield cells[index].strip()

    def _is_label_row(self, cells: Sequence[str], columns: Columns) -> bool:
        index = columns.index[SUBMITTED_ON]
        label = self.t("exchange.columns.submitted_on")
        return index < len(cells) and cells[index].strip() == label

    def _row(
        self,
        number: int,
        values: Sequence[str],
        columns: Columns,
        channel: str | None,
        days: DayReader,
        xlsx: bool,
    ) -> tuple[str, ImportRow]:
        cells = _Cells(values, columns, xlsx)
        day = days.day(cells.value(SUBMITTED_ON))
        if day is None:
            value = _shortened(cells.value(SUBMITTED_ON))
            column = cells.where(SUBMITTED_ON)
            raise ValueError(self.t("exchange.bad_date", value=value, column=column))
        answers, masked = self._answers(cells)
        version = self._version(cells)
        found_channel = self._row_channel(cells, channel)
        stored = json.dumps([day.isoformat(), version, answers], ensure_ascii=False, sort_keys=True)
        return stored, ImportRow(number, "", day, found_channel, version, answers, masked)

    def _answers(self, cells: _Cells) -> tuple[dict[str, Answer], int]:
        """The answers as the chat would store them, and how many personal details their
        texts lost; a required answer missing refuses the row."""
        given: dict[str, Answer] = {}
        masked = 0
        for question in self.q.answerable():
            raw = cells.value(question.id)
            if not question.asked:  # a calculation: final_answers works it out again
                continue
            if not raw:
                given[question.id] = None
            elif question.kind.buttons:  # an option's label or code (several: each)
                given[question.id] = self._code(question, raw, cells)
            elif question.kind.free_text:
                text, found = self._text(question, raw, cells)
                masked += found
                given[question.id] = text or None  # a cell with nothing visible is empty
            else:  # checked as if typed in the chat (a number)
                given[question.id] = self._number(question, raw, given, cells.where(question.id))
        answers = final_answers(self.q, given)
        for question in self.q.applicable(answers):
            if question.required and answers.get(question.id) is None:
                title = self.t(f"questions.{question.id}.title")
                raise ValueError(self.t("exchange.missing_answer", question=title))
        return answers, masked

    def _code(self, question: Question, raw: str, cells: _Cells) -> str:
        code = self._value(question, raw)
        if code is None:
            raise ValueError(
                self.t(
                    "exchange.unknown_answer",
                    question=self.t(f"questions.{question.id}.title"),
                    value=_shortened(raw),
                    column=cells.where(question.id),
                )
            )
        return code

    def _text(self, question: Question, raw: str, cells: _Cells) -> tuple[str, int]:
        # a Google Forms cell is cleaned as a typed answer is; our own export holds texts as
        # they were stored, and gives them back exactly
        cleaned = raw if cells.columns.own else clean(raw)
        text, found = mask(cleaned, self.mark) if cleaned else ("", 0)
        if len(text) > question.max_length:
            raise ValueError(
                self.t(
                    "exchange.too_long",
                    question=self.t(f"questions.{question.id}.title"),
                    length=len(text),
                    limit=question.max_length,
                    column=cells.where(question.id),
                )
            )
        return text, found

    def _version(self, cells: _Cells) -> str:
        """Our own export's rows keep their version (one of the form's); a Google Forms
        file's rows take the questionnaire's."""
        if not cells.columns.own:
            return self.q.version
        if cells.value(VERSION) not in self.versions:
            raise ValueError(
                self.t(
                    "exchange.bad_version",
                    value=_shortened(cells.value(VERSION)),
                    versions=", ".join(sorted(self.versions)),
                    column=cells.where(VERSION),
                )
            )
        return cells.value(VERSION)

    def _row_channel(self, cells: _Cells, given: str | None) -> str:
        own = cells.columns.own
        written = cells.value(CHANNEL) if CHANNEL in cells.columns.index else ""
        found = self._channel(written, given)
        if found is None:
            raise ValueError(
                self.t(
                    "exchange.bad_channel",
                    value=_shortened(cells.value(CHANNEL)),
                    channels=", ".join(KNOWN_CHANNELS if own else FORM_CHANNELS),
                    column=cells.where(CHANNEL),
                )
            )
        return found

    def _number(self, question: Question, raw: str, given: dict[str, Answer], column: str) -> str:
        """The number as the chat would store it, or the chat's own reason for refusing it
        ("inf", "1e5", a number outside the range or the constraint are refused alike)."""
        typed = question.kind.typed(question, raw)
        value, problem = ("", typed) if isinstance(typed, Problem) else (typed, None)
        rule = question.constraint
        if problem is None and rule is not None and not rule.holds(given, value):
            problem = Problem("constraint", {"question": question.id})
        if problem is None:
            return value
        raise ValueError(
            self.t(
                "exchange.bad_number",
                question=self.t(f"questions.{question.id}.title"),
                value=_shortened(raw),
                column=column,
                reason=self._reason(problem),
            )
        )

    def _reason(self, problem: Problem) -> str:
        """What the chat says to a citizen who typed it (a form's own constraint message)."""
        if problem.code == "constraint":
            own = f"questions.{problem.values.get('question')}.constraint_message"
            return self.t(own) if self.locale.has(own) else self.t("problem.constraint")
        return self.t(f"problem.{problem.code}", **problem.values)

    def _value(self, question: Question, raw: str) -> str | None:
        """An option's code; several codes (ours: "food hours"; Google Forms' checkboxes:
        "კვება, სამუშაო საათები")."""
        if not question.kind.several:
            return self._option(question, raw)
        pieces = raw.split() if all(p in question.options for p in raw.split()) else None
        if pieces is None:
            pieces = [self._option(question, p) for p in MULTI_SPLIT.split(raw) if p.strip()]
        if not pieces or any(p is None for p in pieces):
            return None
        return " ".join(code for code in question.options if code in pieces)

    def _option(self, question: Question, written: str) -> str | None:
        """The code of the option written: its label or code exactly, else as compared."""
        found = self.exact[question.id].get(written.strip())
        return found or self.options[question.id].get(normalised(written))

    def _channel(self, written: str, given: str | None) -> str | None:
        if not written:
            return given
        code = written.strip().casefold()
        return code if code in KNOWN_CHANNELS else None


def _shortened(value: str, limit: int = 60) -> str:
    """A bad value quoted in one line: a 100,000-character cell is not printed whole."""
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _nth(row: ImportRow, stored: str, occurrence: int) -> ImportRow:
    """The row with its identity: its stored content and the how-manieth copy of it this is
    (two identical forms in one file are two forms; a later file with three adds one)."""
    row_hash = hashlib.sha256(f"{stored}\x1f{occurrence}".encode()).hexdigest()
    return replace(row, row_hash=row_hash)
