"""Backups that restore: one file with the database, what a restore needs, and a manifest.

``feedback-bot backup``, ``backup verify``, ``restore`` and the scheduled backup all come
here. The file is a tar stream inside ``backup_container``'s envelope (sealed, encrypted
with ``BACKUP_PASSPHRASE``): ``manifest.json`` first (format, database kind, Alembic
revision, when it was made, each part's size and SHA-256, the settings that are not
secrets), then the database part and, for SQLite, the secret file kept beside the database.

Anonymity: the ballot box is emptied first, through the same path a report takes, so a
backup holds the waiting forms already mixed among the responses; nothing goes in that the
database and the secret file do not hold (no log, no token, no password).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.engine import make_url

from bot.application import backup_postgres, backup_sqlite
from bot.application.backup_container import BackupDamaged, SealedReader, SealedWriter
from bot.application.refusal import Refusal
from bot.common import atomic
from bot.config.settings import Settings

NAME = re.compile(r"feedback-\d{8}-\d{6}Z\.backup")
MANIFEST = "manifest.json"
SECRET = "secret"
PARTS = {backup_sqlite.PART, backup_postgres.PART, SECRET}
MAX_MANIFEST = 1 << 20
LOCK = ".feedback-backup.lock"
"""Held by the backup writing into a folder: one at a time there, and what a killed one left
(its work folder with a copy of the database, its partial file) is removed by the next."""


@dataclass(frozen=True)
class Manifest:
    kind: str
    revision: str | None
    created: str
    parts: dict[str, dict[str, Any]]
    size: int = 0
    """The backup file's own size, in bytes (filled in when it is read)."""


def kind_of(settings: Settings) -> str:
    return "sqlite" if settings.sqlite_path is not None else "postgresql"


def secret_path(settings: Settings) -> Path | None:
    """The secret file beside an SQLite database (``bot.wiring.bootstrap.resolve_secret``)."""
    database = settings.sqlite_path
    return None if database is None else database.with_name(database.stem + ".secret")


def passphrase(settings: Settings) -> str | None:
    value = settings.backup_passphrase
    return value.get_secret_value() if value is not None else None


