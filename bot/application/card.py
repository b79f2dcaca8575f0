"""The post for the municipality's Facebook page after a quarter: a 1200×630 picture and its
text in Georgian (``feedback-bot publish-card``; the staff console's download is to ask it
too).

Seed 001's cycle ends with "inform": the municipality tells residents what it heard. The
card says it where most of them read, with figures taken only from the quarter's public
figures (never a hidden cell) and a link to the results page, where the rest is. Drawing
is reporting's (``reporting.card``: figures -> image bytes); this service picks the
quarter, asks for its public figures and names the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.application.refusal import Refusal
from bot.application.reports import Reports
from bot.common import atomic
from bot.questionnaire.periods import Period

if TYPE_CHECKING:
    from reporting.card import Printed


@dataclass(frozen=True)
class Post:
    """What the municipality posts: the picture and the words that go with it."""

    period: Period
    png: bytes
    text: str


@dataclass
class Cards:
    """One municipality's posts; ``results`` is its public results page's address
    (``None`` where the web pages are not served: the post then names no link)."""

    reports: Reports
    results: str | None

    def ended_quarter(self, period: Period) -> Period:
        """``period`` as the municipality's ended quarter, or one line saying why not: a
        quarter still open would print figures that change day by day."""
        quarters = self.reports.settings.quarters
        today = self.reports.today()
        example = self.example()
        quarter = quarters.containing(period.start)
        if (quarter.start, quarter.end) != (period.start, period.end):
            raise Refusal("card_quarter_only", value=period.typed, example=example)
        if not quarter.has_ended(today):
            raise Refusal(
                "card_quarter_open",
                quarter=quarter.label,
                end=quarter.end.strftime("%d.%m.%Y"),
                example=example,
            )
        return quarter

    def example(self) -> str:
        """The quarter a clerk most likely means: the last one that has ended."""
        return self.reports.settings.quarters.last_complete(self.reports.today()).label

    async def post(self, period: Period) -> Post:
        """The quarter's card and text (``Refusal`` for a period that is not an ended
        quarter of the municipality)."""
        import asyncio

        from reporting.build import report_texts
        from reporting.card import answered, card_content, card_png, post_text

        quarter = self.ended_quarter(period)
        printed = await published(self.reports, quarter)
        name = self.reports.settings.municipality_name
        content = card_content(report_texts(), name, quarter, printed, self.results)
        if not (content.figures and answered(printed)):  # nothing printed to announce
            raise Refusal("card_too_few", quarter=quarter.label)
        png = await asyncio.to_thread(card_png, content)
        return Post(quarter, png, post_text(report_texts(), content))

    async def write(self, period: Period, directory: Path) -> list[Path]:
        """``card_<quarter>.png`` and ``card_<quarter>.txt``, each whole or not at all."""
        post = await self.post(period)
        directory.mkdir(parents=True, exist_ok=True)
        picture = directory / f"card_{post.period.label}.png"
        words = directory / f"card_{post.period.label}.txt"
        atomic.write_bytes(picture, post.png)
        atomic.write_text(words, post.text)
        return [picture, words]


async def published(reports: Reports, quarter: Period) -> Printed:
    """The quarter's public figures, audited against every earlier public output and kept
    in the ledger as the card (``bot.application.public_figures``): the card prints nothing
    another output could be subtracted from to give back a hidden cell."""
    from bot.application.public_figures import PublicFigures
    from reporting.card import Printed

    figures = PublicFigures(
        reports.database, reports.content, reports.settings, reports.code, reports.today
    )
    output = await figures.for_quarter(quarter, output="card")
    satisfaction = reports.content.questionnaire.role_id("satisfaction") or "satisfaction"
    pairs = tuple((h.key, h.value) for h in output.headline)
    return Printed(output.tables, pairs, satisfaction)
