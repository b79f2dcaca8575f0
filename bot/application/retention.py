"""The retention rule: free texts kept ``TEXTS_KEPT_MONTHS`` whole months, then deleted.

The law asks that personal data be kept no longer than its purpose needs (docs/privacy.md).
A free text may name or describe its writer; its categories and the count of texts do not.
So, once a month per municipality (the cutoff moves a month at a time), every free text of
the responses sent before the cutoff is deleted, the categories the report gave it are kept
(``comment_reviews``), those responses' days become their month's first day, and their import
marks (hashes of the whole rows) go. Reports of quarters and months still print with the same
counts, percentages and category tables; their
registers show "—" for each text, nothing is publishable any more, and a note says so
(``retention_note``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.application.reports import Reports
from bot.questionnaire.periods import Period
from storage.retention import Retention, Run, months_back

EARLIEST = date(2000, 1, 1)
"""Before any response: the start of the period whose texts are looked at."""


@dataclass(frozen=True)
class Forgotten:
    before: date
    texts: int


def cutoff(today: date, months: int) -> date:
    """Texts sent before this day are deleted: the first day of the month ``months`` whole
    months before this one (24 months on 15 March 2027: 1 March 2025)."""
    return months_back(today, months)


async def apply_retention(reports: Reports, now: datetime) -> Forgotten | None:
    """Deletes the texts due under the rule, unless done already (by any process)."""
    settings, code = reports.settings, reports.code or reports.database.home
    before = cutoff(reports.today(), settings.texts_kept_months)
    retention = Retention(reports.database, code)
    if await retention.done(before) or not await retention.any_before(before):
        return None
    texts, categories = await _texts_and_categories(reports, before)
    deleted = await retention.forget(before, texts, categories, now)
    return None if deleted is None else Forgotten(before, deleted)


async def latest_run(reports: Reports) -> Run | None:
    code = reports.code or reports.database.home
    return await Retention(reports.database, code).latest()


async def _texts_and_categories(
    reports: Reports, before: date
) -> tuple[dict[str, set[str]], dict[tuple[str, str], list[str]]]:
    """The free-text questions of each questionnaire version the municipality's forms hold
    responses of (a name that is free text in one form may be a choice in another), and the
    categories its report gives each text sent before ``before`` (an analyst's correction,
    else the automatic ones), keyed by (response id, review field)."""
    from reporting.comments import written
    from reporting.frame import reviewed
    from reporting.roles import Roles

    if before <= EARLIEST:
        return {}, {}
    period = Period(EARLIEST, before - timedelta(days=1))
    texts: dict[str, set[str]] = {}
    categories: dict[tuple[str, str], list[str]] = {}
    for form_id in await _form_ids(reports):
        figures = await reports.figures(period, form_id, include_test_channels=True)
        questionnaire, frame = figures.form.questionnaire, figures.inputs.frame
        roles = Roles.of(questionnaire)
        free = {question.id for question in questionnaire.free_text()}
        if "questionnaire_version" in frame:
            for version in frame["questionnaire_version"].dropna().unique():
                texts.setdefault(str(version), set()).update(free)
        for question in questionnaire.free_text():
            field = "" if question.id == roles.suggestions else question.id
            column = reviewed("categories", field)
            if question.id not in frame or column not in frame:
                continue
            for _, row in written(frame, question.id).iterrows():
                categories[(row["response_id"], field)] = list(row[column] or ())
    return texts, categories


async def _form_ids(reports: Reports) -> list[str | None]:
    """The built-in form (``None``) and every form ever loaded, retired ones too."""
    async with reports.database.forms(reports.code) as stored:
        loaded = await stored.versions()
    return [None, *sorted({form.form_id for form in loaded})]
