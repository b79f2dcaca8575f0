"""The Facebook card says only what the public report prints, and all of it fits."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from bot.application.card import Cards
from bot.application.refusal import Refusal
from bot.questionnaire.periods import Period, Quarters
from reporting.build import report_texts
from reporting.card import (
    CardContent,
    Printed,
    answered,
    card_content,
    card_figure,
    post_text,
)
from reporting.document import Percent, Table

TEXTS = report_texts()
QUARTER = Quarters().quarter(2025, 1)
LEGEND = "<3 — 1 ან 2 ადამიანი; x — დაფარულია"
ANSWERED = (("responses", "60"),)


def counts(name: str, rows: list[tuple[str, object]], legend: str | None = None) -> Table:
    total = sum(v for _, v in rows if isinstance(v, int))
    return Table(name, name, ("პასუხი", "რაოდენობა"), (*rows, ("სულ", total)), (1,), (), True,
                 legend=legend)  # fmt: skip


def scale(*values: object, legend: str | None = None) -> Table:
    return counts("satisfaction", [(f"{5 - i} — პასუხი", v) for i, v in enumerate(values)], legend)


def card(
    more: dict[str, Table] | None = None,
    headline: tuple[tuple[str, str], ...] = ANSWERED,
    link: str | None = "l",
    municipality: str = "ამბროლაური",
) -> CardContent:
    channels = counts("channels", [("ქაღალდის ფორმა", 40), ("Telegram", 20)])
    printed = Printed({"channels": channels, **(more or {})}, headline)
    return card_content(TEXTS, municipality, QUARTER, printed, link)


def test_the_big_figures_are_the_ones_the_public_figures_allow_and_no_other():
    allowed = card({"satisfaction": scale(30, 15, 5, 5, 5)}, (*ANSWERED, ("satisfied", "75%")))
    assert [(f.value, f.label) for f in allowed.figures] == [
        ("60", TEXTS.t("card.responses")),
        ("75%", TEXTS.t("card.satisfied")),
    ]
    # every count printed, but the audit did not allow the share: the card adds none
    assert [f.value for f in card({"satisfaction": scale(30, 15, 5, 5, 5)}).figures] == ["60"]
    unknown = card(headline=(*ANSWERED, ("mean", "4.1")))  # a figure the card has no words for
    assert [f.value for f in unknown.figures] == ["60"]


def test_how_many_answered_is_the_printed_total_or_nothing():
    assert answered(Printed({"channels": counts("channels", [("ქაღალდი", 7)])}, ())) == 7
    hidden = Table("channels", "c", ("არხი", "რაოდენობა"), (("ქაღალდი", "x"), ("სულ", "x")))
    assert answered(Printed({"channels": hidden}, ())) == 0
    assert answered(Printed({}, ())) == 0


def test_the_chart_shows_the_reports_marks_and_its_legend_under_it():
    hidden = scale(30, 15, "<3", "x", 10, legend=LEGEND)
    shown = card({"satisfaction": hidden}).chart
    assert shown is not None and shown.shown[2:4] == ("<3", "x")
    assert shown.values[2:4] == (0, 0) and shown.note == LEGEND  # no bar for a hidden count


def test_the_response_rate_only_when_the_services_table_prints_it():
    def services(rate: object) -> dict[str, Table]:
        header = ("სერვისი", "განაცხადები", "უკუკავშირი", "გამოხმაურება")
        rows = (("სულ", 150, 60, rate),)
        return {"services": Table("services", "s", header, rows, (1, 2), (), True)}

    assert card(services(Percent(0.4))).figures[-1].value == "40%"
    assert [f.value for f in card(services("x")).figures] == ["60"]


def test_the_chart_shows_what_was_asked_most_and_leaves_out_what_the_report_hides():
    categories = counts(
        "categories",
        [("თანხის გაზრდა", 13), ("სხვა რამ", "<3"), ("პენსია", 5), ("არაფერი", 0), ("შშმ", 3)],
    )
    asked = card({"categories": categories}).chart
    assert asked is not None
    assert asked.labels == ("თანხის გაზრდა", "პენსია", "შშმ")
    assert asked.shown == ("13", "5", "3") and asked.note is None


def test_the_post_names_the_municipality_its_quarter_and_ends_with_the_link():
    link = "https://feedback.example.ge/m/oni/results"
    post = post_text(TEXTS, card(link=link, municipality="ონის მუნიციპალიტეტი"))
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
    headline = (*ANSWERED, ("satisfied", "75%"))
    figure = card_figure(card({chart.name: chart}, headline, link, municipality))
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
    unlinked = card(link=None)
    post = post_text(TEXTS, unlinked)
    assert "http" not in post and "{link}" not in post
    assert post.rstrip().endswith("პასუხები ანონიმურია.")
    assert not any("http" in t.get_text() for t in card_figure(unlinked).texts)


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
