"""Public figures tried as an attacker would, over time (issue 28): a quarter or year still
running is refused (each day's output minus the day before's would be the forms sent in
between), applications entered for part of a period print no figure and no rate, looking at
public figures never empties the ballot box, the national analyst's overview shows only an
ended quarter's audited row, and the ledger keeps no day an output was made."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.application.dashboard import Place, national_row
from bot.application.public_figures import PublicFigures
from bot.application.refusal import Refusal
from bot.application.reports import ReportOrder, Reports
from bot.config.settings import Settings
from bot.questionnaire.content import load_content
from bot.questionnaire.periods import Period
from reporting.document import NONE
from storage import Database
from storage.analysis import covering
from storage.ledger import Ledger, PublicOutputRow
from tests.integration.test_report_seed import seeded  # noqa: F401
from tests.support import seed_000

QUARTER = seed_000.PERIOD  # 2025-06-01 – 2025-08-31
DURING = date(2025, 8, 20)
AFTER = date(2026, 7, 1)  # the quarter and its year (to 2026-05-31) have ended


def settings() -> Settings:
    return Settings(_env_file=None)


def reports(database: Database, today: date) -> Reports:
    return Reports(database, load_content("ka"), settings(), None, lambda: today)


@pytest.mark.parametrize("which", ["quarter", "year"])
async def test_the_running_quarter_or_year_is_refused_for_public_figures_in_one_line(
    seeded,  # noqa: F811
    which,
):
    quarters = settings().quarters
    period = quarters.containing(DURING) if which == "quarter" else quarters.year(2025)
    order = ReportOrder(period, public=True)
    with pytest.raises(Refusal) as refused:  # the command line, /report … public, the console
        reports(seeded, DURING).check(order)
    assert refused.value.key == "public_period_open"
    line = refused.value.text(load_content("ka").locale)
    assert "\n" not in line and "ჯერ არ დასრულებულა" in line and period.label in line
    with pytest.raises(Refusal):  # the results page, the card, the national view
        await reports(seeded, DURING).public.for_period(period, "results_page")
    assert await Ledger(seeded, seeded.home).entries() == [], "nothing was published"
    reports(seeded, DURING).check(ReportOrder(period))  # an internal report stays allowed


async def test_the_national_comparison_of_a_running_quarter_is_refused_before_any_work(
    seeded,  # noqa: F811
    tmp_path,
):
    from bot.application.municipalities import load_municipalities

    everywhere = load_municipalities(settings())
    with pytest.raises(Refusal) as refused:
        await reports(seeded, DURING).national(everywhere, QUARTER, tmp_path / "out")
    assert refused.value.key == "public_period_open"
    assert not (tmp_path / "out").exists(), "nothing written"


async def test_applications_of_one_quarter_give_the_year_no_applications_and_no_rate(
    tmp_path,
):
    from storage import open_database

    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'part.db'}")
    try:
        async with database.transaction() as tx:
            for answers, day in zip(seed_000.answers(), seed_000.days(), strict=False):
                await tx.responses.add("social_services_v1", "paper", answers, day)
            await tx.commit()
        async with database.analysis() as analysis:  # the seed quarter's figures only
            for service, (applications, _w, _m) in seed_000.SERVICES.items():
                if applications:
                    await analysis.set_applications(QUARTER.start, QUARTER.end, service, 100)
            await analysis.commit()
        year = settings().quarters.year(2025)
        made = await reports(database, AFTER).public.for_year(year, "report")
    finally:
        await database.close()
    [*_rows, total] = made.tables["services"].rows
    assert total[1] in (None, NONE), f"a quarter's applications printed as the year's: {total}"
    assert total[3] == NONE, f"a rate over a part of the year: {total}"


async def test_applications_count_only_when_their_entries_cover_the_period_exactly():
    year = Period(date(2025, 6, 1), date(2026, 5, 31))
    quarters = [
        (date(2025, 6, 1), date(2025, 8, 31), 10),
        (date(2025, 9, 1), date(2025, 11, 30), 20),
    ]
    rest = [(date(2025, 12, 1), date(2026, 2, 28), 30), (date(2026, 3, 1), date(2026, 5, 31), 40)]
    assert covering(quarters, year.start, year.end) is None, "half the year"
    assert covering(quarters + rest, year.start, year.end) == 100
    assert covering([*quarters, *rest, (year.start, year.end, 90)], year.start, year.end) == 90
    overlapping = [(date(2025, 6, 1), date(2025, 9, 30), 15), *quarters[1:], *rest]
    assert covering(overlapping, year.start, year.end) is None, "September counted twice"


async def test_public_figures_leave_a_form_sent_today_waiting_in_the_ballot_box(seeded):  # noqa: F811
    today = AFTER
    async with seeded.transaction() as tx:
        await tx.responses.drop_in_box("social_services_v1", "web", {"gender": "f"}, today)
        await tx.commit()
    await reports(seeded, today).public.for_quarter(QUARTER, "results_page")
    assert await seeded.forms_waiting() == 1, "a visitor made the box give up its form"


async def test_a_form_of_an_ended_day_is_mixed_before_public_figures_count(seeded):  # noqa: F811
    yesterday = AFTER - timedelta(days=1)
    async with seeded.transaction() as tx:
        await tx.responses.drop_in_box("social_services_v1", "web", {"gender": "f"}, yesterday)
        await tx.commit()
    await reports(seeded, AFTER).public.for_quarter(QUARTER, "results_page")
    assert await seeded.forms_waiting() == 0, "as the minute's upkeep would have done"


async def test_the_national_overview_shows_the_last_ended_quarter_as_published(seeded):  # noqa: F811
    content = load_content("ka")
    place = Place(seeded, content, settings(), seeded.home)
    today = date(2025, 9, 10)  # the seed quarter ended ten days ago
    row = await national_row(place, today)
    published = await PublicFigures(seeded, content, settings(), None, lambda: today).for_quarter(
        QUARTER, "report"
    )
    assert row.quarter == "2025Q1"
    assert row.forms == str(published.tables["channels"].rows[-1][1]) == "96"
    async with seeded.transaction() as tx:  # a form of the running quarter
        await tx.responses.add("social_services_v1", "paper", seed_000.answers()[0], today)
        await tx.commit()
    again = await national_row(place, today)
    assert again == row, "the running quarter's forms never show"


async def test_the_ledger_keeps_no_day_an_output_was_made(seeded):  # noqa: F811
    await reports(seeded, AFTER).public.for_quarter(QUARTER, "report")
    async with seeded.analysis() as analysis:
        days = (await analysis._session.scalars(select(PublicOutputRow.made_on))).all()
    assert days == [QUARTER.end], "the day it was made would date a late form"
