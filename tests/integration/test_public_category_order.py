"""The order of a public table of suggestions' categories, read as an attacker would (issue
28): sorted by true counts, two hidden rows printed "<3" would tell a 2 from a 1."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from storage import open_database
from tests.integration.test_report_needs import report
from tests.support import seed_000

TABLE = "შეთავაზებები კატეგორიების მიხედვით"


def categories(path: Path) -> list[tuple[str, str]]:
    document = Document(str(path))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    tables = dict(zip(captions, document.tables, strict=True))
    return [(row.cells[0].text, row.cells[1].text) for row in tables[TABLE].rows[1:]]


async def tables_of(texts: list[str], out: Path, database_url: str) -> tuple[list, list]:
    database = await open_database(database_url)
    try:
        day = seed_000.PERIOD.start
        async with database.transaction() as tx:
            rows = seed_000.answers()
            for n, row in enumerate(rows[:20]):
                answers = {**row, "suggestions": texts[n] if n < len(texts) else None}
                await tx.responses.add("social_services_v1", "paper", answers, day)
            await tx.commit()
        internal = categories((await report(database, out / "i"))[".docx"])
        public = categories((await report(database, out / "p", public=True))[".docx"])
    finally:
        await database.close()
    return internal, public


async def test_two_hidden_suggestion_counts_print_the_same_whichever_is_the_larger(tmp_path):
    more_money = [*seed_000.INCREASE[:2], seed_000.DATA_REQUEST[0]]
    more_papers = [seed_000.INCREASE[0], *seed_000.DATA_REQUEST[:2]]
    one = await tables_of(more_money, tmp_path / "a", f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    two = await tables_of(more_papers, tmp_path / "b", f"sqlite+aiosqlite:///{tmp_path / 'b.db'}")
    assert one[0][:2] != two[0][:2], "inside, the most frequent comes first"
    assert one[1] == two[1], "in public, the order gives away which hidden count is 2"
    assert [count for _label, count in one[1] if count != "0"] == ["<3", "<3"]
