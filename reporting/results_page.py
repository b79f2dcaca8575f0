"""The public results page, its method page and its Atom feed, rendered from plain values.

A quarter's figures are the public report itself (``document.Report``, composed with the
same suppression: one source of truth); this module only lays them out for a browser, each
count table with an SVG chart beside it (``svg_charts``). The page's own words come in as a
``Locale`` (``results.*`` of ``locales/<language>.yaml``); the report's figures and headings
are the report's Georgian. jinja2 escapes every text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from bot.questionnaire.changes import ChangeEntry
from bot.questionnaire.i18n import Locale
from reporting import word
from reporting.document import Block, Heading, Image, Paragraph, Report, Table, shown
from reporting.render import bullets_as_lists
from reporting.svg_charts import bar_chart, bars_of

NUMBERED = re.compile(r"^\d+\.\s*")


@dataclass(frozen=True)
class Quarter:
    """A quarter's, or a year's, public figures."""

    label: str
    """``2026Q3`` (a year: ``2025``): its address under ``/results/``."""
    starts: date
    ends: date
    report: Report
    headline: tuple[str, ...] = ()
    """Sentences of the figures safe to print big (how many answered, how many satisfied)."""

    @property
    def is_quarter(self) -> bool:
        return "Q" in self.label

    @property
    def dates(self) -> str:
        return f"{self.starts:%d.%m.%Y} – {self.ends:%d.%m.%Y}"


@dataclass(frozen=True)
class Page:
    """Everything one results page shows; ``words``: the page's language."""

    municipality: str
    words: Locale
    shown: Quarter | None
    quarters: Sequence[Quarter]
    entries: Sequence[ChangeEntry]
    categories: Mapping[str, str]
    base: str
    """The results page's own address (``/results`` or ``/m/<code>/results``)."""
    home: str
    language: str | None = None
    """``?lang=`` to keep on links (``None``: the municipality's first language)."""
    languages: Sequence[tuple[str, str]] = field(default_factory=tuple)
    """Other languages offered: (code, name)."""
    k: int = 3
    """``PUBLIC_MIN_COUNT``: the smallest count printed (the marks' sentence says it)."""


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("reporting", "templates"),
        autoescape=select_autoescape(default=True, enabled_extensions=("j2", "atom")),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def results_html(page: Page) -> str:
    t = page.words.t
    view = {
        "quarter": _quarter_view(page.shown) if page.shown else None,
        "entries": [_entry_view(page, entry) for entry in page.entries],
    }
    return (
        _environment()
        .get_template("results.html.j2")
        .render(p=page, t=t, v=view, q=_q(page), k=page.k)
    )


def method_html(page: Page) -> str:
    t = page.words.t
    paragraphs = [p for p in t("results.method.body", k=page.k).split("\n\n") if p]
    return (
        _environment()
        .get_template("method.html.j2")
        .render(p=page, t=t, paragraphs=paragraphs, q=_q(page))
    )


def preparing_html(page: Page) -> str:
    """While the figures are worked out after a start: come back in a minute."""
    return _environment().get_template("preparing.html.j2").render(p=page, t=page.words.t)


def _q(page: Page) -> str:
    return f"?lang={page.language}" if page.language else ""


def _entry_view(page: Page, entry: ChangeEntry) -> dict[str, Any]:
    t = page.words.t
    return {
        "asked": entry.asked,
        "decided": entry.decided,
        "status": t(f"results.status.{entry.status.value}"),
        "kind": entry.status.value,
        "on": entry.on.strftime("%d.%m.%Y"),
        "categories": [page.categories.get(code, code) for code in entry.categories],
    }


def _quarter_view(quarter: Quarter) -> dict[str, Any]:
    """The report's sections but its introduction (how the municipality collects feedback,
    and the long note on suppression the marks' sentence and the method page say plainly),
    unnumbered, since the first is left out."""
    report = quarter.report
    sections = [
        {"title": NUMBERED.sub("", s.title), "blocks": _blocks(s.blocks)}
        for s in report.sections[1:]
    ]
    return {"period": report.period, "sections": sections, "headline": quarter.headline}


def _blocks(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    """Consecutive bullet paragraphs become one list; charts are drawn from the tables."""
    return bullets_as_lists((b for b in blocks if not isinstance(b, Image)), _block)


def _block(block: Block) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"kind": "heading", "text": block.text}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text, "style": block.style or ""}
    assert isinstance(block, Table)
    numeric = word.numeric_columns(block)
    bars = bars_of(block)
    return {
        "kind": "table",
        "title": block.title,
        "header": block.header,
        "rows": [[(shown(cell), c in numeric) for c, cell in enumerate(row)] for row in block.rows],
        "total_row": block.total_row,
        "legend": block.legend,
        "withheld": block.withheld,
        "chart": Markup(bar_chart(block.title, bars)) if bars else None,  # our own escaped SVG
    }


def feed_atom(
    page: Page, address: str, entries: Sequence[ChangeEntry], quarters: Sequence[Quarter]
) -> str:
    """An Atom feed (RFC 4287) of the entries and each quarter's publication; ``address``:
    the results page's full URL. Each item is dated by its day only, as everything kept."""
    t = page.words.t
    items = [
        {
            "id": f"{address}#change-{entry.id}-{entry.status.value}",
            "title": f"{t(f'results.status.{entry.status.value}')}: {entry.asked}",
            "summary": entry.decided,
            "updated": _moment(entry.on),
            "link": f"{address}#changes",
        }
        for entry in entries
    ]
    items += [
        {
            "id": f"{address}/{quarter.label}",
            "title": t(
                "results.feed_quarter" if quarter.is_quarter else "results.feed_year",
                period=quarter.report.period,
            ),
            "summary": t("results.feed_quarter_text", municipality=page.municipality),
            "updated": _moment(quarter.ends),
            "link": f"{address}/{quarter.label}",
        }
        for quarter in quarters
    ]
    items.sort(key=lambda item: item["updated"], reverse=True)
    updated = items[0]["updated"] if items else _moment(date(2025, 1, 1))
    return (
        _environment()
        .get_template("feed.atom.j2")
        .render(
            title=t("results.feed_title", municipality=page.municipality),
            address=address,
            updated=updated,
            items=items,
            language=t("web.language"),
        )
    )


def _moment(day: date) -> str:
    return datetime.combine(day, time()).isoformat() + "Z"
