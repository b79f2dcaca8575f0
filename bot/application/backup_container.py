"""The backup file's envelope: a stream of records, sealed chunk by chunk, with a last record.

The inside is an ordinary tar stream (``backup.py`` puts the manifest and the parts in it);
this module only makes the bytes whole, readable and, with a passphrase, secret:

    FEEDBACK-BOT-BACKUP\\n  one JSON line (format, chunk size, the key's derivation)
    record*                 type (D data, E end) + 4-byte length + payload

With a passphrase each payload is AES-GCM (``cryptography``; the key from scrypt and a
random salt, so never reused): the nonce is the record's number and whether it is the last,
the header line is authenticated with every record. A reordered, cut or altered record
fails its tag, and a file cut at a record's edge lacks the ``E`` record. Without one, data
payloads are the plain bytes and ``E`` carries the SHA-256 of everything before it. So any
flipped byte and any truncation are found, and a passphrase that is wrong is told apart
from a damaged file by a check value. Only one chunk (1 MiB) is in memory at a time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from bot.application.refusal import Refusal

MAGIC = b"FEEDBACK-BOT-BACKUP\n"
FORMAT = 1
CHUNK = 1 << 20
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
"""About 32 MiB and a tenth of a second per try: cheap once, dear for a guesser."""
MAX_SCRYPT_N = 2**20
"""A header asking for more is refused (it would take gigabytes to open)."""
DATA, END = b"D", b"E"
RECORD = struct.Struct(">cI")
MAX_RECORD = CHUNK + 64


class BackupDamaged(Refusal):
    """The file is not one whole backup (``key``: which way it is not, under ``backup.``)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(f"backup.{key}", **values)


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    """The AES key and a check value that tells a wrong passphrase from a damaged file."""
    derived = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return derived[:32], hashlib.sha256(derived[32:]).digest()


def _nonce(number: int, last: bool) -> bytes:
    return number.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class SealedWriter:
    """A write-only stream: ``write`` bytes, then ``finish``; ``tarfile`` writes into it."""

    def __init__(self, out: BinaryIO, passphrase: str | None) -> None:
        self._out, self._buffer, self._number = out, bytearray(), 0
        header: dict[str, object] = {"format": FORMAT, "chunk": CHUNK}
        self._aead: AESGCM | None = None
        if passphrase:
            salt = os.urandom(16)
            key, check = _derive(passphrase, salt, **SCRYPT)
            header["scrypt"] = {"salt": base64.b64encode(salt).decode(), **SCRYPT}
            header["check"] = check.hex()
            self._aead = AESGCM(key)
        self._header = json.dumps(header, sort_keys=True).encode() + b"\n"
        self._digest = hashlib.sha256()
        self._emit(MAGIC + self._header)

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self._digest.update(data)

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) >= CHUNK:
            self._record(DATA, bytes(self._buffer[:CHUNK]))
            del self._buffer[:CHUNK]
        return len(data)

    def _record(self, kind: bytes, payload: bytes) -> None:
        if self._aead is not None:
            payload = self._aead.encrypt(_nonce(self._number, kind == END), payload, self._header)
        elif kind == END:
            payload = self._digest.digest()
        self._number += 1
        self._emit(RECORD.pack(kind, len(payload)) + payload)

    def finish(self) -> None:
        if self._buffer:
            self._record(DATA, bytes(self._buffer))
            self._buffer.clear()
        self._record(END, b"")


class SealedReader:
    """A read-only stream of what a ``SealedWriter`` was given, checked record by record;
    ``finish`` proves the end was reached and nothing follows it."""

    def __init__(self, source: BinaryIO, passphrase: str | None) -> None:
        self._source, self._number, self._ended = source, 0, False
        self._buffer = bytearray()
        self._digest = hashlib.sha256()
        start = self._source.read(len(MAGIC))
        if start != MAGIC:
            cut = len(start) < len(MAGIC) and MAGIC.startswith(start) and start
            raise BackupDamaged("incomplete" if cut else "not_a_backup")
        line = self._source.readline(4096)
        if not line.endswith(b"\n"):
            raise BackupDamaged("incomplete" if len(line) < 4096 else "damaged")
        self._digest.update(MAGIC + line)
        self._header = line
        try:
            header = json.loads(line)
        except ValueError:
            raise BackupDamaged("damaged") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise BackupDamaged("unknown_format")
        self.encrypted = "scrypt" in header
        self._aead = self._opened(header, passphrase) if self.encrypted else None

    def _opened(self, header: dict[str, object], passphrase: str | None) -> AESGCM:
        if not passphrase:
            raise BackupDamaged("passphrase_needed")
        try:
            kdf = dict(header["scrypt"])  # type: ignore[call-overload]
            n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
            if n > MAX_SCRYPT_N or r > 16 or p > 4:
                raise ValueError(n)
            salt = base64.b64decode(kdf["salt"], validate=True)
            key, check = _derive(passphrase, salt, n, r, p)
            expected = bytes.fromhex(str(header["check"]))
        except (KeyError, TypeError, ValueError):
            raise BackupDamaged("damaged") from None
        if not hmac.compare_digest(check, expected):
            raise BackupDamaged("wrong_passphrase")
        return AESGCM(key)

    def _take(self, size: int) -> bytes:
        data = self._source.read(size)
        if len(data) < size:
            raise BackupDamaged("incomplete")
        return data

    def _next_record(self) -> None:
        kind, length = RECORD.unpack(self._take(RECORD.size))
        if kind not in (DATA, END) or length > MAX_RECORD:
            raise BackupDamaged("damaged")
        payload = self._take(length)
        before = self._digest.digest()
        self._digest.update(RECORD.pack(kind, length) + payload)
        if self._aead is not None:
            try:
                payload = self._aead.decrypt(
                    _nonce(self._number, kind == END), payload, self._header
                )
            except InvalidTag:
                raise BackupDamaged("damaged") from None
        elif kind == END and not hmac.compare_digest(payload, before):
            raise BackupDamaged("damaged")
        self._number += 1
        if kind == END:
            self._ended = True
        else:
            self._buffer += payload

    def read(self, size: int = -1) -> bytes:
        while not self._ended and (size < 0 or len(self._buffer) < size):
            self._next_record()
        size = len(self._buffer) if size < 0 else min(size, len(self._buffer))
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def finish(self) -> None:
        """Reads to the ``E`` record (tar leaves its padding unread) and past it: a file that
        goes on after its end was changed."""
        while not self._ended:
            self._next_record()
        self._buffer.clear()
        if self._source.read(1):
            raise BackupDamaged("damaged")
