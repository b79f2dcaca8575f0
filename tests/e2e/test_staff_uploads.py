"""Uploads to the staff console as a clerk or admin really makes them: a spreadsheet Excel
broke or saved the old way, a file with NUL bytes, a zip that is no form, a real export of
2 MB, and a file far too large. Each gets a page in words (what to do), never a traceback,
a blank 413 or a dropped connection."""

from __future__ import annotations

import asyncio
import csv
import io
from urllib.parse import urlsplit

from bot.application.staff_accounts import Role
from tests.support.forms import form_header, form_rows
from tests.support.staff import HOME

IMPORTS = f"/staff/{HOME}/imports"
BROKEN_XLSX = b"PK\x03\x04" + b"\x00" * 64 + b"not really a workbook"


async def _applications(http, name: str, content: bytes):  # type: ignore[no-untyped-def]
    files = {"applications_file": (name, content, "application/octet-stream")}
    return await http.post(
        IMPORTS, data={"csrf": http.csrf, "do": "applications_file"}, files=files
    )


async def test_a_broken_or_odd_applications_file_gets_a_kind_page(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        broken = await _applications(http, "განაცხადები.xlsx", BROKEN_XLSX)
        old = await _applications(http, "განაცხადები.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 500)
        nul = await _applications(
            http, "a.csv", "პერიოდი,სერვისი,რაოდენობა\n2025Q3,\x00,1\n".encode()
        )
        latin = await _applications(http, "b.csv", "პერიოდი,სერვისი\n".encode("utf-16"))
    for answer in (broken, old, nul, latin):
        assert answer.status_code == 400, answer.text
        assert 'role="alert"' in answer.text and "Traceback" not in answer.text
    assert "განაცხადები.xlsx" in broken.text and "Excel" in broken.text  # its own name
    assert "upload" not in broken.text.split('role="alert"')[1].split("</p>")[0]
    assert "NUL" in nul.text


async def test_a_zip_that_is_no_form_gets_a_kind_page_not_a_traceback(staff_console):
    admin = await staff_console.account(Role.ADMIN)
    async with staff_console.client(admin) as http:
        files = {"file": ("კითხვარი.xlsx", BROKEN_XLSX, "application/octet-stream")}
        answer = await http.post(
            f"/staff/{HOME}/forms/check", data={"csrf": http.csrf}, files=files
        )
    assert answer.status_code == 400 and 'role="alert"' in answer.text
    assert "კითხვარი.xlsx" in answer.text


async def test_a_two_megabyte_export_reaches_the_imports_page(staff_console):
    rows = [form_header(), *form_rows(1)]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    line = out.getvalue().splitlines()[1] + "\n"
    content = (out.getvalue().splitlines()[0] + "\n" + line * (2_100_000 // len(line))).encode()
    assert len(content) > 2_000_000
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        files = {"file": ("export.csv", content, "text/csv")}
        answer = await http.post(
            IMPORTS, data={"csrf": http.csrf, "do": "preview", "channel": "paper"}, files=files
        )
    assert answer.status_code in (200, 400), answer.status_code
    assert "<main" in answer.text  # the console's page, with what it found


async def test_a_file_over_twenty_megabytes_is_refused_in_words(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    address = urlsplit(staff_console.url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    writer.write(
        f"POST {IMPORTS} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 50000000\r\n\r\n".encode()
    )
    async with asyncio.timeout(30):
        answer = await reader.read()
    writer.close()
    assert answer.startswith(b"HTTP/1.1 413")
    assert "ფაილი ძალიან დიდია" in answer.decode("utf-8", "replace")
