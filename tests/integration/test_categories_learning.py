"""Analysts' corrections are stored, learned for similar comments in any period, and counted
in the report; unsure comments are flagged in the register, the digest and the listing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document

from bot.application.analyst import Analyst
from bot.entry.cli_digest import digest_for
from bot.questionnaire.content import load_content
from bot.questionnaire.periods import parse_period
from reporting.build import ReportRequest, produce
from reporting.digest import parse_week
from storage import Database, open_database

CARD_TROUBLE = [  # trouble getting the money out: the analyst calls it a procedure
    "ბანკომატი სოფელში არ გვაქვს, ფულს ვერ ვიღებთ",
    "ბარათით ვერ ვსარგებლობ, ნაღდად მოგვეცით",
    "ფოსტაში რომ მოდიოდეს ფული და არა ბარათზე",
    "ბანკში წასვლა გვიჭირს, ბარათი დაიბლოკა",
    "ბარათის პინკოდი დამავიწყდა და ბანკში მატარეს",
]
NEW_ONE = "bankomati ar mushaobs"


@pytest.fixture
async def database(tmp_path: Path) -> Database:
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'learn.db'}")
    yield database
    await database.close()


async def add(database: Database, texts: list[str], day: date) -> None:
    async with database.transaction() as tx:
        for text in texts:
            await tx.responses.add("social_services_v1", "telegram", {"suggestions": text}, day)
        await tx.commit()


async def test_corrections_from_an_earlier_quarter_sort_a_new_comment_of_that_kind(database):
    content = load_content("ka")
    analyst = Analyst(database, content.questionnaire)
    await add(database, CARD_TROUBLE, date(2025, 5, 10))
    await add(database, [NEW_ONE, "პენსია გაზარდეთ"], date(2025, 8, 10))
    earlier = await analyst.comments(parse_period("2025-03-01 2025-05-31"))
    for comment in earlier:
        assert comment.categories == ("other",)
        await analyst.correct(comment.id, "documents_process")
    now = {c.text: c for c in await analyst.comments(parse_period("2025Q1"))}
    assert now[NEW_ONE].categories == ("documents_process",)
    assert not now[NEW_ONE].corrected
    assert now["პენსია გაზარდეთ"].categories == ("pension_increase",)


async def test_the_report_says_how_many_categories_were_set_by_hand(database, tmp_path):
    content = load_content("ka")
    analyst = Analyst(database, content.questionnaire)
    await add(database, ["გზა გაგვიკეთეთ", "თანხა გაზარდეთ", "მადლობა"], date(2025, 7, 1))
    road = next(c for c in await analyst.comments(parse_period("2025Q1")) if "გზა" in c.text)
    await analyst.correct(road.id, "information")
    request = ReportRequest(parse_period("2025Q1"), formats=("docx",))
    [path] = await produce(
        database, content.questionnaire, content.locale, "მუნიციპალიტეტი", request, tmp_path
    )
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "1 კომენტარის კატეგორია ანალიტიკოსმა ხელით დააზუსტა" in text


async def test_unsure_comments_are_flagged_and_come_first_until_an_analyst_corrects_them(
    database,
):
    content = load_content("ka")
    analyst = Analyst(database, content.questionnaire)
    unsure = "მადლობა, მაგრამ ვერ ვიტყვი რომ ყველაფერი კარგად იყო"  # thanks and a complaint
    await add(database, ["დახმარების თანხა გაზარდეთ", unsure], date(2025, 9, 2))
    week = parse_week("2025-W36")
    [digest] = await digest_for(content, database, week)
    assert "❓ <b>1</b> კომენტარის კატეგორიაში სისტემა დარწმუნებული არ არის" in digest
    assert digest.index(f"❓ {unsure}") < digest.index("დახმარების თანხა გაზარდეთ")
    listed = await analyst.comments(week)
    assert [c.needs_look for c in listed if c.text == unsure] == [True]
    await analyst.correct(next(c.id for c in listed if c.text == unsure), "other")
    [digest] = await digest_for(content, database, week)
    assert "❓" not in digest
