"""A form as staff really write them (issue 32): groups as sections (the first a
``field-list`` page on the web), a ``select_one … or_other``, a ``date`` and a ``calculate``
that decides whether a whole group is asked. Answered on Telegram, Messenger and the web
page over the fakes; its report names the sections and its export keeps the calculation
marked to keep, and never one that is not."""

from __future__ import annotations

import csv
import html
import re
from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook

from bot.application.reports import ReportOrder
from bot.questionnaire.periods import Period
from tests.support.citizen import Citizen, buttons_of
from tests.support.flows import stored_responses
from tests.support.sections_form import (
    ABOUT,
    AGE,
    COMMENT,
    HELPED,
    PENSION,
    VISIT,
    VISIT_DAY,
    sections_form,
)
from tests.support.web_citizen import WebCitizen, browser
from tests.support.xlsforms import load_form

PHONE_NUMBER = "599 12 34 56"


async def test_a_telegram_citizen_meets_each_section_by_name_and_says_what_other_help_was(
    running_bot, tmp_path: Path
):
    await load_form(running_bot.runtime, sections_form(tmp_path))
    citizen = Citizen(running_bot.api, 420003201)
    _intro, question = await citizen.send("/start home_care")
    assert f"— {ABOUT} —" in question and AGE in question, "the section's name comes first"
    [pension] = await citizen.send("81")
    assert PENSION in pension and ABOUT not in pension, "the heading once, at its first question"
    [visit] = await citizen.press("დიახ")
    assert f"— {VISIT} —" in visit and VISIT_DAY in visit and "12.08.2026" in visit
    [refused, again] = await citizen.send("31.02.2026")
    assert "ასეთი დღე კალენდარში არ არის" in refused and VISIT_DAY in again
    [helped] = await citizen.press("დღეს")
    assert HELPED in helped and buttons_of(citizen.last_keyboard_message())[3] == "სხვა"
    [other] = await citizen.press("სხვა")
    assert "რა იგულისხმეთ" in other
    await citizen.send(f"ეზოს დასუფთავება, დამირეკეთ {PHONE_NUMBER}")
    [summary] = await citizen.press("გამოტოვება")  # the comment
    today = running_bot.runtime.today()
    assert today.strftime("%d.%m.%Y") in summary and "სხვა" in summary
    assert f"{HELPED} — სხვა: ეზოს დასუფთავება" in summary, "the other's title names its question"
    await citizen.press("გაგზავნა")
    [response] = await stored_responses(running_bot.runtime)
    answers = response["answers"]
    assert answers["visit_day"] == today.isoformat() and answers["helped"] == "other"
    assert answers["helped_other"].startswith("ეზოს დასუფთავება") and "599" not in str(answers)
    assert answers["elderly"] == "1", "the calculation the form marks to keep is stored"
    assert answers["age"] == "81" and answers["pension"] == "yes"


async def test_a_messenger_citizen_under_65_is_not_asked_the_visit_section(
    messenger_bot, tmp_path: Path
):
    await load_form(messenger_bot.runtime, sections_form(tmp_path))
    citizen = messenger_bot.citizen("7309876543213201")
    first = await citizen.get_started("home_care")
    assert f"— {ABOUT} —" in first[-1] and AGE in first[-1]
    await citizen.say("40")
    said = await citizen.tap("არა")
    assert COMMENT in said[-1] and VISIT not in said[-1], (
        "the group's relevant reads the calculation"
    )
    await citizen.say("ყველაფერი კარგადაა")
    await citizen.tap("✅")
    [response] = await stored_responses(messenger_bot.runtime)
    assert response["answers"] == {
        "age": "40",
        "pension": "no",
        "elderly": "0",
        "comment": "ყველაფერი კარგადაა",
    }
    assert messenger_bot.graph.refused == []


async def test_a_messenger_citizen_over_65_taps_today_and_says_what_other_help_was(
    messenger_bot, tmp_path: Path
):
    await load_form(messenger_bot.runtime, sections_form(tmp_path))
    citizen = messenger_bot.citizen("7309876543213202")
    await citizen.get_started("home_care")
    await citizen.say("77")
    said = await citizen.tap("დიახ")
    assert f"— {VISIT} —" in said[-1] and VISIT_DAY in said[-1]
    said = await citizen.say("12 აგვისტოს")
    assert HELPED in said[-1] and [r["title"] for r in citizen.quick_replies][3] == "სხვა"
    said = await citizen.tap("სხვა")
    assert "რა იგულისხმეთ" in said[-1]
    await citizen.say("შეშის მოტანა")
    await citizen.tap("გამოტოვება")
    await citizen.tap("✅")
    [response] = await stored_responses(messenger_bot.runtime)
    year = messenger_bot.runtime.today().year
    assert response["answers"] == {
        "age": "77",
        "pension": "yes",
        "elderly": "1",
        "visit_day": f"{year}-08-12",
        "helped": "other",
        "helped_other": "შეშის მოტანა",
        "comment": None,
    }
    assert messenger_bot.graph.refused == []


