"""The Facebook card says only what the public report prints, and all of it fits."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from bot.application.card import Cards
from bot.application.refusal import Refusal
from bot.questionnaire.content import load_content
from bot.questionnaire.periods import Period, Quarters
from reporting.build import report_texts
from reporting.card import card_content, card_figure, post_text, satisfaction
from reporting.document import Percent, Table

TEXTS = report_texts()
QUARTER = Quarters().quarter(2025, 1)
SCALE = satisfaction(load_content("ka").questionnaire)
LEGEND = "<3 — 1 ან 2 ადამიანი; x — დაფარულია"


def counts(name: str, rows: list[tuple[str, object]], legend: str | None = None) -> Table:
    total = sum(v for _, v in rows if isinstance(v, int))
    return Table(name, name, ("პასუხი", "რაოდენობა"), (*rows, ("სულ", total)), (1,), (), True,
                 legend=legend)  # fmt: skip


def scale(*values: object, legend: str | None = None) -> Table:
    return counts("satisfaction", [(f"{5 - i} — პასუხი", v) for i, v in enumerate(values)], legend)


def tables(**more: Table) -> dict[str, Table]:
    channels = counts("channels", [("ქაღალდის ფორმა", 40), ("Telegram", 20)])
    return {"channels": channels, **more}


def test_the_satisfied_share_is_the_two_best_answers_of_all_who_answered():
    card = card_content(
        TEXTS, "ამბროლაური", QUARTER, tables(satisfaction=scale(30, 15, 5, 5, 5)), "l", SCALE
    )
    assert [f.value for f in card.figures] == ["60", "75%"]  # (30 + 15) / 60
    assert SCALE.table == "satisfaction" and set(SCALE.satisfied) == {0, 1}  # 5 and 4 first


def test_no_satisfied_share_when_the_public_table_hides_one_of_its_counts():
    hidden = scale(30, 15, "<3", "x", 10, legend=LEGEND)
    card = card_content(TEXTS, "ამბროლაური", QUARTER, tables(satisfaction=hidden), "l", SCALE)
    assert [f.value for f in card.figures] == ["60"]
    assert card.chart is not None and card.chart.shown[2:4] == ("<3", "x")
    assert card.chart.values[2:4] == (0, 0) and card.chart.note == LEGEND


def test_the_response_rate_only_when_the_services_table_prints_it():
    def services(rate: object) -> Table:
        header = ("სერვისი", "განაცხადები", "უკუკავშირი", "გამოხმაურება")
        return Table("services", "s", header, (("სულ", 150, 60, rate),), (1, 2), (), True)

    printed = card_content(TEXTS, "ა", QUARTER, tables(services=services(Percent(0.4))), "l")
    assert printed.figures[-1].value == "40%"
    hidden = card_content(TEXTS, "ა", QUARTER, tables(services=services("x")), "l")
    assert [f.value for f in hidden.figures] == ["60"]


def test_the_chart_shows_what_was_asked_most_and_leaves_out_what_the_report_hides():
    categories = counts(
        "categories",
        [("თანხის გაზრდა", 13), ("სხვა რამ", "<3"), ("პენსია", 5), ("არაფერი", 0), ("შშმ", 3)],
    )
    card = card_content(TEXTS, "ა", QUARTER, tables(categories=categories), "l", SCALE)
    assert card.chart is not None
    assert card.chart.labels == ("თანხის გაზრდა", "პენსია", "შშმ")
    assert card.chart.shown == ("13", "5", "3") and card.chart.note is None


def test_the_post_names_the_municipality_its_quarter_and_ends_with_the_link():
    link = "https://feedback.example.ge/m/oni/results"
    card = card_content(TEXTS, "ონის მუნიციპალიტეტი", QUARTER, tables(), link, SCALE)
    post = post_text(TEXTS, card)
    assert post.startswith("ონის მუნიციპალიტეტი") and "01.06.2025 – 31.08.2025" in post
    assert post.rstrip().endswith("https://feedback.example.ge/m/oni/results")
    assert "• 60 — " in post


LONG = "სოციალურად დაუცველი მოსახლეობის ზამთრის თბობისათვის ერთჯერადი ფულადი დახმარება"


@pytest.mark.parametrize(
    "chart",
    [
        counts("categories", [(LONG, 40), (LONG + " მეორე", 20), ("პენსია", 9)]),
        scale(
            30, 15, "<3", "x", 10, legend=LEGEND + ", რომ მცირე რიცხვი ჯამებიდან ვერ გამოითვალოს"
        ),
    ],
    ids=["long names", "marks and their legend"],
)
def test_every_text_stays_on_the_card_and_clear_of_the_others(chart):
    municipality = "ქალაქ ამბროლაურისა და მისი ყველა სოფლის გაერთიანებული მუნიციპალიტეტი"
    link = "https://" + "a" * 60 + ".example.ge/results"
    card = card_content(TEXTS, municipality, QUARTER, tables(**{chart.name: chart}), link, SCALE)
    figure = card_figure(card)
    renderer = figure.canvas.get_renderer()
    texts = [t for t in (*figure.texts, *figure.axes[0].texts) if t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    assert len(boxes) >= 9
    for box in boxes:
        assert box.x0 >= 0 and box.x1 <= 1200 and box.y0 >= 0 and box.y1 <= 630
    for i, box in enumerate(boxes):  # none runs into another (the chart's among them)
        assert not any(box.overlaps(other) for other in boxes[i + 1 :]), texts[i].get_text()
    assert all(t.get_fontsize() >= 9 for t in texts)  # shrunk, but still read


def test_without_a_results_page_the_post_and_the_card_name_no_link():
    card = card_content(TEXTS, "ონის მუნიციპალიტეტი", QUARTER, tables(), None, SCALE)
    post = post_text(TEXTS, card)
    assert "http" not in post and "{link}" not in post
    assert post.rstrip().endswith("პასუხები ანონიმურია.")
    assert not any("http" in t.get_text() for t in card_figure(card).texts)


def ended_quarter(period: Period, today: date) -> Period:
    reports = SimpleNamespace(settings=SimpleNamespace(quarters=Quarters()), today=lambda: today)
    return Cards(reports, "l").ended_quarter(period)  # type: ignore[arg-type]


def test_only_an_ended_quarter_of_the_municipality_has_a_card():
    today = date(2026, 12, 7)
    assert ended_quarter(Period(date(2026, 6, 1), date(2026, 8, 31)), today).label == "2026Q1"
    with pytest.raises(Refusal) as open_one:
        ended_quarter(Quarters().quarter(2026, 3), today)  # December–February: not yet over
    assert open_one.value.key == "card_quarter_open"
    assert open_one.value.values["example"] == "2026Q2"  # the last that has ended
    for period in (Period(date(2025, 6, 1), date(2025, 6, 30)), Quarters(1).quarter(2025, 3)):
        with pytest.raises(Refusal) as not_one:
            ended_quarter(period, today)
        assert not_one.value.key == "card_quarter_only"
