"""Opening a table a clerk gives us: CSV in whatever Excel wrote, or an XLSX checked first.

Excel in the Georgian locale saves CSV with ``;``; "Unicode text" is UTF-16; older machines
save in a code page that has no Georgian letters at all (cp1251, latin-1), so such a file has
already lost its answers and is refused with what to do instead. An XLSX is a zip of XML: its
members and the sheet's size are checked before anything is decompressed or parsed, and XML
entities are never expanded (openpyxl uses defusedxml when it is installed, as it is here).
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

MAX_CELL = 128 * 1024
"""Characters in one cell: more is no answer anyone typed."""
MAX_COLUMNS = 200
MAX_ROWS = 1_000_000
MAX_MEMBERS = 200
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 150
"""Uncompressed ÷ compressed size of one member; real sheets stay far below (our own export
of 200,000 responses: about 12), zip bombs are in the thousands."""
RATIO_FROM = 1024 * 1024
"""Small members (a few kB of styles) may compress very well; only big ones are measured."""
DELIMITERS = ",;\t"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


class FileRefused(Exception):
    """A file we will not read; ``key`` names a locale text under ``exchange.file.``."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


@dataclass
class Table:
    """Rows as lists of text, read again from the file each time ``rows()`` is called (a
    200,000-row export never sits in memory whole)."""

    path: Path
    rows: Callable[[], Iterator[list[str]]] = field(repr=False)
    xlsx: bool = False


def open_table(path: Path) -> Table:
    if not path.is_file():
        raise FileRefused("missing", path=path)
    with path.open("rb") as handle:
        head = handle.read(8192)
    if head.startswith(b"PK\x03\x04"):
        check_archive(path)
        return Table(path, lambda: _xlsx_rows(path), xlsx=True)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise FileRefused("not_xlsx", path=path.name)
    if path.suffix.lower() in {".xls", ".ods", ".numbers"}:
        raise FileRefused("old_format", path=path.name)
    encoding = _encoding(path, head)
    delimiter = _delimiter(head.decode(encoding, errors="ignore"))
    return Table(path, lambda: _csv_rows(path, encoding, delimiter))


def _encoding(path: Path, head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif head[1:200:2].count(0) > 20 and b"\x00\x00" not in head[:200]:
        encoding = "utf-16-le"  # "Unicode text" without its mark
    elif head[0:200:2].count(0) > 20 and b"\x00\x00" not in head[:200]:
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise FileRefused("encoding", path=path.name) from None
    return encoding


def _delimiter(sample: str) -> str:
    """The delimiter that splits the header line into the most cells (``,`` if none does)."""
    first = sample.splitlines()[0] if sample else ""
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[list[str]]:
    csv.field_size_limit(MAX_CELL * 4)  # read whole, then refused by row and column below
    with path.open(encoding=encoding, newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
            yield _checked(number, row)


def _checked(number: int, row: list[str]) -> list[str]:
    if number > MAX_ROWS:
        raise FileRefused("too_many_rows", limit=MAX_ROWS)
    if len(row) > MAX_COLUMNS and any(cell.strip() for cell in row[MAX_COLUMNS:]):
        raise FileRefused("too_many_columns", limit=MAX_COLUMNS)
    for index, cell in enumerate(row[:MAX_COLUMNS]):
        if len(cell) > MAX_CELL:
            raise FileRefused("cell_too_big", row=number, column=column_name(index))
        if "\x00" in cell:
            raise FileRefused("nul", row=number, column=column_name(index))
    return row[:MAX_COLUMNS]


def column_name(index: int) -> str:
    """``A``, ``B``, … ``AA``: the column as Excel shows it."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def check_archive(path: Path, sheet_size: bool = True) -> None:
    """Sizes from the zip's directory (nothing decompressed): zipfile stops at the size a
    member claims and fails its checksum if the claim was a lie. The first sheet's rows and
    columns are a responses table's limits only: a questionnaire's sheet often declares a
    wide range (Excel keeps formatted empty columns), and its reader keeps only what holds
    something (``sheet_size=False``)."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise FileRefused("not_xlsx", path=path.name) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise FileRefused("bomb", path=path.name)
        total = 0
        for member in members:
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            big = member.file_size > RATIO_FROM
            if member.file_size > MAX_MEMBER_BYTES or (big and ratio > MAX_RATIO):
                raise FileRefused("bomb", path=path.name)
        if total > MAX_TOTAL_BYTES:
            raise FileRefused("bomb", path=path.name)
        sheets = [m.filename for m in members if m.filename.startswith("xl/worksheets/sheet")]
        if not sheets:
            raise FileRefused("not_xlsx", path=path.name)
        if not sheet_size:
            return
        with archive.open(sorted(sheets)[0]) as sheet:
            start = sheet.read(4096)
    found = _DIMENSION.search(start)
    if found and found[3]:
        first, top, last, bottom = (part.decode("ascii") for part in found.groups())
        rows = int(bottom) - int(top) + 1
        columns = _column_number(last) - _column_number(first) + 1
        if rows > MAX_ROWS + 1:
            raise FileRefused("too_many_rows", limit=MAX_ROWS)
        if columns > MAX_COLUMNS:
            raise FileRefused("too_many_columns", limit=MAX_COLUMNS)


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (DefusedXmlException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        cause = error.__cause__ or error.__context__  # openpyxl wraps what its parser raised
        hostile = isinstance(error, DefusedXmlException) or isinstance(cause, DefusedXmlException)
        raise FileRefused("xml_entities" if hostile else "not_xlsx", path=path.name) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        for number, row in enumerate(rows, start=1):
            yield _checked(number, [_text(value) for value in row])
    except DefusedXmlException:
        raise FileRefused("xml_entities", path=path.name) from None
    finally:
        workbook.close()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
