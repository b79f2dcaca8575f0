"""The seed-000 report as a mayor, a website and an analyst get it: printable, true, usable."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from bot.questionnaire.content import load_content
from bot.questionnaire.periods import parse_period
from reporting.build import ReportRequest, produce
from storage import open_database
from tests.integration.test_report_seed import MUNICIPALITY, make, seeded  # noqa: F401
from tests.support import seed_000

A4_POINTS = (595, 842)


def pdf_of(docx: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing: .ci/run installs it")
        pytest.skip("LibreOffice (soffice) is not installed here")
    profile = docx.parent / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(docx.parent),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return docx.with_suffix(".pdf")


def pdf_pages(pdf: Path) -> tuple[int, list[tuple[int, int]]]:
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    sizes = [(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages]
    return len(reader.pages), sizes


@pytest.mark.parametrize("public", [False, True])
async def test_the_word_report_prints_on_a4_in_well_under_twelve_pages(seeded, tmp_path, public):  # noqa: F811
    files = await make(seeded, tmp_path, public=public)
    pages, sizes = pdf_pages(pdf_of(files[".docx"]))
    assert set(sizes) == {A4_POINTS}
    assert 3 <= pages <= 8


async def test_word_layout_is_for_print(seeded, tmp_path):  # noqa: F811
    files = await make(seeded, tmp_path)
    document = Document(str(files[".docx"]))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert 1.5 <= section.left_margin.cm <= 3 and 1.5 <= section.right_margin.cm <= 3
    for table in document.tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
        assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    services = document.tables[0]
    widths = [cell.width for cell in services.rows[0].cells]
    assert widths[0] == max(widths)  # the service name column is the wide one
    total = services.rows[-1].cells
    assert [c.paragraphs[0].alignment for c in total[1:]] == [2] * 6  # numbers to the right
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert len(headings) == len(set(headings))  # no heading twice
    assert headings[0] == "1. შესავალი" and "7. შედარება წინა პერიოდთან" in headings
    numbered = [h.split(".")[0] for h in headings if h.split(".")[0].isdigit()]
    assert {"3", "4", "5", "6", "7", "8", "9", "10"} <= set(numbered)  # as on the paper form
    text = [p.text for p in document.paragraphs]
    assert sum(t in text for t in seed_services()) == 16  # the programme's services listed
    register = document.tables[-1]
    assert len(register.columns) == 4 and len(register.rows) == 31  # compact: all 30


def seed_services() -> list[str]:
    words = load_content("ka").locale
    codes = load_content("ka").questionnaire.get("service").options
    return [words.t(f"service_names.{c}") for c in codes if c != "other"]


async def test_charts_are_at_print_resolution_where_they_are_placed(seeded, tmp_path):  # noqa: F811
    files = await make(seeded, tmp_path)
    document = Document(str(files[".docx"]))
    shapes = document.inline_shapes
    assert len(shapes) == 7
    for shape, png in zip(shapes, sorted(files["png"]), strict=False):
        width_px = struct.unpack(">I", png.read_bytes()[16:20])[0]
        assert width_px / (shape.width.inches) >= 200


async def test_categories_are_sorted_by_count(seeded, tmp_path):  # noqa: F811
    files = await make(seeded, tmp_path)
    sheet = load_workbook(files[".xlsx"])["შეთავაზებები — კატეგორიები"]
    counts = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert counts[:5] == [13, 7, 5, 3, 2] and counts == sorted(counts, reverse=True)


async def test_public_cells_are_true_and_marked_with_a_legend(seeded, tmp_path):  # noqa: F811
    internal = load_workbook((await make(seeded, tmp_path / "in"))[".xlsx"])
    files = await make(seeded, tmp_path / "out", public=True)
    public = load_workbook(files[".xlsx"])
    marks = set()
    for name in public.sheetnames:
        if name not in internal.sheetnames:
            continue
        for before, after in zip(
            internal[name].iter_rows(values_only=True),
            public[name].iter_rows(values_only=True),
            strict=True,
        ):
            for value, shown in zip(before, after, strict=True):
                if shown == "<3":
                    assert isinstance(value, int) and 0 < value < 3, (name, value)
                elif shown == "x":
                    marks.add("x")
                else:
                    assert shown == value, (name, value, shown)
    assert "x" in marks
    page = files[".html"].read_text("utf-8")
    assert "&lt;3 — 1 ან 2 ადამიანი" in page and "x — დაფარულია" in page
    legends = [
        p.text for p in Document(str(files[".docx"])).paragraphs if "1 ან 2 ადამიანი" in p.text
    ]
    assert legends
    services = list(public["სერვისები"].iter_rows(values_only=True))
    assert services[-1][1:3] == (244, 96)  # the totals stay printed


async def test_spreadsheet_figures_are_numbers_with_formats_and_frozen_headers(seeded, tmp_path):  # noqa: F811
    files = await make(seeded, tmp_path)
    workbook = load_workbook(files[".xlsx"])
    services = workbook["სერვისები"]
    assert services.freeze_panes == "A2"
    assert services["A1"].value == "სერვისი / ქვეპროგრამა"
    rate = services.cell(row=services.max_row, column=4)
    assert isinstance(rate.value, float) and rate.number_format == "0%"
    assert services.column_dimensions["A"].width > services.column_dimensions["C"].width
    raw = workbook["პასუხები"]
    assert raw.freeze_panes == "A3"
    title, codes, first = (next(raw.iter_rows(min_row=n, values_only=True)) for n in (1, 2, 3))
    assert title[1] == "თარიღი" and codes[1] == "submitted_on"
    assert first[1].date() >= date(2025, 6, 1)
    assert raw.cell(row=3, column=2).is_date
    service = codes.index("service")
    assert codes[service + 1] == "service_label" and first[service + 1].startswith("ახალშობილთა")
    satisfaction = codes.index("satisfaction")
    assert first[satisfaction] == 4 and first[satisfaction + 1] == "კმაყოფილი"


async def seed_with_needs(tmp_path: Path):
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'needs.db'}")
    base = {**seed_000.answers()[1], "extra_needs": "yes"}
    async with database.transaction() as tx:
        for n, text in enumerate(["შეშის მიტანა მჭირდება, თანხა არ მყოფნის.", "ექიმთან წაყვანა"]):
            await tx.responses.add(
                "v", "paper", {**base, "extra_needs_text": text}, date(2025, 7, n + 1)
            )
        await tx.responses.add("v", "console", {**base, "satisfaction": "1"}, date(2025, 7, 9))
        await tx.commit()
    return database


async def report(database, tmp_path, public=False, **request) -> dict[str, Path]:
    content = load_content("ka")
    period = parse_period("2025Q1")
    paths = await produce(
        database,
        content.questionnaire,
        content.locale,
        MUNICIPALITY,
        ReportRequest(period, public=public, formats=("docx", "html", "xlsx"), **request),
        tmp_path / ("public" if public else "internal"),
    )
    return {p.suffix: p for p in paths}


async def test_described_extra_needs_are_registered_categorised_and_public_only_if_chosen(
    tmp_path,
):
    database = await seed_with_needs(tmp_path)
    try:
        internal = await report(database, tmp_path)
        page = internal[".html"].read_text("utf-8")
        assert "შეშის მიტანა მჭირდება" in page and "ექიმთან წაყვანა" in page
        assert "დამატებითი საჭიროებების რეესტრი" in page
        sheet = load_workbook(internal[".xlsx"])["საჭიროებები — კატეგორიები"]
        counts = dict(sheet.iter_rows(min_row=2, values_only=True))
        assert counts == {"გათბობა და შეშა": 1, "წამლები, მკურნალობა და მოვლა": 1}
        register = load_workbook(internal[".xlsx"])["კომენტარები"]
        fields = [row[-1] for row in register.iter_rows(min_row=2, values_only=True)]
        assert fields.count("საჭიროების აღწერა") == 2
        public = (await report(database, tmp_path, public=True))[".html"].read_text("utf-8")
        assert "შეშის მიტანა" not in public and "ექიმთან" not in public
        async with database.analysis() as analysis:
            [chosen] = [
                r.id for r in await analysis.responses_between(date(2025, 7, 2), date(2025, 7, 2))
            ]
            await analysis.review(chosen, publishable=True)  # that person's main comment
            await analysis.commit()
        public = (await report(database, tmp_path, public=True))[".html"].read_text("utf-8")
        assert "ექიმთან" not in public, "a need is published by its own review"
        async with database.analysis() as analysis:
            await analysis.review(chosen, publishable=True, field="extra_needs_text")
            await analysis.commit()
        public = (await report(database, tmp_path, public=True))[".html"].read_text("utf-8")
        assert "ექიმთან წაყვანა" in public and "შეშის მიტანა" not in public
    finally:
        await database.close()


async def test_answers_typed_in_the_terminal_are_left_out_unless_asked_for(tmp_path):
    database = await seed_with_needs(tmp_path)
    try:
        page = (await report(database, tmp_path))[".html"].read_text("utf-8")
        assert "ტერმინალი" not in page and "უკუკავშირი წარმოადგინა 2 მომხმარებელმა" in page
        page = (await report(database, tmp_path, include_test_channels=True))[".html"]
        text = page.read_text("utf-8")
        assert "ტერმინალი (ტესტი)" in text and "წარმოადგინა 3 მომხმარებელმა" in text
    finally:
        await database.close()


async def test_a_period_not_ended_says_so_first_and_an_empty_one_has_no_charts(tmp_path):
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'e.db'}")
    try:
        files = await report(database, tmp_path, today=date(2025, 8, 10))
        paragraphs = [p.text for p in Document(str(files[".docx"])).paragraphs]
        assert "ჯერ არ დასრულებულა" in paragraphs[2] and "31.08.2025" in paragraphs[2]
        assert not Document(str(files[".docx"])).inline_shapes
        assert any("უკუკავშირი არ შემოსულა, ამიტომ" in p for p in paragraphs)
        ended = await report(database, tmp_path, today=date(2025, 9, 1))
        text = "\n".join(p.text for p in Document(str(ended[".docx"])).paragraphs)
        assert "ჯერ არ დასრულებულა" not in text
    finally:
        await database.close()


async def test_the_digest_lists_described_needs_and_leaves_the_terminal_out(tmp_path):
    from bot.entry.cli_digest import digest_for
    from reporting.digest import parse_week

    database = await seed_with_needs(tmp_path)
    try:
        content = load_content("ka")
        week = parse_week("2025-W27")  # 30 June – 6 July
        text = "\n".join(await digest_for(content, database, week))
        assert "აღწერილი დამატებითი საჭიროებები</b> (2)" in text
        assert "ექიმთან წაყვანა" in text and "პასუხები: <b>2</b>" in text
        later = "\n".join(await digest_for(content, database, parse_week("2025-W28")))
        assert "პასუხები: <b>0</b>" in later  # the console answer of 9 July is not counted
        counted = "\n".join(await digest_for(content, database, parse_week("2025-W28"), True))
        assert "პასუხები: <b>1</b>" in counted
    finally:
        await database.close()


async def test_an_export_leaves_the_terminal_out_unless_asked(tmp_path):
    from bot.exchange.export import export

    database = await seed_with_needs(tmp_path)
    try:
        content = load_content("ka")
        path = tmp_path / "all.csv"
        words, questions = content.locale, content.questionnaire
        assert await export(database, questions, words, path) == 2
        assert await export(database, questions, words, path, include_test_channels=True) == 3
    finally:
        await database.close()


async def test_a_rate_over_part_of_the_services_says_how_many_it_covers(seeded, tmp_path):  # noqa: F811
    async with seeded.analysis() as analysis:
        period = seed_000.PERIOD
        await analysis.set_applications(period.start, period.end, "winter_heating", 0)
        await analysis.commit()
    files = await make(seeded, tmp_path)
    text = "\n".join(p.text for p in Document(str(files[".docx"])).paragraphs)
    # 14 responses of the 8 services with figures ÷ their 59 applications, not 96 ÷ 59
    assert "მხოლოდ 8 სერვისისთვის (59 განაცხადი)" in text and "— 24%" in text
    assert "163%" not in text
