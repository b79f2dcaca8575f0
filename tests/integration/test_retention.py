"""The retention rule: texts older than TEXTS_KEPT_MONTHS go, their categories and counts stay."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import text

from bot.application.reports import ReportOrder
from bot.application.retention import apply_retention, cutoff
from bot.config.settings import Settings
from bot.questionnaire.periods import Period
from bot.wiring.bootstrap import build_runtime
from reporting import metrics
from reporting.categories import load_categoriser
from storage.retention import DELETED
from tests.support import seed_000

pytestmark = pytest.mark.both_databases

NOW = datetime(2027, 10, 15, 9, tzinfo=UTC)
"""24 months back: texts sent before 1 October 2025 go; seed 000 (June-August 2025) is older."""
NEWER = Period(date(2025, 11, 1), date(2025, 11, 30))
KEPT_TEXT = "ავტობუსი დილით არ დადის, გთხოვთ დანიშნოთ"


@pytest.fixture
async def runtime(database_url: str):
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        feedback_secret=secrets.token_hex(32),
        web_enabled=False,
        texts_kept_months=24,
    )
    runtime = await build_runtime(settings, clock=lambda: NOW)
    database = runtime.database
    async with database.transaction() as tx:
        for answers, day in zip(seed_000.answers(), seed_000.days(), strict=False):
            await tx.responses.add("social_services_v1", "paper", answers, day)
        for day in (date(2025, 11, 3), date(2025, 11, 17)):
            newer = {**seed_000.answers()[0], "suggestions": KEPT_TEXT}
            await tx.responses.add("social_services_v1", "paper", newer, day)
        await tx.commit()
    async with database.analysis() as analysis:
        [first, *_] = [
            r
            for r in await analysis.responses_between(seed_000.PERIOD.start, seed_000.PERIOD.end)
            if r.answers.get("suggestions")
        ]
        await analysis.review(first.id, categories=["satisfied"], publishable=True)
        await analysis.commit()
    yield runtime
    await runtime.close()


async def figures_of(runtime, period: Period) -> dict[str, object]:
    frame = (await runtime.reports.figures(period)).inputs.frame
    labels = list(load_categoriser().labels)
    found = metrics.suggestions(frame, labels, "suggestions", "categories")
    return {
        "responses": len(frame),
        "wrote": found.filled,
        "categories": found.by_category,
        "satisfaction": frame["satisfaction"].value_counts().to_dict(),
        "months": frame["submitted_on"].dt.month.value_counts().to_dict(),
    }


async def transactions_of_old_rows(runtime) -> int:
    """PostgreSQL: how many transactions wrote the rows now dated before the cutoff."""
    query = text(
        "SELECT count(DISTINCT xmin::text) FROM responses WHERE submitted_on < '2025-10-01'"
    )
    async with runtime.database.engine.connect() as connection:
        return (await connection.execute(query)).scalar_one()


async def stored(runtime) -> list:
    async with runtime.database.analysis() as analysis:
        return await analysis.responses_between(date(2000, 1, 1), date(2030, 1, 1))


async def test_texts_past_the_rule_are_deleted_and_their_counts_and_categories_remain(runtime):
    assert cutoff(NOW.date(), 24) == date(2025, 10, 1)
    before = await figures_of(runtime, seed_000.PERIOD)
    newer_before = {
        (r.submitted_on, r.answers["suggestions"])
        for r in await stored(runtime)
        if r.submitted_on >= date(2025, 10, 1)
    }

    forgotten = await apply_retention(runtime.reports, NOW)

    assert forgotten is not None and forgotten.texts == 30 and forgotten.before == date(2025, 10, 1)
    assert await apply_retention(runtime.reports, NOW) is None, "once a month, not every day"
    rows = await stored(runtime)
    old = [r for r in rows if r.submitted_on < date(2025, 10, 1)]
    assert len(old) == 96 and all(r.submitted_on.day == 1 for r in old)
    assert {r.answers.get("suggestions") for r in old} == {None, DELETED}
    assert sum(r.answers.get("suggestions") == DELETED for r in old) == 30
    newer = {(r.submitted_on, r.answers["suggestions"]) for r in rows if r not in old}
    assert (
        newer == newer_before == {(date(2025, 11, 3), KEPT_TEXT), (date(2025, 11, 17), KEPT_TEXT)}
    )
    assert await figures_of(runtime, seed_000.PERIOD) == before
    if runtime.database.engine.dialect.name == "postgresql":
        assert await transactions_of_old_rows(runtime) == 1, "rewritten together, not updated"
    async with runtime.database.analysis() as analysis:
        reviews = await analysis.reviews()
    assert len(reviews) == 30 and not any(review.publishable for review in reviews.values())


async def test_an_answer_named_like_a_text_question_in_another_form_is_kept(runtime, tmp_path):
    """``suggestions`` is free text in the built-in form; in a form staff loaded it is a
    choice, and its stored option code must never be overwritten as a text."""
    from tests.support.xlsforms import load_form, settings, write_xlsform

    path = write_xlsform(
        tmp_path / "choice.xlsx",
        (("type", "name", "label::ka"), ("select_one yes_no", "suggestions", "კმაყოფილი ხართ?")),
        (("list_name", "name", "label::ka"), ("yes_no", "yes", "დიახ"), ("yes_no", "no", "არა")),
        settings("choice_form", "1", "არჩევანი"),
    )
    version = await load_form(runtime, path)
    async with runtime.database.transaction() as tx:
        await tx.responses.add(version, "paper", {"suggestions": "yes"}, date(2025, 7, 9))
        await tx.commit()
    await apply_retention(runtime.reports, NOW)
    [other] = [r for r in await stored(runtime) if r.questionnaire_version == version]
    assert other.answers == {"suggestions": "yes"}
    assert other.submitted_on == date(2025, 7, 1)  # its month's first day, as every old one


async def test_the_import_marks_of_rows_whose_texts_went_are_deleted_with_them(runtime):
    """A mark is a hash of the whole stored row, its text included: it goes with the text."""
    answers = {**seed_000.answers()[0], "suggestions": "ჩემი მეზობელი ნინო ამბობს…"}
    async with runtime.database.analysis() as analysis:
        await analysis.add_imported_many(
            [
                ("old-mark", "social_services_v1", "paper", answers, date(2025, 7, 14)),
                ("new-mark", "social_services_v1", "paper", answers, date(2025, 11, 5)),
            ]
        )
        await analysis.commit()
    await apply_retention(runtime.reports, NOW)
    async with runtime.database.analysis() as analysis:
        assert await analysis.imported(["old-mark", "new-mark"]) == {"new-mark"}


async def test_the_old_quarters_report_still_prints_and_says_its_texts_were_deleted(
    runtime, tmp_path: Path
):
    await apply_retention(runtime.reports, NOW)
    written = await runtime.reports.write(ReportOrder(seed_000.PERIOD, formats=("docx",)), tmp_path)
    [docx] = [path for path in written if path.suffix == ".docx"]
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "შენახვის წესით (24 თვე)" in text and "01.10.2025-მდე" in text
    for suggestion in seed_000.INCREASE + seed_000.SATISFIED:
        assert suggestion not in text
    newer = await runtime.reports.write(ReportOrder(NEWER, formats=("docx",)), tmp_path / "n")
    [docx] = [path for path in newer if path.suffix == ".docx"]
    assert "შენახვის წესით" not in "\n".join(p.text for p in Document(str(docx)).paragraphs)
