"""The dashboard's figures (``reporting.dashboard``): a viewer's tables hide what a public
table hides, weeks without forms are shown, and a share needs enough answers."""

from __future__ import annotations

from datetime import date

import pandas as pd

from bot.questionnaire.content import load_content
from bot.questionnaire.periods import Period
from reporting.dashboard import confirmed_and_open, counted, top_two, weeks


def test_an_analyst_sees_every_count_as_it_is():
    table = counted([("paper", 1), ("web", 9)], k=None)
    assert [bar.text for bar in table.bars] == ["1", "9"] and table.total == "10"
    assert not table.hides


def test_a_viewer_sees_a_small_count_hidden_and_another_so_it_cannot_be_worked_out():
    table = counted([("paper", 1), ("web", 9), ("telegram", 4)], k=3)
    shown = {bar.label: bar.text for bar in table.bars}
    assert shown["paper"] == "<3" and table.total == "14"
    assert "x" in shown.values()  # total minus the others would give the 1 back otherwise
    assert all(bar.value is None for bar in table.bars if bar.text in ("<3", "x"))


def test_a_table_of_small_counts_only_shows_a_viewer_no_figure_to_add_up():
    table = counted([("paper", 1), ("web", 1)], k=3)
    assert [bar.text for bar in table.bars] == ["<3", "<3"]
    assert table.total == "x"  # "<3" could only be 2 = 1 + 1
    assert all(bar.value is None for bar in table.bars)


def test_a_week_nobody_answered_in_is_listed_with_zero():
    frame = pd.DataFrame(
        {"submitted_on": pd.to_datetime(["2025-09-01", "2025-09-02", "2025-09-16"])}
    )
    found = weeks(frame, Period(date(2025, 9, 1), date(2025, 11, 30)), date(2025, 9, 20))
    assert found == [(date(2025, 9, 1), 2), (date(2025, 9, 8), 0), (date(2025, 9, 15), 1)]


def test_forms_typed_from_paper_count_as_confirmed():
    frame = pd.DataFrame({"confirmed": [True, False, True, None]})
    assert confirmed_and_open(frame) == (2, 2)


def test_a_quarter_with_too_few_answers_prints_no_share_for_a_viewer():
    questionnaire = load_content("ka").questionnaire
    question = next(q for q in questionnaire.answerable() if q.kind.scored)
    best = sorted(question.options, key=int)[-1]
    frame = pd.DataFrame(
        {
            "submitted_on": pd.to_datetime(["2025-07-01", "2025-07-02", "2025-10-01"]),
            question.id: [best, "1", best],
        }
    )
    quarters = [
        Period(date(2025, 7, 1), date(2025, 9, 30)),
        Period(date(2025, 10, 1), date(2025, 12, 31)),
    ]
    viewer = top_two(frame, question, quarters, k=3)
    analyst = top_two(frame, question, quarters, k=None)
    assert [s.percent for s in viewer] == [None, None]
    assert [s.answered for s in viewer] == ["<3", "<3"]
    assert [s.percent for s in analyst] == [50, 100]
