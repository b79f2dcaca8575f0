"""One report service: the command line, the scheduled jobs, the analysts' chat commands (and
later the staff console) ask it, and it alone builds the pipeline.

Before, ``feedback-bot report`` and the running bot each chose the form, emptied the ballot
box and wired ``reporting.build`` themselves; a change to one was easily missed in the other.
Here a report is asked for by what a person chooses (period, form, public or internal,
formats) and the municipality's settings supply the rest. Reporting libraries are imported
only when a report is made, never by ``run``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.application.chosen_form import ChosenForm, chosen_form
from bot.application.public_figures import (
    PublicFigures,
    is_fixed,
    must_be_fixed,
    must_have_ended,
)
from bot.application.refusal import Refusal
from bot.application.report_notes import period_notes
from bot.config.settings import Settings
from bot.questionnaire.content import Content
from bot.questionnaire.periods import Period
from storage import Database

if TYPE_CHECKING:
    from bot.application.municipalities import Municipality
    from reporting.composer import Inputs

STAFF_FORMATS = ("docx", "html", "xlsx")
"""What staff and analysts are sent: Word to print, the page, the spreadsheet."""


@dataclass(frozen=True)
class ReportOrder:
    """What a person asks for; everything else is the municipality's."""

    period: Period
    public: bool = False
    formats: Sequence[str] = STAFF_FORMATS
    form_id: str | None = None
    """A loaded form's id; ``None`` is the built-in social-services form."""
    include_test_channels: bool = False
    mix_all: bool = True
    """Mix every waiting form first (the command line, the jobs). ``False`` for a report a
    person asks for on a web page: only what the minute's upkeep would mix anyway, so no
    visitor can make one waiting form leave the box and see its answers arrive."""


@dataclass(frozen=True)
class Figures:
    """A period's data of one form, as the report reads it (for the digest and the
    subscribers' summary, which print a few of its figures)."""

    form: ChosenForm
    inputs: Inputs


@dataclass
class Reports:
    """One municipality's reports (``code``: whose responses; ``None`` the home one)."""

    database: Database
    content: Content
    settings: Settings
    code: str | None
    today: Callable[[], date]

    def check(self, order: ReportOrder) -> None:
        """Refuses what may not be made, before any work (``Refusal``)."""
        if order.public:  # its ended quarters and years only (``public_figures``)
            period = must_be_fixed(order.period, self.settings.quarters)
            must_have_ended(period, self.today(), self.settings.quarters)
        can_print(order.formats)

    async def write(self, order: ReportOrder, directory: Path) -> list[Path]:
        """The report files, each under its name only when complete."""
        from reporting.build import ReportRequest, produce, report_texts

        self.check(order)
        if order.public:  # audited against every earlier public output, and kept
            return await self.public.write(order.period, order.formats, directory, order.form_id)
        if order.mix_all:  # the report counts only mixed forms: mix them all
            await self.database.empty_box()
        else:
            await self.database.empty_box_if_due(self.today(), self.settings.ballot_box_size)
        form = await self._form(order.form_id)
        request = ReportRequest(
            order.period,
            order.public,
            order.formats,
            include_test_channels=order.include_test_channels,
            today=self.today(),
            scope=form.scope,
            form_title=form.title,
            versions_note=await self._notes(form.note(report_texts()), order.period),
            headline=self.settings.headline_counts,
        )
        return await produce(
            self.database,
            form.questionnaire,
            form.locale,
            self.settings.municipality_name,
            request,
            directory,
            self.settings.public_min_count,
            code=self.code,
        )

    @property
    def public(self) -> PublicFigures:
        """The municipality's public figures: every public output asks them."""
        return PublicFigures(self.database, self.content, self.settings, self.code, self.today)

    async def figures(
        self, period: Period, form_id: str | None = None, include_test_channels: bool = False
    ) -> Figures:
        """The loaded data the report would read, without writing a file."""
        return await form_figures(
            self.database,
            self.content,
            self.settings.language,
            self.code,
            period,
            form_id,
            include_test_channels,
        )

    async def national(
        self,
        everywhere: Sequence[Municipality],
        period: Period,
        directory: Path,
        formats: Sequence[str] = STAFF_FORMATS,
    ) -> list[Path]:
        """Every municipality side by side (``reporting.national``), for the association:
        each one's built-in form only, each row read from that municipality's own audited
        public output of the period (kept in its ledger as ``national``)."""
        from reporting.national import write_public_national

        can_print(formats)
        compared = [m for m in everywhere if is_fixed(period, m.settings.quarters)]
        if not compared:
            example = self.settings.quarters.containing(period.start).label
            raise Refusal("national_quarter_only", example=example)
        must_have_ended(period, self.today(), self.settings.quarters)  # before any work
        rows = []
        for m in compared:
            figures = PublicFigures(self.database, self.content, m.settings, m.code, self.today)
            made = await figures.for_period(period, "national")
            rows.append((m.name, m.settings.public_min_count, made.tables))
        left_out = [m.name for m in everywhere if m not in compared]
        return await write_public_national(
            rows, self.content.questionnaire, period, formats, directory, left_out
        )

    async def _notes(self, versions: str | None, period: Period) -> str | None:
        return await period_notes(
            self.database, self.code, self.settings.texts_kept_months, versions, period
        )

    async def _form(self, form_id: str | None) -> ChosenForm:
        return await chosen_form(
            form_id, self.content, self.database, self.settings.language, self.code
        )


def can_print(formats: Sequence[str]) -> None:
    """A PDF is drawn by WeasyPrint with Debian's Pango; when Pango is missing the clerk is
    told so in one line before any work, not with a traceback after it."""
    if "pdf" in formats:
        from reporting.pdf import available

        if not available():
            raise Refusal("pdf_unavailable")


async def form_figures(
    database: Database,
    content: Content,
    language: str,
    code: str | None,
    period: Period,
    form_id: str | None = None,
    include_test_channels: bool = False,
    mix: bool = True,
) -> Figures:
    """The first half of the report's pipeline (the ballot box emptied, the form chosen, its
    responses loaded), shared with the weekly digest, which has no ``Settings`` of its own.
    ``mix=False`` (a web page's reading) leaves the box to the minute's upkeep."""
    from reporting.build import gather
    from reporting.categories import load_categoriser

    if mix:  # counts only mixed forms: mix all that wait
        await database.empty_box()
    form = await chosen_form(form_id, content, database, language, code)
    inputs = await gather(
        database,
        form.questionnaire,
        load_categoriser(),
        period,
        include_test_channels,
        municipality=code,
        scope=form.scope,
    )
    return Figures(form, inputs)