def write(settings: Settings, folder: Path, now: datetime, revision: str | None) -> Path:
    """The backup file in ``folder``, under its name only once it is whole (blocking: the
    caller runs it in a thread). ``revision``: PostgreSQL's, read before the dump."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _only_writer(folder):
        return _write(settings, folder, now, revision)


def _write(settings: Settings, folder: Path, now: datetime, revision: str | None) -> Path:
    work = Path(tempfile.mkdtemp(prefix=".feedback-backup-", suffix=".partial", dir=folder))
    try:
        parts = _parts(settings, work)
        if kind_of(settings) == "sqlite":
            revision = backup_sqlite.revision(parts[backup_sqlite.PART])
        manifest = {
            "format": 1,
            "kind": kind_of(settings),
            "revision": revision,
            "created": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "parts": {name: _described(path) for name, path in parts.items()},
            "settings": plain_settings(settings),
        }
        final = folder / f"feedback-{now.astimezone(UTC):%Y%m%d-%H%M%S}Z.backup"
        with atomic.written(final, sync=True) as temporary:
            descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with open(descriptor, "wb") as out:
                _pack(out, manifest, parts, passphrase(settings))
        return final
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _parts(settings: Settings, work: Path) -> dict[str, Path]:
    database = settings.sqlite_path
    if database is None:
        dump = work / backup_postgres.PART
        backup_postgres.dump(settings.database_url, dump, settings.pg_bin_dir)
        return {backup_postgres.PART: dump}
    copy = work / backup_sqlite.PART
    backup_sqlite.copy_online(database, copy)
    parts = {backup_sqlite.PART: copy}
    secret = secret_path(settings)
    if secret is not None and secret.is_file():
        parts[SECRET] = secret
    return parts


def _described(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


def _pack(
    out: BinaryIO, manifest: dict[str, Any], parts: dict[str, Path], secret: str | None
) -> None:
    sealed = SealedWriter(out, secret)
    with tarfile.open(fileobj=sealed, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
        text = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
        tar.addfile(_entry(MANIFEST, len(text)), io.BytesIO(text))
        for name, path in parts.items():
            with path.open("rb") as handle:
                tar.addfile(_entry(name, manifest["parts"][name]["size"]), handle)
    sealed.finish()
    out.flush()


def _entry(name: str, size: int) -> tarfile.TarInfo:
    """No owner, no time: the manifest says when the backup was made."""
    entry = tarfile.TarInfo(name)
    entry.size, entry.mode = size, 0o600
    return entry


def plain_settings(settings: Settings) -> dict[str, Any]:
    """The settings a restore may need to see, without a single secret: no token, no
    password (the database address without its password), no ``FEEDBACK_SECRET``."""
    secret = {
        name
        for name, field in type(settings).model_fields.items()
        if "SecretStr" in str(field.annotation)
    }
    data = settings.model_dump(mode="json", exclude=secret)
    data["database_url"] = make_url(settings.database_url).render_as_string(hide_password=True)
    return data


@contextlib.contextmanager
def _only_writer(folder: Path) -> Iterator[None]:
    """The folder's lock for the whole backup; taken, it removes what a backup killed
    half-way left (the lock dies with its process, so no live backup is writing them)."""
    descriptor = os.open(folder / LOCK, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        for left in folder.glob(".feedback-backup-*.partial"):
            shutil.rmtree(left, ignore_errors=True)
        for left in folder.glob(".feedback-*.partial.backup"):
            left.unlink(missing_ok=True)
        yield
    finally:
        os.close(descriptor)  # releases the lock


@contextlib.contextmanager
def opened(path: Path, settings: Settings, work: Path) -> Iterator[Manifest]:
    """Reads the whole file into ``work`` (one file per part), checking each part against the
    manifest and the envelope to its last byte; yields the manifest. Every way a file can be
    wrong ends in a ``BackupDamaged`` with its own line."""
    if not path.is_file():
        raise Refusal("backup.file_missing", path=path)
    with path.open("rb") as handle:
        reader = SealedReader(handle, passphrase(settings))
        try:
            manifest = _unpack(reader, work)
        except (tarfile.TarError, EOFError, ValueError, KeyError, TypeError):
            reader.finish()  # a cut file says "incomplete", not "damaged"
            raise BackupDamaged("damaged") from None
        reader.finish()
    yield Manifest(
        manifest["kind"],
        manifest.get("revision"),
        manifest["created"],
        manifest["parts"],
        path.stat().st_size,
    )


def _unpack(reader: SealedReader, work: Path) -> dict[str, Any]:
    with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
        first = tar.next()
        if first is None or first.name != MANIFEST or first.size > MAX_MANIFEST:
            raise BackupDamaged("damaged")
        manifest = json.loads(_read(tar, first))
        parts: dict[str, Any] = manifest["parts"]
        if manifest.get("kind") not in ("sqlite", "postgresql") or not set(parts) <= PARTS:
            raise BackupDamaged("damaged")  # a part named "../x" would be written outside
        found = set()
        while (member := tar.next()) is not None:  # iterating would yield the manifest again
            expected = parts.get(member.name)
            if expected is None or not member.isfile() or member.name in found:
                raise BackupDamaged("damaged")
            _extract(tar, member, work / member.name, expected)
            found.add(member.name)
        if found != set(parts):
            raise BackupDamaged("damaged")
    return manifest


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    handle = tar.extractfile(member)
    assert handle is not None
    return handle.read()


def _extract(
    tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, expected: dict[str, Any]
) -> None:
    source = tar.extractfile(member)
    assert source is not None
    digest, size = hashlib.sha256(), 0
    descriptor = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with open(descriptor, "wb") as out:
        while block := source.read(1 << 20):
            digest.update(block)
            size += len(block)
            out.write(block)
    if size != expected["size"] or digest.hexdigest() != expected["sha256"]:
        raise BackupDamaged("damaged")


def known_revision(revision: str | None) -> bool:
    """A revision this version of the bot can migrate from (a newer bot's is not)."""
    from alembic.script import ScriptDirectory

    if revision is None:
        return True
    scripts = ScriptDirectory(str(resources.files("storage") / "migrations"))
    try:
        return scripts.get_revision(revision) is not None
    except Exception:  # alembic's ResolutionError and its kin: a revision it does not know
        return False
