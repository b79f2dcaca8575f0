"""The report reproduces seed 000's figures from raw answers, in every format."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.questionnaire.content import load_content
from reporting.build import ReportRequest, produce
from storage import Database, open_database
from tests.support import seed_000

MUNICIPALITY = "ამბროლაურის მუნიციპალიტეტი"


@pytest.fixture
async def seeded(tmp_path: Path) -> Database:
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'seed.db'}")
    period = seed_000.PERIOD
    async with database.transaction() as tx:
        for answers, day in zip(seed_000.answers(), seed_000.days(), strict=False):
            await tx.responses.add("social_services_v1", "paper", answers, day)
        await tx.commit()
    async with database.analysis() as analysis:
        for service, (applications, _women, _men) in seed_000.SERVICES.items():
            if applications:
                await analysis.set_applications(period.start, period.end, service, applications)
        for response in await analysis.responses_between(period.start, period.end):
            fixed = seed_000.CORRECTED.get(response.answers.get("suggestions"))
            if fixed:
                await analysis.review(response.id, categories=fixed)
        await analysis.commit()
    yield database
    await database.close()


async def make(database: Database, out: Path, public: bool = False) -> dict[str, Path]:
    content = load_content("ka")
    request = ReportRequest(seed_000.PERIOD, public=public)
    paths = await produce(
        database, content.questionnaire, content.locale, MUNICIPALITY, request, out
    )
    return {path.suffix: path for path in paths if path.suffix != ".png"} | {
        "png": [p for p in paths if p.suffix == ".png"]
    }


def docx_tables(path: Path) -> dict[str, list[list[str]]]:
    """Tables keyed by the caption paragraph written just before each."""
    document = Document(str(path))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    return {
        caption: [[cell.text for cell in row.cells] for row in table.rows]
        for caption, table in zip(captions, document.tables, strict=True)
    }


async def test_word_report_has_the_seeds_totals_rate_and_service_rows(seeded, tmp_path):
    files = await make(seeded, tmp_path)
    text = "\n".join(p.text for p in Document(str(files[".docx"])).paragraphs)
    assert "244" in text and "96" in text and "39%" in text
    assert "01.06.2025 – 31.08.2025" in text and MUNICIPALITY in text
    services = docx_tables(files[".docx"])["სერვისით მოსარგებლეები და შემოსული უკუკავშირი"]
    rows = {row[0]: row[1:] for row in services[1:]}
    assert rows["სულ"] == ["244", "96", "39%", "57", "39", "0"]
    winter = next(v for k, v in rows.items() if "ზამთრის თბობისათვის" in k)
    assert winter == ["185", "79", "43%", "50", "29", "0"]
    veterans = next(v for k, v in rows.items() if "ვეტერანთა" in k)
    assert veterans == ["25", "5", "20%", "0", "5", "0"]
    assert "3 უკუკავშირში ზუსტად არ არის მითითებული" in text


async def test_suggestion_categories_match_the_seed_without_any_correction(seeded, tmp_path):
    files = await make(seeded, tmp_path)
    text = "\n".join(p.text for p in Document(str(files[".docx"])).paragraphs)
    assert "ველი შეავსო 30 მომხმარებელმა 96-დან" in text
    assert "0 კომენტარის კატეგორია ანალიტიკოსმა ხელით დააზუსტა" in text
    workbook = load_workbook(files[".xlsx"])
    categories = workbook["შეთავაზებები — კატეგორიები"]
    counts = {row[0]: row[1] for row in categories.iter_rows(min_row=2, values_only=True)}
    assert list(counts.values()) == sorted(counts.values(), reverse=True)  # most frequent first
    labels = {
        "increase_amount": "დახმარების თანხის გაზრდა",
        "satisfied": "კმაყოფილება, შენიშვნის გარეშე",
        "data_request": "მონაცემთა ბაზიდან ამონაწერის გამოთხოვა მერიის მიერ",
        "pension_increase": "პენსიის გაზრდა",
        "disability_attention": "მეტი ყურადღება შშმ პირების მიმართ",
    }
    assert {code: counts[label] for code, label in labels.items()} == seed_000.EXPECTED_CATEGORIES
    assert counts["სხვა"] == 0
    register = list(workbook["კომენტარები"].iter_rows(min_row=2, values_only=True))
    assert len(register) == 30
    wheelchair = [row for row in register if row[3] == seed_000.DISABILITY[-1]]
    assert wheelchair[0][4] == "მეტი ყურადღება შშმ პირების მიმართ" and wheelchair[0][5] == ""


async def test_spreadsheet_has_a_sheet_per_table_and_the_raw_answers(seeded, tmp_path):
    files = await make(seeded, tmp_path)
    workbook = load_workbook(files[".xlsx"])
    sheets = {"სერვისები", "არხები", "კმაყოფილება", "კომენტარები", "პასუხები"}
    assert sheets | {"შეთავაზებები — კატეგორიები"} <= set(workbook.sheetnames)
    raw = list(workbook["პასუხები"].iter_rows(values_only=True))
    assert len(raw) == 98 and raw[1][2] == "channel" and raw[0][2] == "არხი (კოდი)"
    services = list(workbook["სერვისები"].iter_rows(values_only=True))
    assert services[-1][1:3] == (244, 96) and services[-1][4:] == (57, 39, 0)
    assert services[-1][3] == pytest.approx(96 / 244)
    channels = dict(workbook["არხები"].iter_rows(min_row=2, values_only=True))
    assert channels["ქაღალდის ფორმა"] == 96 and channels["Telegram"] == 0


async def test_html_report_carries_the_figures_and_embedded_charts(seeded, tmp_path):
    files = await make(seeded, tmp_path)
    page = files[".html"].read_text(encoding="utf-8")
    assert "39%" in page and ">244<" in page and ">96<" in page
    assert page.count("data:image/png;base64,") == 7
    assert len(files["png"]) == 7


async def test_public_version_hides_small_cells_and_comment_texts(seeded, tmp_path):
    files = await make(seeded, tmp_path, public=True)
    page = files[".html"].read_text(encoding="utf-8")
    assert "&lt;3" in page
    assert seed_000.INCREASE[0] not in page
    workbook = load_workbook(files[".xlsx"])
    assert "პასუხები" not in workbook.sheetnames and "კომენტარები" not in workbook.sheetnames
    services = list(workbook["სერვისები"].iter_rows(values_only=True))
    newborn = next(row for row in services if "ახალშობილთა" in str(row[0]))
    assert newborn[4:6] == ("<3", "<3")
    for row in services[1:]:
        for value in row[1:]:
            assert not (isinstance(value, int) and 0 < value < 3)


async def test_comparison_with_the_previous_quarter_and_placeholders(tmp_path):
    """The municipality's quarters: 2025Q1 is June–August, the one before March–May."""
    from datetime import date

    from bot.questionnaire.periods import parse_period

    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    base = seed_000.answers()[0]
    async with database.transaction() as tx:
        for n in range(4):
            await tx.responses.add(
                "v", "telegram", {**base, "satisfaction": "2"}, date(2025, 5, n + 1)
            )
        for n in range(6):
            await tx.responses.add(
                "v", "telegram", {**base, "satisfaction": "5"}, date(2025, 8, n + 1)
            )
        await tx.commit()
    async with database.analysis() as analysis:
        await analysis.set_applications(date(2025, 3, 1), date(2025, 5, 31), "newborn", 16)
        await analysis.set_applications(date(2025, 6, 1), date(2025, 8, 31), "newborn", 12)
        await analysis.commit()
    content = load_content("ka")
    q1 = ReportRequest(parse_period("2025Q1"), formats=("docx",))
    [path] = await produce(
        database, content.questionnaire, content.locale, MUNICIPALITY, q1, tmp_path
    )
    comparison = docx_tables(path)["ძირითადი მაჩვენებლები ორ პერიოდში"]
    rows = {row[0]: row[1:] for row in comparison[1:]}
    assert rows["უკუკავშირის რაოდენობა"] == ["6", "4", "+2"]
    assert rows["კმაყოფილი (4–5)"] == ["100%", "0%", "+100"]
    assert rows["გამოხმაურების მაჩვენებელი"] == ["50%", "25%", "+25"]  # in points
    assert "01.03.2025 – 31.05.2025" in comparison[0][2] and comparison[0][3] == "ცვლილება (Δ)"
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "01.06.2025 – 31.08.2025 (2025Q1)" in text
    assert "შეჯამება ჯერ არ არის" in text and "ინიცირებული ცვლილებები ჯერ არ არის" in text
    for kind in ("summary", "changes"):  # both ways to fill them in are named
        assert f"/{kind} 2025Q1" in text and f"feedback-bot notes 2025Q1 {kind}" in text
    q4 = ReportRequest(parse_period("2024Q4"), formats=("docx",))
    [path] = await produce(
        database, content.questionnaire, content.locale, MUNICIPALITY, q4, tmp_path
    )
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "შედარება შეუძლებელია" in text
    await database.close()


async def test_a_period_without_any_response_still_gives_a_report(tmp_path):
    from bot.questionnaire.periods import parse_period

    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'e.db'}")
    content = load_content("ka")
    request = ReportRequest(parse_period("2025Q3"))
    paths = await produce(
        database, content.questionnaire, content.locale, MUNICIPALITY, request, tmp_path
    )
    await database.close()
    page = next(p for p in paths if p.suffix == ".html").read_text("utf-8")
    assert "უცნობია" in page and "ველი შეავსო 0 მომხმარებელმა 0-დან" in page
