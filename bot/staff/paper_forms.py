"""What the paper-forms page shows and reads back: the held batch, the date, the problems.

The held forms travel in the page itself (a hidden field, as typed), so nothing of them is
on the server before the batch is saved, and the page works without JavaScript; every held
form is checked again when the batch is saved.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.application.paper_entry import NOT_ASKED, Field
from bot.dialogue.views import Views
from bot.questionnaire import engine
from bot.questionnaire.i18n import Locale

DATE = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$")
MOST_HELD = 200
"""More forms than a week's box ever holds: a batch beyond it is refused, not stored."""
CLERK_WORDS = {"not_a_button", "unknown_button", "stale_button", "required", NOT_ASKED}
"""Problems the chat says in a citizen's terms (buttons); the page says them its own way."""


@dataclass(frozen=True)
class Entry:
    """The page's state as posted: the batch's date and form, the held forms, the fields."""

    day_text: str
    version: str
    held: list[dict[str, str]]
    typed: dict[str, str]


def read_entry(form: dict[str, str] | Any, fields: list[Field]) -> Entry:
    try:
        held = json.loads(form.get("held", "") or "[]")
    except ValueError:
        held = []
    if not isinstance(held, list):
        held = []
    held = [{str(k): str(v) for k, v in item.items()} for item in held if isinstance(item, dict)][
        :MOST_HELD
    ]
    typed = {f.id: form.get(f"q_{f.id}", "") for f in fields}
    return Entry(form.get("day", ""), form.get("version", ""), held, typed)


def held_json(held: list[dict[str, str]]) -> str:
    return json.dumps(held, ensure_ascii=False, separators=(",", ":"))


def earliest_day(today: date, kept_months: int) -> date:
    """The first day a paper form may carry: the first of the month ``kept_months`` back
    (``TEXTS_KEPT_MONTHS``). Older, its texts would be gone at the next clean-up, and a
    date like 12.08.1025 is a slip of the pen, not a form from the box."""
    months = today.year * 12 + today.month - 1 - kept_months
    return date(months // 12, months % 12 + 1, 1)


def parse_day(text: str, today: date, earliest: date = date.min) -> date | None:
    """``12.08.2025`` as written on the forms (or ISO); never a day after today, nor one
    before ``earliest`` (``earliest_day``)."""
    match = DATE.match(text)
    try:
        if match:
            day = date(int(match[3]), int(match[2]), int(match[1]))
        else:
            day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if earliest <= day <= today else None


def shown(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def said(problem: engine.Problem, field: Field, views: Views, staff_locale: Locale) -> str:
    """The problem beside its field: the chat's own words, or the clerk's where the chat
    speaks of buttons."""
    if problem.code in CLERK_WORDS:
        highest = field.options[-1][0] if field.options else ""
        if problem.code == "required":
            return staff_locale.t("staff.paper.required")
        if problem.code == NOT_ASKED:
            return staff_locale.t("staff.paper.not_asked", number=field.condition or "—")
        return staff_locale.t("staff.paper.type_number", high=highest)
    return views.problem(problem)


def summary_rows(fields: list[Field], held: list[dict[str, str]]) -> list[list[str]]:
    """Each held form in words, one cell per field: the option typed, a text's start."""
    rows = []
    for item in held:
        cells = []
        for f in fields:
            typed = item.get(f.id, "").strip()
            words = dict(f.options).get(typed, typed)
            cells.append(
                "—" if typed in ("", "-") else words[:40] + ("…" if len(words) > 40 else "")
            )
        rows.append(cells)
    return rows
