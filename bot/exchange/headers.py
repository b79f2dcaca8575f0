"""Which column holds which question: our own export's ids, or the question texts of a Google
Form (numbered as on the paper form or not, any punctuation, case and spacing).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.exchange.export import META
from bot.exchange.sources import column_name
from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Question, Questionnaire
from bot.questionnaire.numbering import question_numbers

TIMESTAMP_HEADERS = {"timestamp", "დროის ნიშნული", "დრო", "თარიღი", "date", "submitted on"}
CHANNEL_HEADERS = {"channel", "არხი"}
SUBMITTED_ON, CHANNEL, VERSION = META
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}\s*[ა-ჰa-z]?\s*[.)\-:]|\d{1,2}\s+)\s*", re.IGNORECASE)
_NOT_WORD = re.compile(r"[\W_]+")


def normalised(text: str) -> str:
    """A header or an answer as compared: no leading "1." or "9ა)", no punctuation, no
    required-mark, lower case, single spaces."""
    text = _NUMBERING.sub("", text.replace("\ufeff", ""), count=1)
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


@dataclass(frozen=True)
class Columns:
    """Column index of each question id and of the meta fields found; ``own``: our export."""

    index: dict[str, int]
    own: bool


class HeaderProblem(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def find_columns(header: Sequence[str], questionnaire: Questionnaire, locale: Locale) -> Columns:
    t = locale.t
    cells = [cell.strip() for cell in header]
    own = VERSION in cells
    by_name: dict[str, str] = {}
    if own:
        by_name = {name: name for name in (*META, *(q.id for q in _answered(questionnaire)))}
    else:
        by_name.update({normalised(name): SUBMITTED_ON for name in TIMESTAMP_HEADERS})
        by_name.update({normalised(name): CHANNEL for name in CHANNEL_HEADERS})
        for question in _answered(questionnaire):
            by_name[normalised(t(f"questions.{question.id}.text"))] = question.id
    found: dict[str, list[int]] = {}
    for position, cell in enumerate(cells):
        name = by_name.get(cell if own else normalised(cell))
        if name is not None:
            found.setdefault(name, []).append(position)
    for name, positions in found.items():
        if len(positions) > 1:
            letters = ", ".join(column_name(p) for p in positions)
            shown = _printed(name, questionnaire, locale)
            raise HeaderProblem(t("exchange.duplicate_column", question=shown, columns=letters))
    index = {name: positions[0] for name, positions in found.items()}
    wanted = [SUBMITTED_ON] + [
        q.id for q in _answered(questionnaire) if own or (q.required and q.relevant is None)
    ]
    if own:
        wanted[1:1] = [CHANNEL, VERSION]
    missing = [_printed(name, questionnaire, locale) for name in wanted if name not in index]
    if missing:
        raise HeaderProblem(t("exchange.missing_columns", columns="; ".join(missing)))
    return Columns(index, own)


def _answered(questionnaire: Questionnaire) -> tuple[Question, ...]:
    """The questions a file answers: a calculation kept with the answers is worked out
    from them again on import, whatever its column says (or without one)."""
    return tuple(q for q in questionnaire.answerable() if q.asked)


def _printed(name: str, questionnaire: Questionnaire, locale: Locale) -> str:
    """A column as the clerk knows it: the question numbered and worded as on the form."""
    if name == SUBMITTED_ON:
        return "„Timestamp / დროის ნიშნული“"
    if name in META:
        return f"„{name}“"
    number = question_numbers(questionnaire, locale.t("prompt.follow_up_suffix"))[name]
    return f"„{number}. {locale.t(f'questions.{name}.text')}“"