async def test_a_terminal_user_reads_the_section_heading_before_its_first_question(
    running_bot, tmp_path: Path
):
    from bot.channels.console import run_console
    from tests.e2e.test_toy_kind import Terminal

    await load_form(running_bot.runtime, sections_form(tmp_path))
    terminal = Terminal(
        [
            ("press", "შინ მოვლა"),
            ("type", "40"),
            ("press", "არა"),
            ("type", "კარგი"),
            ("press", "✅ გაგზავნა"),
        ]
    )
    place = running_bot.runtime
    await run_console(place.conversation, place.content.locale, terminal, terminal.out)
    said = terminal.out.getvalue()
    assert said.index(f"— {ABOUT} —") < said.index(AGE) < said.index(PENSION)
    assert said.count(f"— {ABOUT} —") == 1 and VISIT not in said
    [response] = await stored_responses(running_bot.runtime)
    assert response["answers"]["elderly"] == "0" and response["channel"] == "console"


PAGE = re.compile(r'name="page" value="([^"]*)"')


async def test_a_web_citizen_answers_a_field_list_group_on_one_page(web_bot, tmp_path: Path):
    await load_form(web_bot.runtime, sections_form(tmp_path))
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open("q/home_care")
        await citizen.press("▶️")
        page = html.unescape(citizen.page)
        assert ABOUT in page and AGE in page and PENSION in page, "one page, both questions"
        assert PAGE.search(citizen.page)[1] == "age pension"
        await citizen.post({"b": "page", "page": "age pension", "x|age": "abc"})
        assert "რიცხვი" in html.unescape(citizen.page), "the age refused, kindly"
        assert AGE in html.unescape(citizen.page)
        fields = {"b": "page", "page": "age pension", "x|age": "70"}
        await citizen.post({**fields, "f|pension": "a|pension|yes"})
        assert VISIT_DAY in html.unescape(citizen.page)
        await citizen.write("12 აგვისტოს")
        await citizen.press("სხვა")
        await citizen.write("ბაღის მოვლა")
        await citizen.press("გამოტოვება")
        assert "12.08." in html.unescape(citizen.page)
        await citizen.press("✅")
    assert "გმადლობთ" in citizen.page
    [response] = await stored_responses(web_bot.runtime)
    year = web_bot.runtime.today().year
    assert response["answers"] == {
        "age": "70",
        "pension": "yes",
        "elderly": "1",
        "visit_day": f"{year}-08-12",
        "helped": "other",
        "helped_other": "ბაღის მოვლა",
        "comment": None,
    }


async def test_the_report_names_the_sections_and_the_export_keeps_the_marked_calculation(
    running_bot, tmp_path: Path
):
    place = running_bot.runtime
    await load_form(place, sections_form(tmp_path))
    for number, age in enumerate(("81", "40")):
        citizen = Citizen(running_bot.api, 420003210 + number)
        await citizen.send("/start home_care")
        await citizen.send(age)
        await citizen.press("დიახ")
        if age == "81":
            await citizen.send("12.08.2026")
            await citizen.press("საკვები")
        await citizen.press("გამოტოვება")
        await citizen.press("გაგზავნა")
    today = place.today()
    period = Period(today - timedelta(days=7), today + timedelta(days=7))
    order = ReportOrder(period, form_id="home_care", formats=("html", "xlsx"))
    written = {path.suffix: path for path in await place.reports.write(order, tmp_path)}
    page = html.unescape(written[".html"].read_text(encoding="utf-8"))
    assert f"ნაწილი: {ABOUT}" in page and f"ნაწილი: {VISIT}" in page
    assert page.index(f"ნაწილი: {ABOUT}") < page.index(PENSION) < page.index(f"ნაწილი: {VISIT}")
    book = load_workbook(written[".xlsx"], read_only=True)
    raw = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    assert any(f"{VISIT} › {VISIT_DAY}" in row for row in raw), "the column names its section"
    assert any("elderly" in row for row in raw), "the kept calculation is a column"

    exported = tmp_path / "export.csv"
    from bot.exchange.export import export

    questionnaire = next(f for f in place.forms.active if f.form_id == "home_care")
    locale = place.content.locale.with_texts(questionnaire.texts_in("ka"))
    assert await export(place.database, questionnaire, locale, exported) == 2
    with exported.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert f"{ABOUT} › {AGE}" in rows[1] or f"{ABOUT} › {AGE}" in rows[0]
    codes = rows[0] if "elderly" in rows[0] else rows[1]
    assert "elderly" in codes and "helped_other" in codes
    values = [dict(zip(codes, row, strict=False)) for row in rows[2:]]
    assert sorted(row["elderly"] for row in values) == ["0", "1"]
    assert sorted(row["visit_day"] for row in values) == ["", "2026-08-12"]


