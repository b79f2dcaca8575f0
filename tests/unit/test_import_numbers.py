"""An imported number is held to what the chat would accept, and refused by row and column."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.exchange.headers import find_columns
from bot.exchange.imports import Importer, ImportRow, RowProblem
from bot.exchange.sources import open_table
from bot.questionnaire.content import bundled_locale, load_locale
from bot.questionnaire.xlsform import read_xlsform
from tests.support import xlsforms

SURVEY = (
    ("type", "name", "label::ka", "required", "constraint", "constraint_message::ka", "parameters"),
    ("integer", "children", "რამდენი შვილი?", "yes", ". >= 1 and . <= 5", "1-დან 5-მდე.", ""),
    ("decimal", "hours", "რამდენი საათი?", "no", "", "", ""),
    ("range", "age", "ასაკი", "no", "", "", "start=18 end=100 step=1"),
)


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    folder: Path = tmp_path_factory.mktemp("numbers")
    path = xlsforms.write_xlsform(folder / "n.xlsx", SURVEY, None, xlsforms.settings("n"))
    return read_xlsform(path).questionnaire


def imported(form, folder: Path, rows: list[tuple[str, str, str]]) -> list[object]:
    """A Google Forms file (timestamp, then the questions as worded) read row by row."""
    locale = load_locale(bundled_locale("ka")).with_texts(form.texts_in("ka"))
    path = folder / "google.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Timestamp", "რამდენი შვილი?", "რამდენი საათი?", "ასაკი"])
        for row in rows:
            writer.writerow(["2025/08/10 5:45:00 PM GMT+4", *row])
    table = open_table(path)
    columns = find_columns(next(table.rows()), form, locale)
    zone = ZoneInfo("Asia/Tbilisi")
    return list(Importer(form, locale).rows(table, columns, "paper", zone, date(2026, 1, 1)))


@pytest.mark.parametrize(
    ("children", "hours", "age", "column", "reason"),
    [
        ("inf", "", "", "B", "მთელი რიცხვი"),
        ("nan", "", "", "B", "მთელი რიცხვი"),
        ("1e0", "", "", "B", "მთელი რიცხვი"),
        ("9", "", "", "B", "1-დან 5-მდე."),  # the form's own constraint message
        ("2", "inf", "", "C", "რიცხვი ციფრებით"),
        ("2", "1e5", "", "C", "რიცხვი ციფრებით"),
        ("2", "12345678901234567", "", "C", "რიცხვი ციფრებით"),
        ("2", "", "101", "D", "18-დან 100-მდე"),
        ("2", "", "17", "D", "18-დან 100-მდე"),
    ],
)
def test_a_number_the_chat_would_refuse_is_refused_by_row_and_column(
    form, tmp_path: Path, children: str, hours: str, age: str, column: str, reason: str
):
    good, bad = imported(form, tmp_path, [("2", "1,5", "70"), (children, hours, age)])
    assert isinstance(good, ImportRow) and good.answers == {
        "children": "2",
        "hours": "1.5",
        "age": "70",
    }
    assert isinstance(bad, RowProblem) and bad.number == 3
    assert bad.reason.startswith(f"სვეტი {column} (") and reason in bad.reason
