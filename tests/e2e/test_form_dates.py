"""A form's days and hours as citizens answer them and staff read them back: a time typed on
Telegram (over the fake Bot API) is kept as HH:MM, and a date question's report table
counts its answers by month of the report's period, small counts hidden in public."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from bot.application.reports import ReportOrder
from bot.questionnaire.periods import shift_months
from tests.support.citizen import Citizen
from tests.support.flows import stored_responses
from tests.support.sections_form import VISIT_DAY, sections_form
from tests.support.xlsforms import load_form, settings, write_xlsform

HOUR = "რომელ საათზე მოვიდა სოციალური მუშაკი?"


def hours_form(folder: Path) -> Path:
    survey = [
        ("type", "name", "label::ka", "required"),
        ("time", "visit_time", HOUR, "yes"),
        ("text", "comment", "სხვა რამე ხომ არ გსურთ დაამატოთ?", ""),
    ]
    return write_xlsform(folder / "hours.xlsx", survey, None, settings("visit_hours"))


async def test_a_telegram_citizen_types_the_hour_and_a_wrong_one_is_asked_again(
    running_bot, tmp_path: Path
):
    await load_form(running_bot.runtime, hours_form(tmp_path))
    citizen = Citizen(running_bot.api, 420003301)
    _intro, question = await citizen.send("/start visit_hours")
    assert HOUR in question and "14:30" in question, "the hint shows how to write it"
    [refused, again] = await citizen.send("25:10")
    assert "დრო ვერ გავიგე" in refused and HOUR in again
    [comment] = await citizen.send("9:05")
    assert "დაამატოთ" in comment
    [summary] = await citizen.press("გამოტოვება")
    assert "09:05" in summary
    await citizen.press("გაგზავნა")
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"]["visit_time"] == "09:05"


def month_rows(page: str) -> dict[str, str]:
    """The rows of the date question's table: answer -> count, as the page prints them."""
    start = page.index(VISIT_DAY, page.index("<table"))
    table = page[start : page.index("</table>", start)]
    cells = [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<t[dh][^>]*>.*?</t[dh]>", table, re.S)
    ]
    return {cells[i]: cells[i + 1] for i in range(3, len(cells) - 2, 3)}  # after the header


async def test_a_date_question_is_counted_by_month_of_the_period_small_counts_hidden_in_public(
    running_bot, tmp_path: Path
):
    place = running_bot.runtime
    version = await load_form(place, sections_form(tmp_path))
    quarter = place.settings.quarters.containing(date(2025, 7, 15))
    first, second, third = (shift_months(quarter.start, n) for n in range(3))
    days = [first.replace(day=3)] * 3 + [second.replace(day=20), date(2024, 1, 24)]
    async with place.database.transaction() as tx:
        for day in days:
            answers = {"age": "81", "pension": "yes", "elderly": "1", "helped": "food"}
            given = answers | {"visit_day": day.isoformat()}
            await tx.responses.add(version, "telegram", given, quarter.end)
        await tx.commit()
    one, two, three = (month.strftime("%m.%Y") for month in (first, second, third))
    pages = {}
    for public in (False, True):
        order = ReportOrder(quarter, public=public, form_id="home_care", formats=("html",))
        [written] = await place.reports.write(order, tmp_path / str(public))
        pages[public] = month_rows(html.unescape(written.read_text(encoding="utf-8")))
    staff, public = pages[False], pages[True]
    assert list(staff)[:3] == [one, two, three], "every month of the period"
    assert (staff[one], staff[two], staff[three]) == ("3", "1", "0")
    assert staff["პერიოდის გარეთ"] == "1" and "2024" not in "".join(staff)
    assert public[two] != "1" and public["პერიოდის გარეთ"] != "1", "one visit is a small cell"
    assert all(public[row] == staff[row] or not public[row].isdigit() for row in staff)
