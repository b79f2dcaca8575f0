"""The seed quarter's described extra needs (question 9ა) sorted into their own categories:
firewood, medicines, repairs, ... in the report's table, its register and the public version."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.questionnaire.content import load_content
from reporting.build import ReportRequest, produce
from reporting.categories import load_categoriser
from storage import Database, open_database
from tests.support import seed_000

MUNICIPALITY = "ამბროლაურის მუნიციპალიტეტი"
TABLE = "აღწერილი საჭიროებები კატეგორიების მიხედვით"


@pytest.fixture
async def seeded(tmp_path: Path, database_url: str) -> Database:
    database = await open_database(database_url)
    async with database.transaction() as tx:
        for answers, day in zip(seed_000.answers_with_needs(), seed_000.days(), strict=False):
            await tx.responses.add("social_services_v1", "paper", answers, day)
        await tx.commit()
    yield database
    await database.close()


async def report(database: Database, out: Path, public: bool = False) -> dict[str, Path]:
    content = load_content("ka")
    request = ReportRequest(seed_000.PERIOD, public=public)
    paths = await produce(
        database, content.questionnaire, content.locale, MUNICIPALITY, request, out
    )
    return {path.suffix: path for path in paths}


def needs_table(path: Path) -> dict[str, str]:
    document = Document(str(path))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    tables = dict(zip(captions, document.tables, strict=True))
    return {row.cells[0].text: row.cells[1].text for row in tables[TABLE].rows[1:]}


def expected() -> dict[str, int]:
    labels = load_categoriser().of_needs().labels
    counts: dict[str, int] = {}
    for codes in seed_000.NEEDS.values():
        for code in codes:
            counts[labels[code]] = counts.get(labels[code], 0) + 1
    return counts


@pytest.mark.both_databases
async def test_the_seed_quarters_extra_needs_are_sorted_by_what_they_ask_for(seeded, tmp_path):
    files = await report(seeded, tmp_path)
    table = needs_table(files[".docx"])
    assert {name: int(n) for name, n in table.items()} == expected()
    assert list(table)[:2] == ["წამლები, მკურნალობა და მოვლა", "გათბობა და შეშა"]
    assert "ტრანსპორტი და გზა" in table and table["სხვა"] == "1"
    register = load_workbook(files[".xlsx"])["კომენტარები"]
    rows = {row[3]: row[4] for row in register.iter_rows(min_row=2, values_only=True)}
    assert rows["სახურავი ჩამოდის, შეკეთება გვჭირდება"] == "საცხოვრებელი და შეკეთება"
    assert rows["შეშა და წამლები"] == "გათბობა და შეშა; წამლები, მკურნალობა და მოვლა"


async def test_a_category_nobodys_need_fell_in_is_not_listed(tmp_path, database_url):
    database = await open_database(database_url)
    async with database.transaction() as tx:
        answers = seed_000.answers()[0] | {"extra_needs": "yes"}
        await tx.responses.add(
            "social_services_v1",
            "paper",
            answers | {"extra_needs_text": "შეშა არ გვყოფნის"},
            seed_000.PERIOD.start,
        )
        await tx.commit()
    try:
        table = needs_table((await report(database, tmp_path))[".docx"])
    finally:
        await database.close()
    assert table == {"გათბობა და შეშა": "1"}


async def test_the_public_report_counts_the_needs_by_category_with_small_counts_hidden(
    seeded, tmp_path
):
    files = await report(seeded, tmp_path, public=True)
    table = needs_table(files[".docx"])
    assert table.pop("წამლები, მკურნალობა და მოვლა") == "3"
    assert set(table.values()) == {"<3"}, "the categories of one or two needs: hidden"
    assert "შეშა და წამლები" not in files[".html"].read_text(encoding="utf-8")


async def test_the_weekly_digest_counts_the_weeks_needs_by_category(tmp_path, database_url):
    from bot.application.digests import digest_for, plain_text
    from reporting.digest import parse_week

    week = parse_week("2025-W29")
    needs = ["შეშა არ გვყოფნის", "შეშა ძვირია", "წამლები გვჭირდება"]
    database = await open_database(database_url)
    async with database.transaction() as tx:
        base = seed_000.answers()[0] | {"extra_needs": "yes"}
        for text in needs:
            answers = base | {"extra_needs_text": text}
            await tx.responses.add("social_services_v1", "paper", answers, week.start)
        await tx.commit()
    try:
        messages = await digest_for(load_content("ka"), database, week)
    finally:
        await database.close()
    text = plain_text("\n".join(messages))
    assert "აღწერილი დამატებითი საჭიროებები (3)" in text
    assert "კატეგორიების მიხედვით: გათბობა და შეშა — 2, წამლები, მკურნალობა და მოვლა — 1" in text
    assert "წამლები გვჭირდება\n  წამლები, მკურნალობა და მოვლა" in text
    assert "საკვები" not in text, "a category nobody's need fell in is not listed"


async def test_public_hidden_counts_keep_the_labels_order_not_the_most_frequent_first(
    tmp_path, database_url
):
    """Two needs about money and one about firewood: most frequent first would put the
    hidden 2 above the hidden 1."""
    database = await open_database(database_url)
    async with database.transaction() as tx:
        answers = seed_000.answers()[0] | {"extra_needs": "yes"}
        for text in ("ვალები მაქვს", "ფული არ მყოფნის", "შეშა მჭირდება"):
            need = answers | {"extra_needs_text": text}
            await tx.responses.add("social_services_v1", "paper", need, seed_000.PERIOD.start)
        await tx.commit()
    try:
        internal = needs_table((await report(database, tmp_path / "i"))[".docx"])
        public = needs_table((await report(database, tmp_path / "p", public=True))[".docx"])
    finally:
        await database.close()
    assert internal == {"ფული": "2", "გათბობა და შეშა": "1"}
    assert list(public.items()) == [("გათბობა და შეშა", "<3"), ("ფული", "<3")]
