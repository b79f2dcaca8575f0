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
from reporting.summary_audit import summary_keeps_hidden


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
    share whenever the report itself prints it (every count printed, or the summary audit
    finds that the share and the mean pin no hidden count: ``reporting.summary_audit``)."""
    found = []
    channels = tables.get("channels")
    if channels is not None and not channels.withheld and isinstance(channels.rows[-1][1], int):
        n = channels.rows[-1][1]
        found.append(Headline("responses", str(n), texts.t("headline.responses", n=n)))
    scale = tables.get(satisfaction.id) if satisfaction is not None else None
    if satisfaction is None or scale is None or scale.withheld or not scale.rows:
        return tuple(found)
    result = distribution(frame, satisfaction, public=True)
    if result.top2 is None or result.mean is None or not result.answered:
        return tuple(found)
    codes = list(result.counts)
    best = sorted(codes, key=int)[-2:]
    mean, share = float(f"{result.mean:.1f}"), round(result.top2 * 100) / 100
    top = [codes.index(code) for code in best]
    if summary_keeps_hidden(scale, [int(c) for c in codes], top, mean, share, k):
        printed = f"{round(share * 100)}%"
        said = texts.t("headline.satisfied", share=printed, answered=result.answered)
        found.append(Headline("satisfied", printed, said))
    return tuple(found)
