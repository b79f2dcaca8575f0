"""A viewer's dashboard read off printed public tables (``bot.application.public_dashboard``):
what a table hides stays hidden, and no figure is worked out that the table would not give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.application.public_dashboard import _counted, _rate, _shares
from bot.questionnaire.content import load_content
from bot.questionnaire.periods import Period
from reporting.document import NONE, Percent, Table

QUARTER = Period(date(2025, 6, 1), date(2025, 8, 31))


@dataclass
class Printed:
    tables: dict[str, Table]


def scale():
    return next(q for q in load_content().questionnaire.answerable() if q.kind.scored)


def answers(question, best: list[tuple[object, object]]) -> Table:
    """The scale's table: ``best`` the two best answers' (count, share), the others none."""
    top = dict(zip(sorted(question.options, key=int)[-2:], best, strict=True))
    cells = [top.get(code, (0, Percent(0.0))) for code in question.options]
    rows = [(code, n, share) for code, (n, share) in zip(question.options, cells, strict=True)]
    answered = sum(n for n, _ in cells if isinstance(n, int))
    return Table(question.id, "", (), (*rows, ("total", answered, Percent(1.0))), total_row=True)


def test_a_scales_share_is_the_sum_of_the_two_best_answers_printed_shares():
    question = scale()
    cells = [(3, Percent(0.3))] * 2
    [share] = _shares(question, [QUARTER], [Printed({question.id: answers(question, cells)})])
    assert share.percent == 60 and share.answered == "6"


def test_a_scales_share_is_not_printed_when_either_best_answer_is_hidden():
    question = scale()
    cells = [("<3", "x"), (9, Percent(0.9))]
    [share] = _shares(question, [QUARTER], [Printed({question.id: answers(question, cells)})])
    assert share.percent is None


def test_a_quarter_without_the_table_prints_no_share_and_no_count():
    [share] = _shares(scale(), [QUARTER], [Printed({})])
    assert share.percent is None and share.answered == NONE


def test_the_rate_is_only_the_one_the_public_table_prints():
    def services(rate: object) -> Table:
        return Table("services", "", (), (("heating", 40, "<3", rate), ("total", 40, "<3", rate)))

    assert _rate(services(NONE)) is None  # hidden or incomplete: nothing to work back from
    shown = _rate(services(Percent(0.0)))
    assert shown is not None and shown.percent == 0  # 0% is a figure, printed


def test_a_hidden_count_stays_hidden_and_draws_no_bar():
    table = Table("channels", "", (), (("paper", "<3"), ("web", 7), ("total", "x")), total_row=True)
    found = _counted(table, 1)
    assert [(b.text, b.value) for b in found.bars] == [("<3", None), ("7", 7)]
    assert found.total == "x"
