"""A new kind of question takes one module and one registry line: the toy "stars" kind
(``tests/support/toy_kind.py``), registered by the ``stars`` fixture alone, is read from a
spreadsheet, asked and answered on Telegram, Messenger, the web page and the terminal,
stored, counted in the report and exported as its number. Nothing in the engine, the views,
the importer or the reports names it: had any of them switched on the built-in kinds, the
stars would not get this far."""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.application.reports import ReportOrder
from bot.channels.console import run_console
from bot.exchange.headers import find_columns
from bot.exchange.imports import Importer, ImportRow, RowProblem
from bot.exchange.sources import open_table
from bot.questionnaire.content import bundled_locale, load_locale
from bot.questionnaire.kinds import registry
from bot.questionnaire.kinds.base import QuestionKind
from bot.questionnaire.periods import Period
from bot.questionnaire.xlsform import read_xlsform
from tests.support.citizen import Citizen, buttons_of
from tests.support.flows import stored_responses
from tests.support.toy_kind import Stars
from tests.support.web_citizen import WebCitizen, browser
from tests.support.xlsforms import load_form, settings, write_xlsform

QUESTION = "როგორ შეაფასებდით ჩვენს მომსახურებას?"


@pytest.fixture
def stars() -> Iterator[QuestionKind]:
    kind = registry.register(Stars())  # the one line a new kind needs
    yield kind
    registry.unregister(kind)


def toy_form(folder: Path) -> Path:
    survey = (
        ("type", "name", "label::ka", "required", "appearance", "parameters"),
        ("range", "rating", QUESTION, "yes", "rating", "start=1 end=3"),
    )
    return write_xlsform(folder / "toy.xlsx", survey, None, settings("toy", "1", "ვარსკვლავები"))


async def test_a_telegram_citizen_answers_with_stars_and_the_report_counts_them(
    stars, running_bot, tmp_path: Path
):
    await load_form(running_bot.runtime, toy_form(tmp_path))
    citizen = Citizen(running_bot.api, 420000901)
    _intro, question = await citizen.send("/start toy")
    assert QUESTION in question and "(1–3)" in question, "the kind's hint: press or type 1-3"
    assert buttons_of(citizen.last_keyboard_message())[:3] == ["★", "★★", "★★★"]
    [refused, again] = await citizen.send("7")
    assert "1-დან 3-მდე" in refused and QUESTION in again, "the kind refused a 7"
    [summary] = await citizen.press("★★★")
    assert "★★★" in summary
    await citizen.press("გაგზავნა")
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"] == {"rating": "3"} and response["channel"] == "telegram"

    place = running_bot.runtime  # the home municipality's
    today = place.today()
    period = Period(today - timedelta(days=7), today + timedelta(days=7))
    order = ReportOrder(period, form_id="toy", formats=("html", "xlsx"))
    written = {path.suffix: path for path in await place.reports.write(order, tmp_path)}
    page = written[".html"].read_text(encoding="utf-8")
    assert re.search(r"★★★</t[dh]>\s*<td[^>]*>1<", page), "a counts table with one ★★★"
    book = load_workbook(written[".xlsx"], read_only=True)
    raw = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    assert any(3 in row and "★★★" in row for row in raw), "exported as the number 3 and ★★★"


async def test_a_messenger_citizen_taps_two_stars(stars, messenger_bot, tmp_path: Path):
    await load_form(messenger_bot.runtime, toy_form(tmp_path))
    citizen = messenger_bot.citizen("7309876543210901")
    first = await citizen.get_started("toy")
    assert QUESTION in first[-1]
    assert [r["title"] for r in citizen.quick_replies][:3] == ["★", "★★", "★★★"]
    await citizen.tap("★★")
    await citizen.tap("✅")
    [response] = await stored_responses(messenger_bot.runtime)
    assert response["answers"] == {"rating": "2"} and response["channel"] == "messenger"
    assert messenger_bot.graph.refused == []


async def test_a_web_citizen_presses_one_star(stars, web_bot, tmp_path: Path):
    await load_form(web_bot.runtime, toy_form(tmp_path))
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open("q/toy")
        await citizen.press("▶️")
        assert QUESTION in citizen.page and list(citizen.buttons())[:3] == ["★", "★★", "★★★"]
        await citizen.press("★")
        assert "★" in citizen.page
        await citizen.press("✅")
    assert "გმადლობთ" in citizen.page
    [response] = await stored_responses(web_bot.runtime)
    assert response["answers"] == {"rating": "1"} and response["channel"] == "web"


class Terminal:
    """A person at the terminal: each line is typed once the bot has asked, and a button is
    chosen by the letter the console printed beside its label."""

    def __init__(self, lines: list[tuple[str, str]]) -> None:
        self.out = io.StringIO()
        self._lines = iter(lines)
        self._lock = threading.Lock()

    def readline(self) -> str:
        with self._lock:
            how, what = next(self._lines, ("eof", ""))
            if how == "type":
                return what + "\n"
            if how == "press":
                letters = re.findall(rf"\[([a-z])\] {re.escape(what)}\n", self.out.getvalue())
                return letters[-1] + "\n"
            return ""


async def test_a_terminal_user_types_two_stars(stars, running_bot, tmp_path: Path):
    await load_form(running_bot.runtime, toy_form(tmp_path))
    terminal = Terminal([("press", "ვარსკვლავები"), ("type", "★★"), ("press", "✅ გაგზავნა")])
    place = running_bot.runtime
    await run_console(place.conversation, place.content.locale, terminal, terminal.out)
    said = terminal.out.getvalue()
    assert QUESTION in said and "[a] ★\n" in said and "★★\n" in said
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"] == {"rating": "2"} and response["channel"] == "console"


def test_a_google_forms_file_imports_stars_by_label_or_number(stars, tmp_path: Path):
    form = read_xlsform(toy_form(tmp_path)).questionnaire
    locale = load_locale(bundled_locale("ka")).with_texts(form.texts_in("ka"))
    path = tmp_path / "google.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Timestamp", QUESTION])
        for value in ("★★", "3", "★★★★"):
            writer.writerow(["2025/08/10 5:45:00 PM GMT+4", value])
    table = open_table(path)
    columns = find_columns(next(table.rows()), form, locale)
    rows = list(
        Importer(form, locale).rows(
            table, columns, "paper", ZoneInfo("Asia/Tbilisi"), date(2026, 1, 1)
        )
    )
    assert [r.answers for r in rows if isinstance(r, ImportRow)] == [
        {"rating": "2"},
        {"rating": "3"},
    ]
    [refused] = [r for r in rows if isinstance(r, RowProblem)]
    assert refused.number == 4 and "★★★★" in refused.reason, "four stars is no option"
