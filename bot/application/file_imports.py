"""A Google Forms export (or our own export) brought in from the staff console: first a dry
run that says what would happen to each row, then the same rows stored.

The same reading as ``feedback-bot import`` (``bot.exchange``): columns found by their
Georgian question texts, every row checked, personal details masked, a row recognised by
its content so a file uploaded again adds only its new rows, all or nothing. The preview
also says how many rows were imported before, which the command line says only after.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.application.chosen_form import ChosenForm
from bot.application.refusal import Refusal
from bot.exchange.headers import CHANNEL, HeaderProblem, find_columns
from bot.exchange.imports import FORM_CHANNELS, Importer, ImportRow, RowProblem
from bot.exchange.sources import FileRefused, open_table
from storage import Database

CHUNK = 5000
"""Rows inserted per statement: one transaction for the file, memory for a chunk only."""


class FileProblem(Exception):
    """The file as a whole cannot be read; ``text`` says why, in the staff's words."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class Preview:
    new: int = 0
    already: int = 0
    refused: list[RowProblem] = field(default_factory=list)
    masked: int = 0
    """Personal details that would be replaced in the new rows' texts."""

    @property
    def storable(self) -> bool:
        return not self.refused and self.new > 0


def _rows(
    path: Path, form: ChosenForm, channel: str | None, zone: object, today: date
) -> list[ImportRow | RowProblem]:
    """Every row of the file, read or refused; the file's own problems as ``FileProblem``."""
    t = form.locale.t
    try:
        table = open_table(path)
        header = next(table.rows(), None)
    except FileRefused as refused:
        raise FileProblem(t(f"exchange.file.{refused.key}", **refused.values)) from None
    if header is None:
        raise FileProblem(t("exchange.empty_file"))
    try:
        columns = find_columns(header, form.questionnaire, form.locale)
    except HeaderProblem as problem:
        raise FileProblem(problem.text) from None
    if channel is None and not columns.own and CHANNEL not in columns.index:
        raise Refusal("staff.imports.channel_needed")
    if channel is not None and channel not in FORM_CHANNELS:
        raise Refusal("staff.imports.channel_needed")
    importer = Importer(form.questionnaire, form.locale, frozenset(form.versions))
    try:
        return list(importer.rows(table, columns, channel, zone, today))  # type: ignore[arg-type]
    except FileRefused as refused:
        raise FileProblem(t(f"exchange.file.{refused.key}", **refused.values)) from None


async def preview(
    database: Database,
    municipality: str,
    path: Path,
    form: ChosenForm,
    channel: str | None,
    zone: object,
    today: date,
) -> Preview:
    """What storing the file would do; nothing is written."""
    items = _rows(path, form, channel, zone, today)
    rows = [item for item in items if isinstance(item, ImportRow)]
    refused = [item for item in items if isinstance(item, RowProblem)]
    async with database.analysis(municipality) as analysis:
        seen = await analysis.imported(row.row_hash for row in rows)
    fresh = [row for row in rows if row.row_hash not in seen]
    return Preview(len(fresh), len(rows) - len(fresh), refused, sum(r.masked for r in fresh))


async def store(
    database: Database,
    municipality: str,
    path: Path,
    form: ChosenForm,
    channel: str | None,
    zone: object,
    today: date,
) -> Preview:
    """Stores the rows not imported before, in one transaction; a refused row stores none."""
    items = _rows(path, form, channel, zone, today)
    refused = [item for item in items if isinstance(item, RowProblem)]
    if refused:
        return Preview(refused=refused)
    rows = [item for item in items if isinstance(item, ImportRow)]
    fresh: list[ImportRow] = []
    async with database.analysis(municipality) as analysis:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            seen = await analysis.imported(row.row_hash for row in chunk)
            new = [row for row in chunk if row.row_hash not in seen]
            await analysis.add_imported_many(
                [(r.row_hash, r.version, r.channel, r.answers, r.day) for r in new]
            )
            fresh += new
        await analysis.commit()
    return Preview(len(fresh), len(rows) - len(fresh), [], sum(r.masked for r in fresh))


@dataclass
class Upload:
    municipality: str
    who: str
    name: str
    content: bytes
    at: float


class Uploads:
    """Files between their preview and "save", in this process's memory only (a Google
    Forms export may hold e-mail addresses: it is never written to disk beyond the moment
    it is read), each for its own clerk, forgotten after ``KEPT_SECONDS`` or once stored."""

    KEPT_SECONDS = 3600.0
    MOST = 20

    def __init__(self) -> None:
        self._files: dict[str, Upload] = {}

    def keep(self, upload: Upload) -> str:
        import secrets

        self._forget_old(upload.at)
        token = secrets.token_urlsafe(18)
        self._files[token] = upload
        return token

    def get(self, token: str, municipality: str, who: str, now: float) -> Upload | None:
        self._forget_old(now)
        found = self._files.get(token)
        if found is None or (found.municipality, found.who) != (municipality, who):
            return None
        return found

    def drop(self, token: str) -> None:
        self._files.pop(token, None)

    def _forget_old(self, now: float) -> None:
        for token, upload in list(self._files.items()):
            if now - upload.at > self.KEPT_SECONDS:
                del self._files[token]
        while len(self._files) > self.MOST:
            del self._files[next(iter(self._files))]


UPLOADS = Uploads()


@contextmanager
def on_disk(name: str, content: bytes) -> Iterator[Path]:
    """The upload as a file for the readers (which read by path, a chunk at a time), in a
    private temporary folder deleted as soon as it has been read (docs/anonymity.md says
    so: "The staff console's passing files")."""
    suffix = Path(name).suffix.lower()[:8] if Path(name).suffix else ".csv"
    with tempfile.TemporaryDirectory(prefix="staff-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        yield path
