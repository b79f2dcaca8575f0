"""Public figures: the one way any public output (report, results page, national view, card,
feed) gets its figures, audited against everything published before.

Three rules keep hidden cells hidden (issue 28). Public figures exist only for periods that
have ended: a quarter still running, printed on two days, gives away the forms sent between.
They exist only for the municipality's fixed periods, its quarters and years, never for
dates a person types:
"1 June – 30 September" minus "September" gave back June–August cell by cell. And every
public output is kept in the ledger (``storage.ledger``) and audited against the union of
all earlier ones (``reporting.ledger_audit``): a year minus three of its quarters, or a
quarter printed before and after a late paper form, must recover nothing; what would be
recovered is hidden in the new output. Internal reports of any period stay allowed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.application.chosen_form import ChosenForm, chosen_form
from bot.application.refusal import Refusal
from bot.application.report_notes import period_notes
from bot.config.settings import Settings
from bot.questionnaire.content import Content
from bot.questionnaire.model import SATISFACTION
from bot.questionnaire.periods import Period, Quarters
from storage import Database

if TYPE_CHECKING:
    from reporting.composer import Composer, Inputs
    from reporting.document import Report, Table
    from reporting.headline import Headline
    from reporting.ledger_audit import Publication
    from storage.ledger import Entry

OUTPUTS = ("report", "results_page", "national", "card", "feed")


def is_a_quarter(period: Period, quarters: Quarters) -> bool:
    quarter = quarters.containing(period.start)
    return (quarter.start, quarter.end) == (period.start, period.end)


def is_a_year(period: Period, quarters: Quarters) -> bool:
    year = quarters.year_containing(period.start)
    return (year.start, year.end) == (period.start, period.end)


def is_fixed(period: Period, quarters: Quarters) -> bool:
    return is_a_quarter(period, quarters) or is_a_year(period, quarters)


def must_be_fixed(period: Period, quarters: Quarters, whose: str | None = None) -> Period:
    """``period`` named as the quarter or year it is; any other period is refused: it
    overlaps a published one, and subtracting gives back the cells each hides."""
    if is_a_quarter(period, quarters):
        return quarters.containing(period.start)
    if is_a_year(period, quarters):
        return quarters.year_containing(period.start)
    example = quarters.containing(period.start).label
    year = quarters.year_containing(period.start).label
    if whose is None:
        raise Refusal("public_quarter_only", example=example, year=year)
    raise Refusal("public_quarter_only_of", municipality=whose, example=example, year=year)


def must_have_ended(period: Period, today: date, quarters: Quarters) -> None:
    """Refuses a quarter or year still running: its figures would change from one day to the
    next, and two days' outputs subtracted would give back the forms sent in between."""
    if period.has_ended(today):
        return
    raise Refusal(
        "public_period_open",
        period=period.label,
        end=period.end.strftime("%d.%m.%Y"),
        example=quarters.last_complete(today).label,
    )


def quarters_of(period: Period, quarters: Quarters) -> list[Period]:
    """The quarters a fixed period adds up: itself, or the year's four."""
    if is_a_quarter(period, quarters):
        return [quarters.containing(period.start)]
    year = int(quarters.year_containing(period.start).label)
    return [quarters.quarter(year, n) for n in range(1, 5)]


@dataclass(frozen=True)
class PublicOutput:
    """One audited public output; every figure of it is taken from ``report``."""

    period: Period
    report: Report
    tables: Mapping[str, Table]
    """The printed count tables by name (ints, ``<k``, ``x``; ``withheld`` ones empty)."""
    headline: tuple[Headline, ...]


