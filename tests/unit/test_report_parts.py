"""Report building blocks: periods, categories, suppression, escaping, charts, metrics."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from bot.questionnaire.content import bundled_questionnaire, load_questionnaire
from bot.questionnaire.periods import Period, PeriodError, Quarters, parse_period
from reporting import metrics, render
from reporting.categories import load_categoriser
from reporting.charts import bar_chart
from reporting.document import Paragraph, Report, Section, Table, suppress
from reporting.roles import Roles

FIXTURES = Path(__file__).parent.parent / "fixtures"
Q = load_questionnaire(bundled_questionnaire())
ROLES = Roles.of(Q)


def test_calendar_quarters_parse_and_know_the_period_before():
    calendar = Quarters(1)
    q3 = calendar.parse("2025Q3")
    assert (q3.start, q3.end, q3.label) == (date(2025, 7, 1), date(2025, 9, 30), "2025Q3")
    assert calendar.parse("2025q1").previous() == Period(date(2024, 10, 1), date(2024, 12, 31))
    summer = calendar.parse("2025-06-01 2025-08-31")
    assert summer.days == 92 and summer.quarter_label is None
    assert summer.previous() == Period(date(2025, 3, 1), date(2025, 5, 31))
    assert calendar.last_complete(date(2025, 10, 1)) == q3
    assert calendar.last_complete(date(2025, 2, 14)) == calendar.parse("2024Q4")


def test_the_municipalitys_quarters_start_in_june_by_default_as_seed_000s():
    first = parse_period("2025Q1")
    assert (first.start, first.end) == (date(2025, 6, 1), date(2025, 8, 31))
    quarters = [parse_period(f"2025Q{n}") for n in (2, 3, 4)]
    assert [(q.start, q.end) for q in quarters] == [
        (date(2025, 9, 1), date(2025, 11, 30)),
        (date(2025, 12, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 5, 31)),
    ]
    assert first.previous() == Period(date(2025, 3, 1), date(2025, 5, 31))
    assert first.previous().label == "2024Q4"
    assert Quarters().last_complete(date(2025, 9, 1)) == first
    assert Quarters().last_complete(date(2026, 1, 10)) == quarters[0]
    assert Quarters(6).start_months() == (3, 6, 9, 12)


def test_the_period_before_whole_months_is_the_same_whole_months_not_the_same_days():
    autumn = parse_period("2025-09-01 2025-11-30")  # 91 days; the summer before has 92
    assert autumn.previous() == Period(date(2025, 6, 1), date(2025, 8, 31))
    month = parse_period("2025-03-01 2025-03-31")
    assert month.previous() == Period(date(2025, 2, 1), date(2025, 2, 28))
    days = parse_period("2025-03-05 2025-03-14")
    assert days.previous() == Period(date(2025, 2, 23), date(2025, 3, 4))


@pytest.mark.parametrize(
    "text", ["2025Q5", "Q3", "2025-13-01 2025-14-01", "2025-09-01 2025-08-01", ""]
)
def test_malformed_periods_are_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_automatic_categories_agree_with_hand_coding_on_the_fixture():
    categoriser = load_categoriser()
    items = yaml.safe_load((FIXTURES / "comments.yaml").read_text(encoding="utf-8"))
    assert len(items) >= 40
    exact = sum(set(categoriser.categorise(i["text"])) == set(i["categories"]) for i in items)
    assert exact / len(items) >= 0.9


def test_satisfaction_alone_only_and_negation_is_not_satisfaction():
    categoriser = load_categoriser()
    assert categoriser.categorise("მადლობა, მაგრამ თანხა გაზარდეთ") == ("increase_amount",)
    assert "satisfied" not in categoriser.categorise("არ ვარ კმაყოფილი")
    assert categoriser.categorise("გზა გააკეთეთ") == ("other",)
    assert categoriser.categorise("   ") == ()


def table(rows: list[tuple], **kwargs) -> Table:
    return Table("t", "t", tuple(f"c{i}" for i in range(len(rows[0]))), tuple(rows), **kwargs)


def test_small_counts_are_hidden_and_a_second_cell_keeps_them_from_subtraction():
    rows = [("a", 10, 6, 4), ("b", 7, 2, 5), ("total", 17, 8, 9)]
    shown = suppress(table(rows, counts=(1, 2, 3), row_sums=((1, (2, 3)),), total_row=True), 3)
    b = shown.rows[1]
    assert b[2] == "<3" and b[3] == "x"  # 2 hidden; 5 hidden too, or 7 - 5 gives it away
    a = shown.rows[0]
    assert a[2] == "x" or a[3] == "x"  # the column of 2 needs a second hidden cell
    hidden = sum(cell in ("<3", "x") for row in shown.rows for cell in row)
    assert hidden >= 4
    assert shown.rows[2] == ("total", 17, 8, 9)  # never a total when inner cells will do


def test_percentages_follow_their_hidden_counts():
    rows = [("x", 1, "50%"), ("y", 1, "50%"), ("total", 2, "100%")]
    shown = suppress(table(rows, counts=(1,), total_row=True, shares={2: 1}), 3)
    # a share is not a count of people: it is hidden as "x", never printed as "<3"
    assert shown.rows[0] == ("x", "<3", "x") and shown.rows[1] == ("y", "<3", "x")


def test_citizen_text_is_escaped_in_html_and_never_a_formula_in_excel(tmp_path):
    evil = (
        '<script>alert("x")</script>',
        '=HYPERLINK("http://x","click")',
        "+1",
        "-2",
        "@sum",
        "bell\x07 and nul\x00 inside",
    )
    register = table([(text,) for text in evil])
    report = Report("t", "p", (Section("s", (Paragraph(evil[0]), register)),))
    page = render.html(report)
    assert "<script>" not in page and "&lt;script&gt;" in page
    path = tmp_path / "r.xlsx"
    render.xlsx(report, path)
    from openpyxl import load_workbook

    sheet = load_workbook(path)["t"]
    for (cell,), text in zip(sheet.iter_rows(min_row=2), evil, strict=True):
        assert cell.data_type == "s"
        clean = text.replace("\x07", "").replace("\x00", "")
        assert cell.value in (clean, "'" + clean)
        assert not str(cell.value).startswith(("=", "+", "-", "@"))
    render.docx(report, tmp_path / "r.docx")


def test_chart_draws_georgian_without_missing_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = bar_chart(
            "რამდენად კმაყოფილი ხართ?",
            ["5 — ძალიან კმაყოფილი", "1 — უკმაყოფილო"],
            [3, 1],
            ["3", "1"],
        )
    assert png.startswith(b"\x89PNG")
    assert not [w for w in caught if "missing from" in str(w.message)]


def frame(rows: list[dict]) -> pd.DataFrame:
    data = pd.DataFrame(rows, columns=["channel", *[q.id for q in Q.questions]])
    data["categories"] = [()] * len(data)
    return data


def test_metrics_of_a_tiny_frame():
    data = frame(
        [
            {"channel": "paper", "service": "veterans", "gender": "male", "satisfaction": "5"},
            {"channel": "paper", "service": "veterans", "gender": "female", "satisfaction": "4"},
            {"channel": "telegram", "service": "other", "gender": "female", "satisfaction": "1"},
            {
                "channel": "telegram",
                "service": "veterans",
                "gender": "undisclosed",
                "satisfaction": None,
            },
        ]
    )
    assert metrics.totals(data, {}, ROLES).rate is None
    total = metrics.totals(data, {"veterans": 8}, ROLES)
    assert total.rate == 0.5 and total.by_gender == {"female": 2, "male": 1, "undisclosed": 1}
    rows = {
        r.service: r
        for r in metrics.service_rows(data, Q.get("service").options, {"veterans": 8}, ROLES)
    }
    assert rows["veterans"].feedback == 3 and rows["veterans"].applications == 8
    assert rows["other"].by_gender["female"] == 1
    spread = metrics.distribution(data, Q.get("satisfaction"))
    assert (
        spread.answered == 3
        and spread.top2 == pytest.approx(2 / 3)
        and spread.mean == pytest.approx(10 / 3)
    )
    assert metrics.channel_counts(data, ("paper", "telegram", "messenger"))["messenger"] == 0


def test_response_rate_counts_only_the_services_that_have_application_figures():
    data = frame(
        [
            *[{"channel": "paper", "service": "veterans", "gender": "male"}] * 5,
            *[{"channel": "paper", "service": "winter_heating", "gender": "female"}] * 40,
            *[{"channel": "paper", "service": "other", "gender": "female"}] * 3,
        ]
    )
    partial = metrics.totals(data, {"veterans": 25}, ROLES)
    assert partial.rate == pytest.approx(5 / 25)  # not 48 / 25
    assert (partial.covered, partial.complete, partial.rate_responses) == (1, False, 5)
    complete = metrics.totals(data, {"veterans": 25, "winter_heating": 185}, ROLES)
    assert complete.complete and complete.rate == pytest.approx(48 / 210)


def test_the_quarterly_report_follows_the_quarter_start_month_unless_a_cron_is_given():
    from pydantic import ValidationError

    from bot.config.settings import Settings

    assert Settings(_env_file=None).quarterly_schedule == "0 9 1 3,6,9,12 *"
    calendar = Settings(_env_file=None, quarter_start_month=1)
    assert calendar.quarterly_schedule == "0 9 1 1,4,7,10 *"
    assert calendar.quarters.parse("2025Q3").start == date(2025, 7, 1)
    given = Settings(_env_file=None, quarterly_cron="0 8 2 * *")
    assert given.quarterly_schedule == "0 8 2 * *"
    with pytest.raises(ValidationError, match="quarter_start_month"):
        Settings(_env_file=None, quarter_start_month=13)
