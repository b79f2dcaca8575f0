"""The report as PDF, as a municipal website posts it: A4, its Georgian letters in the file."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.application.refusal import Refusal
from bot.application.reports import can_print
from bot.entry.cli_input import REPORT_FORMATS
from bot.questionnaire.content import bundled_locale, load_locale
from tests.e2e.test_cli import run_cli
from tests.integration.test_report_seed import MUNICIPALITY, seeded  # noqa: F401
from tests.support.forms import form_header, form_rows, write_csv
from tests.support.process import process_env

A4_POINTS = (595, 842)


def fonts_of(reader: PdfReader) -> list[dict]:
    """Every font a page draws with (its descendant font, where the text is Identity-H)."""
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                found.append(descendant.get_object())
    return found


def embedded(font: dict) -> bool:
    descriptor = font["/FontDescriptor"].get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_report_writes_a_file_for_every_format_it_lists_the_pdf_among_them(settings_env, tmp_path):
    env = process_env(settings_env)
    forms = write_csv(tmp_path / "forms.csv", [form_header(), *form_rows(40)])
    assert run_cli(["import", "--channel", "paper", str(forms)], env, tmp_path).returncode == 0
    out = tmp_path / "out"
    args = ["report", "--quarter", "2025Q1", "--public", "--format", ",".join(REPORT_FORMATS)]
    result = run_cli([*args, "--out", str(out)], env, tmp_path)
    assert result.returncode == 0, result.stderr
    printed = [Path(line) for line in result.stdout.split()]
    assert {path.suffix[1:] for path in printed} == set(REPORT_FORMATS)
    assert all(path.is_file() and path.stat().st_size > 0 for path in printed)
    pdf = out / "report_2025Q1_public.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf in printed


async def test_the_pdf_is_a4_with_its_fonts_embedded_and_its_georgian_text_searchable(
    seeded,  # noqa: F811
    tmp_path,
):
    from bot.questionnaire.content import load_content
    from reporting.build import ReportRequest, produce
    from tests.support import seed_000

    content = load_content("ka")
    request = ReportRequest(seed_000.PERIOD, public=True, formats=("pdf", "html"))
    paths = await produce(
        seeded, content.questionnaire, content.locale, MUNICIPALITY, request, tmp_path
    )
    reader = PdfReader(str(next(p for p in paths if p.suffix == ".pdf")))
    sizes = {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages}
    assert sizes == {A4_POINTS}
    assert 3 <= len(reader.pages) <= 10
    fonts = fonts_of(reader)
    assert fonts and all(embedded(font) for font in fonts)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert MUNICIPALITY in text and "01.06.2025 – 31.08.2025" in text
    assert "რაოდენობრივი მონაცემები" in text  # a section's title, letter for letter
    assert "244" in text and "39%" in text  # the figures the public report prints
    assert f"1 / {len(reader.pages)}" in reader.pages[0].extract_text()  # numbered pages


def test_without_pango_the_clerk_is_told_in_one_georgian_line_before_any_work(monkeypatch):
    import reporting.pdf

    monkeypatch.setattr(reporting.pdf, "available", lambda: False)
    can_print(["docx", "html"])  # the other formats need nothing more
    with pytest.raises(Refusal) as refused:
        can_print(["docx", "pdf"])
    line = refused.value.text(load_locale(bundled_locale("ka")))
    assert "libpango" in line and "\n" not in line
    assert any("\u10d0" <= letter <= "\u10ff" for letter in line)


def test_printing_a_page_fetches_nothing_it_names(tmp_path):
    """A report is printed from its own data: an address in it is never visited."""
    from reporting.pdf import pdf

    visits: list[str] = []

    class Counting(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            visits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        address = f"http://127.0.0.1:{server.server_port}"
        page = (
            f'<html><head><link rel="stylesheet" href="{address}/a.css"></head><body>'
            f'<p>ტექსტი</p><img src="{address}/b.png"></body></html>'
        )
        printed = pdf(page)
    finally:
        server.shutdown()
        server.server_close()
    assert printed.startswith(b"%PDF") and visits == []
