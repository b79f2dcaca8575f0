"""The report of a form with no roles marked: no seed-000 tables, every answer still counted,
every free text in the register."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from openpyxl import load_workbook

from bot.application.chosen_form import chosen_form
from bot.questionnaire.content import load_content
from bot.questionnaire.periods import Period
from bot.questionnaire.xlsform import read_xlsform
from reporting.build import ReportRequest, produce
from storage import open_database
from tests.support.xlsforms import settings, write_xlsform

SURVEY = (
    ("type", "name", "label::ka", "required", "parameters"),
    ("select_one yn", "water_ok", "წყალი რეგულარულად მოდის?", "yes", ""),
    ("range", "pressure", "წნევის შეფასება", "yes", "start=1 end=5 step=1"),
    ("decimal", "hours", "რამდენი საათი იყო წყალი გუშინ?", "no", ""),
    ("text", "remark", "სხვა შენიშვნა", "no", ""),
)
CHOICES = (("list_name", "name", "label::ka"), ("yn", "yes", "დიახ"), ("yn", "no", "არა"))


async def test_a_form_without_roles_gets_tables_by_type_and_its_texts_registered(tmp_path: Path):
    path = write_xlsform(tmp_path / "water.xlsx", SURVEY, CHOICES, settings("water", "1", "წყალი"))
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    async with database.forms() as forms:
        await forms.add(read_xlsform(path), datetime.now(UTC))
        await forms.commit()
    given = [
        {"water_ok": "yes", "pressure": "4", "hours": "12.5", "remark": "ღამით არ მოდის"},
        {"water_ok": "no", "pressure": "2", "hours": "3"},
        {"water_ok": "yes", "pressure": "5"},
    ]
    async with database.transaction() as tx:
        for answers in given:
            await tx.responses.add("water_v1", "web", answers, date(2025, 7, 1))
        await tx.commit()
    content = load_content()
    form = await chosen_form("water", content, database, "ka")
    period = Period(date(2025, 6, 1), date(2025, 8, 31), "2025Q1")
    request = ReportRequest(
        period, formats=("xlsx", "html"), scope=form.scope, form_title=form.title
    )
    written = await produce(
        database, form.questionnaire, form.locale, "ამბროლაური", request, tmp_path
    )
    await database.close()
    page = next(p for p in written if p.suffix == ".html").read_text(encoding="utf-8")
    assert "უკუკავშირი წარმოადგინა 3 მომხმარებელმა" in page
    assert "სერვისით მოსარგებლეები" not in page, "no service/gender: no seed-000 table"
    assert "წნევის შეფასება" in page and "67%" in page  # top-2-box: 4 and 5 of 3 answers
    assert "საშუალო: 7.8." in page  # hours 12.5 and 3
    book = load_workbook(next(p for p in written if p.suffix == ".xlsx"))
    register = [row for row in book["კომენტარები"].iter_rows(values_only=True)]
    assert any("ღამით არ მოდის" in row and "სხვა შენიშვნა" in row for row in register)


async def test_the_digest_of_a_form_without_roles_counts_its_answers(tmp_path: Path):
    from bot.entry.cli_digest import digest_for

    path = write_xlsform(tmp_path / "water.xlsx", SURVEY, CHOICES, settings("water", "1", "წყალი"))
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    async with database.forms() as forms:
        await forms.add(read_xlsform(path), datetime.now(UTC))
        await forms.commit()
    async with database.transaction() as tx:
        await tx.responses.add(
            "water_v1", "web", {"water_ok": "no", "pressure": "1"}, date(2025, 7, 1)
        )
        await tx.commit()
    week = Period(date(2025, 6, 30), date(2025, 7, 6), "2025-W27")
    messages = await digest_for(load_content(), database, week, form_id="water")
    await database.close()
    text = "\n".join(messages)
    assert "წყალი" in text and "პასუხები: <b>1</b>" in text


async def test_the_public_report_shows_numbers_only_in_round_ranges(tmp_path: Path):
    """One household said its water ran 17.25 hours: the internal report may list that
    figure, the public one must not print anyone's exact answer, nor the smallest and
    largest answers as the edges of its ranges."""
    path = write_xlsform(tmp_path / "water.xlsx", SURVEY, CHOICES, settings("water", "1", "წყალი"))
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    async with database.forms() as forms:
        await forms.add(read_xlsform(path), datetime.now(UTC))
        await forms.commit()
    hours = ["3", "3", "3", "4", "4", "4", "4", "3", "17.25", "3.5"]
    async with database.transaction() as tx:
        for given in hours:
            answers = {"water_ok": "yes", "pressure": "4", "hours": given}
            await tx.responses.add("water_v1", "web", answers, date(2025, 7, 1))
        await tx.commit()
    form = await chosen_form("water", load_content(), database, "ka")
    period = Period(date(2025, 6, 1), date(2025, 8, 31), "2025Q1")
    pages = {}
    for public in (False, True):
        request = ReportRequest(
            period, formats=("xlsx",), scope=form.scope, form_title=form.title, public=public
        )
        out = tmp_path / ("public" if public else "internal")
        written = await produce(database, form.questionnaire, form.locale, "ა", request, out)
        book = load_workbook(next(p for p in written if p.suffix == ".xlsx"))
        sheet = book["რამდენი საათი იყო წყალი გუშინ "]  # "?" cannot be in a sheet's name
        pages[public] = [str(row[0]) for row in sheet.iter_rows(values_only=True) if row[0]]
    await database.close()
    assert "17.2" in pages[False] or "17.25" in pages[False], pages[False]
    labels = [label for label in pages[True] if "–" in label]
    assert labels == ["0–5", "5–10", "10–15", "15–20"], pages[True]
    assert not any(value in label for label in pages[True] for value in ("17", "3.5", "3–"))
