"""The public results page, its method page and its Atom feed: what a citizen reads of what
came of the answers (``/results``; another municipality's at ``/m/<code>/results``).

Figures are shown for ended quarters only, each the public report's own (``public_quarter``:
the same computation and suppression), so the page prints nothing a report does not and no
count that moves from day to day. Beside them, the municipality's "what we changed"
entries (``bot.application.changes``). Pages are made on request and each quarter's report
is kept a while (``KEPT_SECONDS``): a quarter's figures move only when an analyst publishes
a text or staff type in late paper forms, and nobody needs that within the minute.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from bot.application.changes import Changes, category_labels
from bot.application.reports import ReportOrder, Reports
from bot.config.settings import Settings
from bot.questionnaire.changes import ChangeEntry
from bot.questionnaire.i18n import Locale
from bot.questionnaire.periods import Period

if TYPE_CHECKING:
    from reporting.document import Report
    from reporting.results_page import Page, Quarter

KEPT_SECONDS = 600.0
QUARTERS_SHOWN = 8
"""Two years of quarters back from the last ended one (the older ones stay in the reports)."""


async def public_quarter(reports: Reports, quarter: Period) -> Report | None:
    """The quarter's public report as a document (``None``: nobody answered in it).

    The one place the results page takes its figures from: the public report's own pipeline
    (``Reports.figures`` then ``compose`` with ``public=True``), until the ledger's
    ``PublicFigures`` service audits every public output against the earlier ones."""
    from reporting.build import report_texts
    from reporting.categories import load_categoriser
    from reporting.compose import compose
    from reporting.composer import Composer

    reports.check(ReportOrder(quarter, public=True))
    figures = await reports.figures(quarter)
    if figures.inputs.frame.empty:
        return None
    settings = reports.settings
    composer = Composer(
        figures.form.questionnaire,
        figures.form.locale,
        report_texts(),
        load_categoriser(),
        settings.municipality_name,
        public=True,
        k=settings.public_min_count,
        form_title=figures.form.title,
        headline=settings.headline_counts,
    )
    return await asyncio.to_thread(compose, composer, figures.inputs)


def news(entries: list[ChangeEntry], since: date, words: Locale) -> list[str]:
    """The entries written or moved on since ``since`` (the reported quarter's start), one
    line each, for the subscribers' "you said, we did" message."""
    return [
        words.t(
            "results.news_line",
            status=words.t(f"results.status.{entry.status.value}"),
            asked=entry.asked,
            decided=entry.decided,
        )
        for entry in entries
        if entry.on >= since
    ]


def address(settings: Settings, scope: str | None) -> str | None:
    """The results page's public address (``WEB_BASE_URL`` and the path), when the web
    pages are served and their address is known; what a thank-you and the QR sheets print."""
    if not settings.web_enabled or not settings.web_base_url:
        return None
    prefix = "" if scope is None else f"/m/{scope}"
    return settings.web_base_url.rstrip("/") + prefix + "/results"


@dataclass
class Results:
    """One municipality's results pages. ``words``: the page's words in a language (the
    municipality's first for ``None``); ``home``: its questionnaire's address."""

    reports: Reports
    changes: Changes
    words: Callable[[str | None], Locale]
    base: str
    home: str
    clock: Callable[[], float] = time.monotonic
    _kept: dict[str, tuple[float, Report | None]] = field(default_factory=dict, repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    @property
    def languages(self) -> tuple[str, ...]:
        return self.reports.settings.citizen_languages

    async def page(self, label: str | None, language: str | None) -> str | None:
        """The page of quarter ``label`` (the last ended one with answers when ``None``);
        ``None`` when ``label`` is not an ended quarter with answers."""
        from reporting.results_page import results_html

        quarters = await self.quarters()
        shown = quarters[0] if quarters and label is None else None
        if label is not None:
            shown = next((q for q in quarters if q.label == label), None)
            if shown is None:
                return None
        return results_html(await self._page(quarters, shown, language))

    async def method(self, language: str | None) -> str:
        from reporting.results_page import method_html

        return method_html(await self._page([], None, language, entries=False))

    async def feed(self, address: str) -> str:
        """The Atom feed; ``address``: the page's full public URL."""
        from reporting.results_page import feed_atom

        quarters = await self.quarters()
        page = await self._page(quarters, None, None)
        return feed_atom(page, address.rstrip("/"), page.entries, quarters)

    async def quarters(self) -> list[Quarter]:
        """The ended quarters people answered in, newest first."""
        from reporting.results_page import Quarter

        settings = self.reports.settings
        quarter = settings.quarters.last_complete(self.reports.today())
        found = []
        for _ in range(QUARTERS_SHOWN):
            report = await self._report(quarter)
            if report is not None:
                found.append(Quarter(quarter.label, quarter.start, quarter.end, report))
            quarter = quarter.previous()
        return found

    async def _report(self, quarter: Period) -> Report | None:
        async with self._lock:  # one computation at a time: a crowd waits for the first
            kept = self._kept.get(quarter.label)
            if kept is not None and self.clock() - kept[0] < KEPT_SECONDS:
                return kept[1]
            report = await public_quarter(self.reports, quarter)
            self._kept[quarter.label] = (self.clock(), report)
            return report

    async def _page(
        self,
        quarters: list[Quarter],
        shown: Quarter | None,
        language: str | None,
        entries: bool = True,
    ) -> Page:
        from reporting.results_page import Page

        chosen = language if language in self.languages[1:] else None
        others = [code for code in self.languages if code != (chosen or self.languages[0])]
        settings = self.reports.settings
        return Page(
            municipality=settings.municipality_name,
            words=self.words(chosen),
            shown=shown,
            quarters=quarters,
            entries=await self.changes.all() if entries else [],
            categories=category_labels(),
            base=self.base,
            home=self.home,
            language=chosen,
            languages=[(code, self.words(code).t("language.name")) for code in others],
            k=settings.public_min_count,
        )
