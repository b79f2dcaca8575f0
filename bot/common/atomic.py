"""Files that appear whole or not at all: written under a temporary name, then renamed.

A report, export or QR sheet killed half-way (``kill -9``, a full disk) must never be left
under its final name, where a clerk would open or publish it. The temporary file lies in the
same folder (a rename within one file system is atomic) and keeps the suffix, because some
writers choose the format by it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def written(path: Path, sync: bool = False) -> Iterator[Path]:
    """Yields the temporary path to write to; on success it replaces ``path``.

    ``sync``: flushed to the disk before the rename (for the secret, which must never be
    found empty after a crash)."""
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.partial{path.suffix}")
    try:
        yield temporary
        if sync:
            with temporary.open("rb+") as handle:
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    if sync:
        _sync_folder(path.parent)


def write_bytes(path: Path, data: bytes, sync: bool = False) -> None:
    with written(path, sync) as temporary:
        temporary.write_bytes(data)


def write_text(path: Path, text: str, sync: bool = False) -> None:
    write_bytes(path, text.encode("utf-8"), sync)


def _sync_folder(folder: Path) -> None:
    """The rename itself reaches the disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
