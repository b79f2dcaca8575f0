"""The choices sheet, and the limits its names meet in Telegram's buttons and links.

Read apart from the survey rows: every list first (a select may name a list written further
down), each choice's row kept so that a name too long for a link is refused at its own cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.questionnaire.kinds.base import ProblemSink
from bot.questionnaire.model import Question
from bot.questionnaire.xlsform_sheets import (
    BUTTON_DATA_BYTES,
    CHOICES,
    LINK_CODE,
    LINK_PAYLOAD,
    SURVEY,
    ChoiceLists,
)
from bot.questionnaire.xlsform_texts import translated

ChoiceRows = dict[tuple[str, str], int]
"""The row of each choice, by its list and name."""


def read_choices(
    rows: Sequence[Mapping[str, Any]] | None, language: str, problem: ProblemSink
) -> tuple[ChoiceLists, ChoiceRows]:
    """Each list's choices in order, and where each was written."""
    lists: dict[str, list[tuple[str, dict[str, str], dict[str, str]]]] = {}
    where: ChoiceRows = {}
    for number, row in enumerate(rows or [], start=2):
        if not row:
            continue
        list_name, name = str(row.get("list_name", "")), str(row.get("name", ""))
        if not list_name:
            problem(CHOICES, number, "list_name", "choice_list_name")
            continue
        if not name:
            problem(CHOICES, number, "name", "choice_name")
            continue
        items = lists.setdefault(list_name, [])
        if any(code == name for code, _, _ in items):
            problem(CHOICES, number, "name", "duplicate_choice", name=name)
            continue
        if "|" in name:  # a button's data is "a|<question>|<code>"
            problem(CHOICES, number, "name", "choice_bar", name=name)
            continue
        where[list_name, name] = number
        labels = translated(row, "label", language)
        if language not in labels:
            problem(CHOICES, number, f"label::{language}", "choice_label", name=name)
        items.append((name, labels, translated(row, "full_label", language)))
    return lists, where


def check_button_data(
    problem: ProblemSink, number: int, name: str, options: tuple[str, ...]
) -> None:
    """Telegram keeps 64 bytes of a button's data (``t|<question>|<code>``)."""
    for code in options:
        data = f"t|{name}|{code}".encode()
        if len(data) > BUTTON_DATA_BYTES:
            problem(SURVEY, number, "name", "too_long_names", name=name, code=code)
            break


def check_link_codes(
    problem: ProblemSink, form_id: str, question: Question, list_name: str, where: ChoiceRows
) -> None:
    """The options of the question a link may pre-answer go into Telegram deep links
    (``?start=kindergarten--garden_2``): Latin letters, digits, ``_`` and ``-`` only,
    64 characters with the form id."""
    limit = LINK_PAYLOAD - len(form_id) - len("--")
    for code in question.options:
        if not LINK_CODE.match(code) or len(code) > limit:
            row = where.get((list_name, code))
            problem(CHOICES, row, "name", "link_code", name=code, limit=str(max(limit, 1)))
