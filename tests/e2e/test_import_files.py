"""Real exports and hostile files as a clerk brings them to ``feedback-bot import``."""

from __future__ import annotations

import codecs
import shutil

import pytest

from tests.e2e.test_cli import run_cli
from tests.e2e.test_exchange import responses
from tests.support.forms import form_header, form_rows, write_csv, write_xlsx
from tests.support.process import process_env

PHONE_COMMENT = "შეშა ძვირია. დამირეკეთ 599 12 34 56"


def import_(path, env, tmp_path, channel: str | None = "google_forms"):
    args = ["import", *(["--channel", channel] if channel else []), str(path)]
    return run_cli(args, process_env(env), tmp_path)


def test_a_real_google_forms_export_and_its_renamed_and_grown_copies_add_only_new_rows(
    settings_env, tmp_path
):
    """AM/PM timestamps with a time zone, numbered headers, ``;``, an e-mail column."""
    rows = form_rows(12)
    rows[4][-1] = PHONE_COMMENT
    rows[7] = list(rows[6])  # two identical forms are two forms
    week_one = write_csv(tmp_path / "უკუკავშირი.csv", [form_header(), *rows])
    first = import_(week_one, settings_env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "შენახულია 12 ახალი პასუხი; 0 უკვე" in first.stdout
    assert "1 პირადი მონაცემი" in first.stdout
    stored = responses(settings_env["DATABASE_URL"])
    assert len(stored) == 12 and {r["day"][:7] for r in stored} == {"2025-06"}
    assert any(
        r["answers"].get("suggestions") == "შეშა ძვირია. დამირეკეთ [წაშლილია]" for r in stored
    )

    renamed = shutil.copy(week_one, tmp_path / "უკუკავშირი (1).csv")
    again = import_(renamed, settings_env, tmp_path)
    assert "შენახულია 0 ახალი პასუხი; 12 უკვე" in again.stdout

    grown_rows = [*rows, *form_rows(3, seed=99, start=__import__("datetime").datetime(2025, 7, 1))]
    grown_rows.append(list(rows[6]))  # a third copy of that form: one more form
    grown = write_csv(tmp_path / "უკუკავშირი (2).csv", [form_header(), *grown_rows])
    third = import_(grown, settings_env, tmp_path)
    assert third.returncode == 0, third.stderr
    assert "შენახულია 4 ახალი პასუხი; 12 უკვე" in third.stdout
    assert len(responses(settings_env["DATABASE_URL"])) == 16


def test_excel_unicode_text_and_an_xlsx_download_are_read(settings_env, tmp_path):
    rows = [form_header(numbered=False), *form_rows(3)]
    unicode_text = tmp_path / "responses.txt"
    lines = "\n".join("\t".join(row) for row in rows) + "\n"
    unicode_text.write_bytes(codecs.BOM_UTF16_LE + lines.encode("utf-16-le"))
    result = import_(unicode_text, settings_env, tmp_path, "paper")
    assert result.returncode == 0, result.stderr
    workbook = write_xlsx(tmp_path / "responses.xlsx", [form_header(), *form_rows(3, seed=5)])
    assert import_(workbook, settings_env, tmp_path, "paper").returncode == 0
    assert len(responses(settings_env["DATABASE_URL"])) == 6


def test_a_missing_column_is_named_as_printed_on_the_form(settings_env, tmp_path):
    header, rows = form_header(), form_rows(2)
    del header[3]
    for row in rows:
        del row[3]
    result = import_(write_csv(tmp_path / "f.csv", [header, *rows]), settings_env, tmp_path)
    assert result.returncode != 0
    assert "„2. მიუთითეთ თქვენი სქესი“" in result.stderr and "gender" not in result.stderr


def _own(tmp_path, channel="paper", version="social_services_v1", text=""):
    header = (
        "submitted_on,channel,questionnaire_version,service,gender,info_source,awareness,"
        "documents,satisfaction,professionalism,helpfulness,extra_needs,extra_needs_text,suggestions"
    )
    row = [
        "2025-07-01",
        channel,
        version,
        "veterans",
        "male",
        "staff",
        "full",
        "4",
        "5",
        "5",
        "5",
        "no",
        "",
        text,
    ]
    path = tmp_path / "own.csv"
    write_csv(path, [header.split(","), ["2025-07-02", *row[1:]], row], delimiter=",")
    return path


def _hostile(kind: str, tmp_path):
    header, rows = form_header(), form_rows(3)
    if kind == "cell over 128 KiB":
        rows[1][-1] = "ა" * (130 * 1024)
    elif kind == "duplicate header":
        header.append(header[3])
        for row in rows:
            row.append(row[3])
    elif kind == "year 0001":
        rows[1][0] = "0001-01-01 10:00:00"
    elif kind == "year 9999":
        rows[2][0] = "9999/12/31 11:59:00 PM GMT+4"
    elif kind == "100,000 characters":
        rows[1][-1] = "ტ" * 100_000
    else:
        raise AssertionError(kind)
    return write_csv(tmp_path / "hostile.csv", [header, *rows])


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("cell over 128 KiB", ["სტრიქონი 3, სვეტი M", "128 KiB"]),
        ("duplicate header", ["ორჯერაა", "სვეტები D, N"]),
        ("year 0001", ["სტრიქონი 3", "სვეტი A", "0001-01-01"]),
        ("year 9999", ["სტრიქონი 4", "სვეტი A", "9999/12/31"]),
        ("100,000 characters", ["სტრიქონი 3", "სვეტი M", "100000 სიმბოლო"]),
    ],
)
def test_hostile_csv_is_refused_by_row_and_column_and_nothing_is_stored(
    settings_env, tmp_path, kind, expected
):
    result = import_(_hostile(kind, tmp_path), settings_env, tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    for part in expected:
        assert part in result.stderr, result.stderr
    assert len(result.stderr) < 2000  # a bad value is quoted shortened, not whole
    assert responses(settings_env["DATABASE_URL"]) == []


@pytest.mark.both_databases
@pytest.mark.parametrize(
    ("channel", "version", "text", "expected"),
    [
        ("<script>", "social_services_v1", "", "არხი „<script>“ უცნობია"),
        ("x" * 40, "social_services_v1", "", "უცნობია"),
        ("paper", "v999", "", "ვერსია „v999“ უცნობია"),
        ("paper", "social_services_v1", "ა\x00ბ", "NUL"),
    ],
)
def test_our_own_file_with_an_unknown_channel_or_version_is_refused(
    settings_env, tmp_path, channel, version, text, expected
):
    path = _own(tmp_path, channel, version, text)
    result = import_(path, settings_env, tmp_path, channel=None)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert expected in result.stderr, result.stderr
    assert responses(settings_env["DATABASE_URL"]) == []


def test_a_code_page_csv_is_refused_with_what_to_do(settings_env, tmp_path):
    path = tmp_path / "old.csv"
    path.write_bytes("Timestamp;Пол\n10.08.2025;женский\n".encode("cp1251"))
    result = import_(path, settings_env, tmp_path)
    assert result.returncode != 0 and "CSV UTF-8" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


BIG = 24 * 1024 * 1024


def _bomb(kind: str, tmp_path):
    rows = [form_header(), *form_rows(2)]
    path = tmp_path / "bomb.xlsx"
    if kind == "sheet":
        filler = b"<row/>" * (BIG // 6)
        sheet = (
            b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData>' + filler + b"</sheetData></worksheet>"
        )
        return write_xlsx(path, rows, replace={"xl/worksheets/sheet1.xml": sheet})
    if kind == "shared strings":
        strings = b"<si><t>" + b"A" * BIG + b"</t></si>"
        shared = (
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main">' + strings + b"</sst>"
        )
        return write_xlsx(path, rows, replace={"xl/sharedStrings.xml": shared})
    if kind == "members":
        return write_xlsx(path, rows, extra={f"xl/media/m{i}.bin": b"" for i in range(500)})
    if kind == "dimension":
        sheet = (
            b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><dimension ref="A1:XFD20"/><sheetData/></worksheet>'
        )
        return write_xlsx(path, rows, replace={"xl/worksheets/sheet1.xml": sheet})
    if kind == "entities":
        laughs = '<!ENTITY l0 "lol">' + "".join(
            f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
        )
        sheet = (
            f'<?xml version="1.0"?><!DOCTYPE worksheet [{laughs}]><worksheet xmlns="http://'
            'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
            '<c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>'
        ).encode()
        return write_xlsx(path, rows, replace={"xl/worksheets/sheet1.xml": sheet})
    if kind == "not a zip":
        path.write_bytes(b"this is not a spreadsheet\n" * 10)
        return path
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("sheet", "საეჭვოდ შეკუმშული"),
        ("shared strings", "საეჭვოდ შეკუმშული"),
        ("members", "საეჭვოდ შეკუმშული"),
        ("dimension", "სვეტია"),
        ("entities", "entity"),
        ("not a zip", ".xlsx"),
    ],
)
def test_a_hostile_xlsx_is_refused_in_one_line_before_it_is_parsed(
    settings_env, tmp_path, kind, key
):
    result = import_(_bomb(kind, tmp_path), settings_env, tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert key in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert responses(settings_env["DATABASE_URL"]) == []