@dataclass
class PublicFigures:
    """One municipality's public figures (``code``: whose; ``None`` the home one)."""

    database: Database
    content: Content
    settings: Settings
    code: str | None
    today: Callable[[], date]

    async def for_quarter(
        self, quarter: Period, output: str = "report", form_id: str | None = None
    ) -> PublicOutput:
        quarters = self.settings.quarters
        if not is_a_quarter(quarter, quarters):
            example = quarters.containing(quarter.start).label
            year = quarters.year_containing(quarter.start).label
            raise Refusal("public_quarter_only", example=example, year=year)
        return await self.for_period(quarter, output, form_id)

    async def for_year(
        self, year: Period, output: str = "report", form_id: str | None = None
    ) -> PublicOutput:
        return await self.for_period(year, output, form_id)

    def ended_periods(self, today: date) -> list[Period]:
        """The fixed periods that have ended, newest first: the last eight quarters and
        the last two years (what a results page may show)."""
        quarters = self.settings.quarters
        found = []
        quarter = quarters.last_complete(today)
        for _ in range(8):
            found.append(quarter)
            quarter = quarter.previous()
        year = quarters.year_containing(today)
        for _ in range(2):
            year = year.previous()
            found.append(year)
        return sorted(found, key=lambda p: (p.end, p.days), reverse=True)

    async def for_period(
        self, period: Period, output: str = "report", form_id: str | None = None
    ) -> PublicOutput:
        """The audited public report of a quarter or year, kept in the ledger."""
        from reporting.build import gather, report_texts
        from reporting.categories import load_categoriser
        from reporting.compose import compose
        from reporting.headline import headline
        from storage.ledger import Ledger

        if output not in OUTPUTS:
            raise ValueError(f"not a public output: {output!r}")
        period = must_be_fixed(period, self.settings.quarters)
        must_have_ended(period, self.today(), self.settings.quarters)
        # Only what the minute's upkeep would mix anyway (the forms of ended days, which
        # are all an ended period has): a visitor must not make a form of today leave the box.
        await self.database.empty_box_if_due(self.today(), self.settings.ballot_box_size)
        form = await chosen_form(
            form_id, self.content, self.database, self.settings.language, self.code
        )
        categoriser, texts = load_categoriser(), report_texts()

        async def inputs_of(span: Period) -> Inputs:
            return await gather(
                self.database,
                form.questionnaire,
                categoriser,
                span,
                today=self.today(),
                municipality=self.code,
                scope=form.scope,
            )

        inputs = await inputs_of(period)
        quarters = quarters_of(period, self.settings.quarters)
        parts = [inputs] if len(quarters) == 1 else [await inputs_of(q) for q in quarters]
        ledger = Ledger(self.database, self.code or self.database.home)
        earlier = [publication_of(entry) for entry in await ledger.entries()]
        note = await period_notes(
            self.database,
            self.code,
            self.settings.texts_kept_months,
            form.note(texts),
            period,
        )
        made: list[Publication] = []
        composer = self._composer(form, note, categoriser, texts)
        labels = [_atom(form_id, q) for q in quarters]
        audit = _auditor(composer, earlier, output, dict(zip(labels, parts, strict=True)), made)
        composer = replace(composer, audit=audit)
        report = await asyncio.to_thread(compose, composer, inputs)
        [publication] = made
        await ledger.record(entry_of(publication, period))
        tables = _printed_tables(report)
        satisfaction = form.questionnaire.with_role(SATISFACTION)
        said = headline(tables, texts, satisfaction, inputs.frame, composer.k)
        return PublicOutput(period, report, tables, said)

    async def write(
        self, period: Period, formats: Sequence[str], directory: Path, form_id: str | None = None
    ) -> list[Path]:
        """The public report's files (``report`` in the ledger), each complete or absent."""
        from reporting import render

        made = await self.for_period(period, "report", form_id)
        stem = f"report_{made.period.label}_public"
        return await asyncio.to_thread(render.files, made.report, formats, directory, stem)

    def _composer(
        self, form: ChosenForm, note: str | None, categoriser: Any, texts: Any
    ) -> Composer:
        from reporting.composer import Composer

        return Composer(
            form.questionnaire,
            form.locale,
            texts,
            categoriser,
            self.settings.municipality_name,
            public=True,
            k=self.settings.public_min_count,
            form_title=form.title,
            versions_note=note,
            headline=self.settings.headline_counts,
        )


def _atom(form_id: str | None, quarter: Period) -> str:
    """A quarter's name in the ledger; a loaded form's responses are its own."""
    return quarter.label if form_id is None else f"{form_id}/{quarter.label}"


def _auditor(
    composer: Composer,
    earlier: list[Publication],
    output: str,
    parts: Mapping[str, Inputs],
    made: list[Publication],
) -> Callable[[Mapping[str, Table], Mapping[str, Table]], dict[str, Table]]:
    """The composer's audit: the true counts of each quarter, then ``public_tables.audit``."""
    from reporting.compose import count_tables
    from reporting.public_tables import audit, true_counts

    def run(built: Mapping[str, Table], printed: Mapping[str, Table]) -> dict[str, Table]:
        if len(parts) == 1:
            truth = {next(iter(parts)): true_counts(built)}
        else:
            truth = {q: true_counts(count_tables(composer, data)) for q, data in parts.items()}
        tables, publication = audit(earlier, output, truth, built, printed, composer.k)
        made.append(publication)
        return tables

    return run


def _printed_tables(report: Report) -> dict[str, Table]:
    from reporting.document import Table

    return {
        block.name: block
        for section in report.sections
        for block in section.blocks
        if isinstance(block, Table)
    }


def publication_of(entry: Entry) -> Publication:
    from reporting.ledger_audit import Publication

    figures = entry.figures
    return Publication(
        entry.output,
        tuple(figures["quarters"]),
        figures["printed"],
        figures["truth"],
        tuple((total, tuple(parts)) for total, parts in figures["lines"]),
        int(figures["k"]),
    )


def entry_of(publication: Publication, period: Period) -> Entry:
    from storage.ledger import Entry

    figures = {
        "quarters": list(publication.quarters),
        "printed": dict(publication.printed),
        "truth": {q: dict(cells) for q, cells in publication.truth.items()},
        "lines": [[total, list(parts)] for total, parts in publication.lines],
        "k": publication.k,
    }
    return Entry(publication.output, period.start, period.end, figures)