KEPT = re.compile(r'name="k\|([^"]*)"')


async def test_back_on_the_web_shows_the_whole_page_and_an_empty_field_keeps_its_answer(
    web_bot, tmp_path: Path
):
    await load_form(web_bot.runtime, sections_form(tmp_path))
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open("q/home_care")
        await citizen.press("▶️")
        fields = {"b": "page", "page": "age pension", "x|age": "70"}
        await citizen.post({**fields, "f|pension": "a|pension|yes"})
        assert VISIT_DAY in html.unescape(citizen.page)
        await citizen.press("⬅️")
        page = html.unescape(citizen.page)
        assert AGE in page and PENSION in page, "back to the page: both its questions again"
        assert "70" in page and KEPT.findall(citizen.page) == ["age", "pension"]
        await citizen.post(
            {"b": "page", "page": "age pension", "x|age": "50", "k|age": "1", "k|pension": "1"}
        )
        page = html.unescape(citizen.page)
        assert COMMENT in page and VISIT_DAY not in page, "under 65: the visit is not asked"
        await citizen.write("მადლობა")
        await citizen.press("✅")
    [response] = await stored_responses(web_bot.runtime)
    assert response["answers"] == {
        "age": "50",
        "pension": "yes",
        "elderly": "0",
        "comment": "მადლობა",
    }


def test_staff_load_and_show_the_form_with_its_groups_and_calculation(settings_env, tmp_path):
    from tests.e2e.test_forms_cli import cli

    added = cli(["form", "add", str(sections_form(tmp_path))], settings_env, tmp_path)
    assert added.returncode == 0, added.stderr
    shown = cli(["form", "show", "home_care"], settings_env, tmp_path).stdout
    assert "elderly [გამოთვლა] = if(${age} >= 65, 1, 0)" in shown
    assert "visit_day [თარიღი, სავალდებულო]" in shown
    assert "როდის: (${elderly} = 1) and (selected(${helped}, 'other'))" in shown, (
        "helped_other's rule"
    )


def test_a_google_forms_file_of_the_form_imports_with_its_calculation_worked_out(tmp_path):
    from datetime import date
    from zoneinfo import ZoneInfo

    from bot.exchange.headers import find_columns
    from bot.exchange.imports import Importer, ImportRow
    from bot.exchange.sources import open_table
    from bot.questionnaire.content import bundled_locale, load_locale
    from bot.questionnaire.xlsform import read_xlsform

    form = read_xlsform(sections_form(tmp_path)).questionnaire
    locale = load_locale(bundled_locale("ka")).with_texts(form.texts_in("ka"))
    path = tmp_path / "google.csv"
    other = locale.t("questions.helped_other.text")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Timestamp", AGE, PENSION, VISIT_DAY, HELPED, other, COMMENT])
        writer.writerow(
            ["2026/08/20 5:45:00 PM GMT+4", "70", "დიახ", "12.08.2026", "სხვა", "ეზო", ""]
        )
        writer.writerow(["2026/08/21 5:45:00 PM GMT+4", "40", "არა", "", "", "", "კარგია"])
    table = open_table(path)
    columns = find_columns(next(table.rows()), form, locale)
    zone = ZoneInfo("Asia/Tbilisi")
    rows = list(Importer(form, locale).rows(table, columns, "paper", zone, date(2026, 12, 1)))
    assert [r.answers for r in rows if isinstance(r, ImportRow)] == [
        {
            "age": "70",
            "pension": "yes",
            "visit_day": "2026-08-12",
            "helped": "other",
            "helped_other": "ეზო",
            "comment": None,
            "elderly": "1",
        },
        {"age": "40", "pension": "no", "comment": "კარგია", "elderly": "0"},
    ]


async def test_from_the_summary_a_field_list_page_changes_both_its_answers(web_bot, tmp_path: Path):
    await load_form(web_bot.runtime, sections_form(tmp_path))
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open("q/home_care")
        await citizen.press("▶️")
        fields = {"b": "page", "page": "age pension", "x|age": "40"}
        await citizen.post({**fields, "f|pension": "a|pension|no"})
        await citizen.write("კარგი")
        assert "გადახედოთ" in html.unescape(citizen.page), "the summary"
        await citizen.open("n/1")
        assert KEPT.findall(citizen.page) == ["age", "pension"]
        answered = {"b": "page", "page": "age pension", "k|age": "1", "k|pension": "1"}
        await citizen.post({**answered, "x|age": "45", "f|pension": "a|pension|yes"})
        page = html.unescape(citizen.page)
        assert "გადახედოთ" in page and "45" in page and "დიახ" in page
        await citizen.press("✅")
    [response] = await stored_responses(web_bot.runtime)
    assert response["answers"] == {
        "age": "45",
        "pension": "yes",
        "elderly": "0",
        "comment": "კარგი",
    }
