"""Timestamps as Google writes them, headers as forms print them, files as Excel saves them."""

from __future__ import annotations

import codecs
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.exchange.files import neutralised, restored, xml_escaped, xml_unescaped
from bot.exchange.headers import normalised
from bot.exchange.sources import FileRefused, open_table
from bot.exchange.timestamps import DayReader

TBILISI = ZoneInfo("Asia/Tbilisi")
TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2025/08/10 5:45:00 PM GMT+4", date(2025, 8, 10)),
        ("2025/08/10 05:45:00 PM GMT+4", date(2025, 8, 10)),
        ("2025/08/10 12:05:00 AM GMT+4", date(2025, 8, 10)),
        ("2025/08/10 11:30 PM GMT+4", date(2025, 8, 10)),
        ("2025/08/10 9:30:00 PM GMT", date(2025, 8, 11)),  # 21:30 in London is 01:30 here
        ("2025/08/10 9:30:00 PM UTC+0", date(2025, 8, 11)),
        ("2025/08/10 10:00:00 p.m. GMT+04:00", date(2025, 8, 10)),
        ("8/10/2025 17:45:00", date(2025, 8, 10)),
        ("8/10/2025 5:45 PM", date(2025, 8, 10)),
        ("10.08.2025 17:45:00", date(2025, 8, 10)),
        ("10.08.2025, 17:45", date(2025, 8, 10)),
        ("10.08.2025", date(2025, 8, 10)),
        ("1.8.2025 9:05", date(2025, 8, 1)),
        ("2025-08-10 17:45:00", date(2025, 8, 10)),
        ("2025-08-10T17:45:00+04:00", date(2025, 8, 10)),
        ("2025-08-10T22:00:00Z", date(2025, 8, 11)),
        ("2025-08-10", date(2025, 8, 10)),
    ],
)
def test_every_shape_google_and_excel_write_is_read_as_the_municipalitys_day(written, day):
    assert DayReader(TBILISI, today=TODAY).day(written) == day


def test_a_file_whose_dates_show_day_first_is_read_day_first():
    values = ["10/08/2025 17:45:00", "25/08/2025 09:00:00"]
    reader = DayReader.for_values(values, TBILISI, TODAY)
    assert reader.day(values[0]) == date(2025, 8, 10)
    assert DayReader.for_values(["8/10/2025 17:45:00"], TBILISI, TODAY).day(
        "8/10/2025 17:45:00"
    ) == date(2025, 8, 10)


@pytest.mark.parametrize(
    "written",
    ["ხვალ", "0001-01-01", "9999-12-31", "31.02.2025", "2025/13/01 1:00:00 PM", "13:00 PM", ""],
)
def test_impossible_or_unreadable_dates_are_none(written):
    assert DayReader(TBILISI, today=TODAY).day(written) is None


@pytest.mark.parametrize(
    "header",
    [
        "1. რომელი სოციალური სერვისით/ქვეპროგრამით სარგებლობის მიზნით შემოიტანეთ განაცხადი?",
        "1) რომელი სოციალური სერვისით / ქვეპროგრამით სარგებლობის მიზნით შემოიტანეთ განაცხადი",
        "  რომელი  სოციალური სერვისით/ქვეპროგრამით სარგებლობის მიზნით შემოიტანეთ განაცხადი? *",
    ],
)
def test_headers_compare_without_numbering_punctuation_or_spacing(header):
    printed = "რომელი სოციალური სერვისით/ქვეპროგრამით სარგებლობის მიზნით შემოიტანეთ განაცხადი?"
    assert normalised(header) == normalised(printed)
    assert normalised("9ა. გთხოვთ, მოკლედ აღწეროთ") == normalised("გთხოვთ მოკლედ აღწეროთ")


@given(st.text())
def test_our_spreadsheet_escapes_give_back_every_text(text):
    assert restored(neutralised(text)) == text
    assert xml_unescaped(xml_escaped(text)) == text
    assert not any(ord(c) < 32 and c not in "\t\n" for c in xml_escaped(text))


def test_text_that_starts_with_a_quote_or_a_formula_sign_is_shown_as_text():
    assert neutralised("=3+3") == "'=3+3" and restored("'=3+3") == "=3+3"
    assert neutralised("'=3+3") == "''=3+3" and restored("''=3+3") == "'=3+3"


def test_semicolon_csv_and_utf16_are_read(tmp_path):
    semicolon = tmp_path / "a.csv"
    semicolon.write_text("თარიღი;სქესი, ასაკი;x\n1;ქალი;2\n", encoding="utf-8-sig")
    assert list(open_table(semicolon).rows()) == [
        ["თარიღი", "სქესი, ასაკი", "x"],
        ["1", "ქალი", "2"],
    ]
    unicode_text = tmp_path / "b.txt"
    unicode_text.write_bytes(codecs.BOM_UTF16_LE + "ა\tბ\n1\t2\n".encode("utf-16-le"))
    assert list(open_table(unicode_text).rows()) == [["ა", "ბ"], ["1", "2"]]


@pytest.mark.parametrize(
    ("encoding", "text"), [("cp1251", "Пол,женский"), ("latin-1", "Café,Genève")]
)
def test_a_code_page_file_is_refused_with_what_to_do(tmp_path, encoding, text):
    path = tmp_path / "old.csv"
    path.write_bytes(f"Timestamp,{text}\n10.08.2025,{text}\n".encode(encoding))
    with pytest.raises(FileRefused) as refused:
        open_table(path)
    assert refused.value.key == "encoding"
