"""Publishing one free text publishes exactly that text: a person's suggestion and the extra
need they described are reviewed, and reach the public report, each on its own."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.application.analyst import Analyst
from bot.questionnaire.content import load_content
from bot.questionnaire.periods import parse_period
from reporting.build import ReportRequest, produce
from storage import open_database
from tests.support import seed_000

SUGGESTION = "დოკუმენტების სია ვებგვერდზე განათავსეთ"
NEED = "ბავშვის ეტლი გვჭირდებოდა"


async def public_page(database, tmp_path: Path, name: str, public: bool = True) -> str:
    content = load_content("ka")
    request = ReportRequest(parse_period("2025Q1"), public=public, formats=("html",))
    [page] = await produce(
        database, content.questionnaire, content.locale, "ამბროლაური", request, tmp_path / name
    )
    return page.read_text("utf-8")


async def test_publishing_a_suggestion_or_an_extra_need_publishes_only_that_text(tmp_path):
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'texts.db'}")
    try:
        answers = {
            **seed_000.answers()[1],
            "extra_needs": "yes",
            "extra_needs_text": NEED,
            "suggestions": SUGGESTION,
        }
        async with database.transaction() as tx:
            await tx.responses.add("social_services_v1", "paper", answers, date(2025, 7, 1))
            await tx.commit()
        async with database.analysis() as analysis:
            [response] = await analysis.responses_between(date(2025, 7, 1), date(2025, 7, 1))
        short = response.id[:8]
        analyst = Analyst(database, load_content("ka").questionnaire)

        await analyst.publish(short, True)
        page = await public_page(database, tmp_path, "suggestion")
        assert SUGGESTION in page and NEED not in page

        await analyst.publish(short, False)
        await analyst.publish(f"{short}/extra_needs_text", True)
        page = await public_page(database, tmp_path, "need")
        assert NEED in page and SUGGESTION not in page

        await analyst.publish(f"#{short}/needs", False)  # the role's word names it too
        page = await public_page(database, tmp_path, "neither")
        assert NEED not in page and SUGGESTION not in page
        internal = await public_page(database, tmp_path, "internal", public=False)
        assert f"{short}/extra_needs_text" in internal  # the need's id in its register
    finally:
        await database.close()
