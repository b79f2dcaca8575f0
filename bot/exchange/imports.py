"""``feedback-bot import``: our own export, or a Google Forms export with Georgian headers.

All or nothing: every bad row is reported with its number and reason, and then nothing is
stored. A row is recognised by a hash of what it stores (date, version, answers) and of
which occurrence of that content in the file it is: importing the same file again, renamed or
grown by later rows, stores only the rows not stored before. Columns that are not stored
(such as an e-mail address) never enter the hash, so the hash confirms nothing about them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.exchange.export import META
from bot.exchange.files import restored
from bot.questionnaire.engine import final_answers
from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import SERVICE, Answer, Questionnaire

TIMESTAMP_HEADERS = {"timestamp", "დროის ნიშნული", "დრო", "თარიღი"}
DATE_FORMATS = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
)


@dataclass(frozen=True)
class ImportRow:
    number: int
    row_hash: str
    day: date
    channel: str
    version: str
    answers: dict[str, Answer]


@dataclass(frozen=True)
class RowProblem:
    number: int
    reason: str


def _norm(text: str) -> str:
    return re.sub(r"[\s?.:!,;]+", " ", text).strip().lower()


class Importer:
    def __init__(self, questionnaire: Questionnaire, locale: Locale) -> None:
        self.q, self.t = questionnaire, locale.t
        self.by_text = {
            _norm(self.t(f"questions.{q.id}.text")): q.id for q in questionnaire.questions
        }
        self.options: dict[str, dict[str, str]] = {}
        for question in questionnaire.questions:
            known: dict[str, str] = {}
            for code in question.options:
                label = self.t(f"options.{question.id}.{code}")
                known.update(
                    {_norm(code): code, _norm(label): code, _norm(f"{code} — {label}"): code}
                )
                if question.role == SERVICE:
                    known[_norm(self.t(f"service_names.{code}"))] = code
            self.options[question.id] = known

    def parse(
        self, table: Sequence[Sequence[str]], channel: str | None
    ) -> tuple[list[ImportRow], list[RowProblem]]:
        if not table:
            return [], [RowProblem(1, self.t("exchange.empty_file"))]
        header = [cell.strip() for cell in table[0]]
        own = "questionnaire_version" in header
        columns = self._own_columns(header) if own else self._form_columns(header)
        if isinstance(columns, RowProblem):
            return [], [columns]
        body = list(enumerate(table[1:], start=2))
        if own and body and body[0][1] and body[0][1][0] == self.t("exchange.columns.submitted_on"):
            body = body[1:]
        rows, problems = [], []
        occurrences: Counter[str] = Counter()
        for number, cells in body:
            if not any(cell.strip() for cell in cells):
                continue
            try:
                row = self._row(number, cells, columns, own, channel)
            except ValueError as error:
                problems.append(RowProblem(number, str(error)))
                continue
            occurrences[row.row_hash] += 1
            rows.append(_nth(row, occurrences[row.row_hash]))
        return rows, problems

    def _own_columns(self, header: list[str]) -> dict[str, int] | RowProblem:
        wanted = [*META, *(q.id for q in self.q.questions)]
        missing = [name for name in wanted if name not in header]
        if missing:
            return RowProblem(1, self.t("exchange.missing_columns", columns=", ".join(missing)))
        return {name: header.index(name) for name in wanted}

    def _form_columns(self, header: list[str]) -> dict[str, int] | RowProblem:
        columns = {}
        for index, cell in enumerate(header):
            if _norm(cell) in TIMESTAMP_HEADERS:
                columns["submitted_on"] = index
            elif _norm(cell) in self.by_text:
                columns[self.by_text[_norm(cell)]] = index
        missing = [
            q.id
            for q in self.q.questions
            if q.required and q.ask_if is None and q.id not in columns
        ]
        if "submitted_on" not in columns:
            missing.insert(0, "Timestamp / დროის ნიშნული")
        if missing:
            return RowProblem(1, self.t("exchange.missing_columns", columns=", ".join(missing)))
        return columns

    def _row(
        self,
        number: int,
        cells: Sequence[str],
        columns: dict[str, int],
        own: bool,
        channel: str | None,
    ) -> ImportRow:
        def cell(name: str) -> str:
            index = columns.get(name)
            value = cells[index].strip() if index is not None and index < len(cells) else ""
            return restored(value)

        day = _day(cell("submitted_on"))
        if day is None:
            raise ValueError(self.t("exchange.bad_date", value=cell("submitted_on")))
        given: dict[str, Answer] = {}
        for question in self.q.questions:
            raw = cell(question.id)
            if not raw:
                given[question.id] = None
            elif question.is_button_question():
                code = self.options[question.id].get(_norm(raw))
                if code is None:
                    title = self.t(f"questions.{question.id}.title")
                    raise ValueError(self.t("exchange.unknown_answer", question=title, value=raw))
                given[question.id] = code
            else:
                given[question.id] = raw
        answers = final_answers(self.q, given)
        for question in self.q.applicable(answers):
            if question.required and answers.get(question.id) is None:
                title = self.t(f"questions.{question.id}.title")
                raise ValueError(self.t("exchange.missing_answer", question=title))
        version = (cell("questionnaire_version") if own else "") or self.q.version
        stored = json.dumps([day.isoformat(), version, answers], ensure_ascii=False, sort_keys=True)
        return ImportRow(
            number,
            stored,
            day,
            (cell("channel") if own else "") or channel or "google_forms",
            version,
            answers,
        )


def _nth(row: ImportRow, occurrence: int) -> ImportRow:
    """The row with its identity: its stored content and the how-manieth copy of it this is
    (two identical forms in one file are two forms; a later file with three adds one)."""
    row_hash = hashlib.sha256(f"{row.row_hash}\x1f{occurrence}".encode()).hexdigest()
    return ImportRow(row.number, row_hash, row.day, row.channel, row.version, row.answers)


def _day(text: str) -> date | None:
    cleaned = re.sub(r"\s*(GMT|UTC)[+-]?\d*$", "", text.strip())
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    return None
