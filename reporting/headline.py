"""The figures a public output may show big (a Facebook card, the top of the results page):
only what its audited tables allow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Question
from reporting.document import Table
from reporting.metrics import distribution
from reporting.public_tables import scale_figures
from reporting.summary_audit import sentence_allowed


@dataclass(frozen=True)
class Headline:
    """A figure safe to print big (a card, the top of the results page)."""

    key: str
    value: str
    sentence: str


def headline(
    tables: Mapping[str, Table], texts: Locale, satisfaction: Question | None, frame: Any, k: int
) -> tuple[Headline, ...]:
    """Figures the audited tables allow, to show big: how many answered, and the satisfied
    share whenever the report itself prints it. Every number is the printed table's: how
    many answered is its total as printed, and the share is said only beside a printed
    total with no count printed ``x`` (the ledger audit's ``x`` may hide a late paper form:
    ``reporting.summary_audit.sentence_allowed``); ``frame`` gives the share only when the
    table hides small counts the summary audit finds it pins not."""
    found = []
    channels = tables.get("channels")
    if channels is not None and not channels.withheld and isinstance(channels.rows[-1][1], int):
        n = channels.rows[-1][1]
        found.append(Headline("responses", str(n), texts.t("headline.responses", n=n)))
    scale = tables.get(satisfaction.id) if satisfaction is not None else None
    if satisfaction is None or scale is None or scale.withheld or not scale.rows:
        return tuple(found)
    satisfied = _satisfied(scale, satisfaction, frame, k)
    if satisfied is not None:
        share, answered = satisfied
        printed = f"{round(share * 100)}%"
        said = texts.t("headline.satisfied", share=printed, answered=answered)
        found.append(Headline("satisfied", printed, said))
    return tuple(found)


def _satisfied(scale: Table, question: Question, frame: Any, k: int) -> tuple[float, int] | None:
    """(the two best answers' share, how many answered), as the printed table allows."""
    answered = scale.rows[-1][1]
    if not isinstance(answered, int) or isinstance(answered, bool) or not answered:
        return None
    every = scale_figures(scale, question.options)
    if every is not None:  # every count printed: the share follows from them
        top, total, _mean = every
        return top / total, total
    result = distribution(frame, question, public=True)
    if result.top2 is None or result.mean is None or result.answered != answered:
        return None
    codes = list(result.counts)
    best = sorted(codes, key=int)[-2:]
    mean, share = float(f"{result.mean:.1f}"), round(result.top2 * 100) / 100
    top_rows = [codes.index(code) for code in best]
    if not sentence_allowed(scale, [int(c) for c in codes], top_rows, mean, share, k):
        return None
    return result.top2, answered
