"""From the database to report files: load (read-only) -> frame -> compose -> render."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Questionnaire
from bot.questionnaire.periods import Period
from reporting import render
from reporting.categories import Categoriser, load_categoriser
from reporting.compose import compose
from reporting.composer import Composer, Inputs
from reporting.frame import chunk_frame, finish_frame, without_test_channels
from reporting.roles import Roles
from storage import Database
from storage.analysis import VersionScope

FORMATS = ("docx", "html", "xlsx", "png", "pdf")
UNPRINTED = FORMATS[:-1]
"""A request's formats unless it names them: the PDF (WeasyPrint, a second or two) only when
asked for."""


@dataclass(frozen=True)
class ReportRequest:
    period: Period
    public: bool = False
    formats: Sequence[str] = UNPRINTED
    include_test_channels: bool = False
    today: date | None = None
    """The municipality's today (a period not ended yet says so); the machine's by default."""
    scope: VersionScope | None = None
    """The responses of one form (all responses when ``None``)."""
    form_title: str | None = None
    versions_note: str | None = None
    headline: str = "all"
    """``HEADLINE_COUNTS``: ``confirmed`` puts the forms begun with a desk slip first."""


def report_texts() -> Locale:
    from bot.questionnaire.content import load_locale

    return load_locale(Path(str(resources.files("locales").joinpath("report.ka.yaml"))))


async def gather(
    database: Database,
    questionnaire: Questionnaire,
    categoriser: Categoriser,
    period: Period,
    include_test_channels: bool = False,
    today: date | None = None,
    municipality: str | None = None,
    scope: VersionScope | None = None,
) -> Inputs:
    """``municipality``: whose responses (the home municipality's unless named)."""
    previous = period.previous()
    async with database.analysis(municipality) as analysis:
        reviews = await analysis.reviews()
        fields = Roles.of(questionnaire).reviewed_fields
        others = {name: await analysis.reviews(name) for name in fields}
        main = questionnaire.role_id("suggestions") or "suggestions"
        needs = questionnaire.role_id("needs")
        categoriser = categoriser.taught(await analysis.corrected_texts(main), needs)
        frames = []
        for span in (period, previous):
            shared: dict[object, object] = {}
            parts = [
                chunk_frame(chunk, questionnaire, shared)
                async for chunk in analysis.responses_in_chunks(span.start, span.end, scope=scope)
            ]
            frame = finish_frame(parts, questionnaire, categoriser, reviews, others)
            frames.append(frame if include_test_channels else without_test_channels(frame))
        form = scope.form if scope else None
        applications = await analysis.applications_within(period.start, period.end, form)
        earlier_applications = await analysis.applications_within(
            previous.start, previous.end, form
        )
        summary, changes = await analysis.notes(period.start, period.end)
    return Inputs(
        period=period,
        frame=frames[0],
        applications=applications,
        previous=frames[1],
        previous_applications=earlier_applications,
        summary=summary,
        changes=changes,
        today=today or date.today(),
    )


def write(
    composer: Composer, inputs: Inputs, formats: Sequence[str], directory: Path
) -> list[Path]:
    """The composed report in each format (``render.files``)."""
    report = compose(composer, inputs)
    stem = f"report_{inputs.period.label}" + ("_public" if composer.public else "")
    return render.files(report, formats, directory, stem)


async def produce(
    database: Database,
    questionnaire: Questionnaire,
    words: Locale,
    municipality: str,
    request: ReportRequest,
    directory: Path,
    k: int = 3,
    code: str | None = None,
) -> list[Path]:
    """Reads in the event loop, then composes and renders in a thread (CPU-bound).
    ``municipality``: its name on the report; ``code``: whose responses."""
    categoriser = load_categoriser()
    inputs = await gather(
        database,
        questionnaire,
        categoriser,
        request.period,
        request.include_test_channels,
        request.today,
        code,
        request.scope,
    )
    composer = Composer(
        questionnaire,
        words,
        report_texts(),
        categoriser,
        municipality,
        public=request.public,
        k=k,
        form_title=request.form_title,
        versions_note=request.versions_note,
        headline=request.headline,
    )
    return await asyncio.to_thread(write, composer, inputs, request.formats, directory)
