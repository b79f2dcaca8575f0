"""The public results page, its method page and its Atom feed: what a citizen reads of what
came of the answers (``/results``; another municipality's at ``/m/<code>/results``).

Figures are shown for ended quarters and years only, each the public report's own
(``public_period``: ``PublicFigures``, the same computation and suppression, audited against
every earlier public output), so the page prints nothing a report does not, nothing that
differencing two outputs could reveal, and no count that moves from day to day. Beside
them, the municipality's "what we changed" entries (``bot.application.changes``). Pages are
made on request and each period's figures are kept and renewed in the background after
``KEPT_SECONDS``: they move only when an analyst publishes a text or staff type in late
paper forms, and nobody needs that within the minute, while working them out (the audit
against every earlier output) takes seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.application.changes import Changes, category_labels
from bot.application.reports import Reports
from bot.config.settings import Settings
from bot.questionnaire.changes import ChangeEntry
from bot.questionnaire.i18n import Locale
from bot.questionnaire.periods import Period

if TYPE_CHECKING:
    from reporting.results_page import Page, Quarter

KEPT_SECONDS = 600.0
log = logging.getLogger(__name__)


async def public_period(reports: Reports, period: Period) -> Quarter | None:
    """The period's public figures as the results page prints them (``None``: nobody
    answered in it), asked of the one public figures service (``PublicFigures``): the public
    report's own computation, audited against every earlier public output of the
    municipality and kept in its ledger as ``results_page``."""
    from reporting.results_page import Quarter

    made = await reports.public.for_period(period, output="results_page")
    channels = made.tables.get("channels")
    total = channels.rows[-1][1] if channels is not None and channels.rows else None
    if channels is not None and not channels.withheld and total == 0:
        return None
    sentences = tuple(line.sentence for line in made.headline)
    return Quarter(period.label, period.start, period.end, made.report, sentences)


def news(entries: list[ChangeEntry], words: Locale) -> list[str]:
    """The entries no earlier news told (``Changes.to_announce``), one line each, for the
    subscribers' "you said, we did" message."""
    return [
        words.t(
            "results.news_line",
            status=words.t(f"results.status.{entry.status.value}"),
            asked=entry.asked,
            decided=entry.decided,
        )
        for entry in entries
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
    patience: float = 3.0
    """How long a citizen's request waits for figures still being prepared before it is
    told, kindly, to come back in a minute (``RESULTS_WAIT_SECONDS``)."""
    _warming: asyncio.Task[None] | None = field(default=None, repr=False)
    _kept: dict[str, tuple[float, Quarter | None]] = field(default_factory=dict, repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    _renewing: set[str] = field(default_factory=set, repr=False)

    @property
    def languages(self) -> tuple[str, ...]:
        return self.reports.settings.citizen_languages

    def ready(self) -> bool:
        """Every ended period's figures are kept, so any page is made at once."""
        ended = self.reports.public.ended_periods(self.reports.today())
        return all(period.label in self._kept for period in ended)

    def warm(self) -> asyncio.Task[None] | None:
        """Works out every ended period's figures in the background (at the server's start,
        and when a quarter has ended: the first build audits eight quarters and two years
        against every earlier public output, which takes half a minute); ``None`` when they
        are all kept already."""
        if self.ready():
            return None
        if self._warming is None or self._warming.done():
            self._warming = asyncio.create_task(self._warm_all())
            self._warming.add_done_callback(_said_if_failed)
        return self._warming

    async def prepared(self) -> bool:
        """Whether the figures are ready, having waited for them at most ``patience``."""
        warming = self.warm()
        if warming is not None:
            await asyncio.wait({warming}, timeout=self.patience)
        return self.ready()

    async def preparing(self, language: str | None) -> str:
        """The short page that asks a citizen to come back in a minute."""
        from reporting.results_page import preparing_html

        return preparing_html(await self._page([], None, language, entries=False))

    async def stop(self) -> None:
        """Ends a warm-up in hand (the server is stopping)."""
        if self._warming is not None and not self._warming.done():
            self._warming.cancel()
            await asyncio.wait({self._warming})

    async def _warm_all(self) -> None:
        await self.quarters()

    async def page(self, label: str | None, language: str | None) -> str | None:
        """The page of quarter ``label`` (the last ended one with answers when ``None``);
        ``None`` when ``label`` is not an ended quarter with answers."""
        from reporting.results_page import results_html

        quarters = await self.quarters()
        shown = next((q for q in quarters if q.is_quarter), None) if label is None else None
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
        """The ended quarters and years people answered in, newest first (the last eight
        quarters and two years: ``PublicFigures.ended_periods``)."""
        found = []
        for period in self.reports.public.ended_periods(self.reports.today()):
            made = await self._figures(period)
            if made is not None:
                found.append(made)
        return found

    async def _figures(self, period: Period) -> Quarter | None:
        """What is kept, at once; figures older than ``KEPT_SECONDS`` are worked out again
        in the background meanwhile (a citizen never waits for the audit but the first)."""
        kept = self._kept.get(period.label)
        if kept is None:
            return await self._work_out(period)
        if self.clock() - kept[0] >= KEPT_SECONDS and period.label not in self._renewing:
            self._renewing.add(period.label)
            task = asyncio.create_task(self._work_out(period))
            task.add_done_callback(lambda _: self._renewing.discard(period.label))
        return kept[1]

    async def _work_out(self, period: Period) -> Quarter | None:
        async with self._lock:  # one computation at a time: a crowd waits for the first
            kept = self._kept.get(period.label)
            if kept is not None and self.clock() - kept[0] < KEPT_SECONDS:
                return kept[1]
            made = await public_period(self.reports, period)
            self._kept[period.label] = (self.clock(), made)
            return made

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


def _said_if_failed(task: asyncio.Task[None]) -> None:
    """A failed warm-up is said once in the log; the next request tries again."""
    if not task.cancelled() and task.exception() is not None:
        log.error("the results pages could not be prepared", exc_info=task.exception())
