"""Authenticated encryption of a backup stream: AES-256-GCM in 1 MiB chunks.

Each chunk's nonce is a random 8-byte prefix (per file) plus its 4-byte counter, and its associated data say
whether it is the last chunk, so reordered, dropped or truncated chunks fail to decrypt instead of restoring
part of a database.
"""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"CRADLEBK1\n"
CHUNK = 1 << 20


class BackupKeyError(ValueError):
    """The backup key is missing or malformed."""


class BackupIntegrityError(ValueError):
    """The backup file was altered, truncated, or encrypted with another key."""


def load_key(text: str | None) -> bytes:
    """The 32-byte key from its base64 form (CRADLE_BACKUP_KEY); `cradle backup --new-key` makes one."""
    if not text:
        raise BackupKeyError("CRADLE_BACKUP_KEY is not set: backups are always encrypted")
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError:
        raise BackupKeyError("CRADLE_BACKUP_KEY is not base64") from None
    if len(key) != 32:
        raise BackupKeyError(f"CRADLE_BACKUP_KEY must be 32 bytes, got {len(key)}")
    return key


def new_key() -> str:
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()


def encrypt(key: bytes, header: bytes, source: BinaryIO, out: BinaryIO) -> None:
    """Writes MAGIC, the (authenticated, readable) header, then the encrypted chunks of `source`."""
    aes = AESGCM(key)
    prefix = os.urandom(8)
    out.write(MAGIC + prefix + struct.pack(">I", len(header)) + header)
    counter = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        nonce = prefix + struct.pack(">I", counter)
        sealed = aes.encrypt(nonce, chunk, header + (b"L" if last else b"C") + struct.pack(">I", counter))
        out.write(struct.pack(">I", len(sealed)) + sealed)
        if last:
            return
        chunk, counter = following, counter + 1


def read_header(source: BinaryIO) -> tuple[bytes, bytes]:
    """(nonce prefix, header) from the start of a backup file."""
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupIntegrityError("not a cradle backup file")
    prefix = source.read(8)
    (size,) = struct.unpack(">I", source.read(4))
    return prefix, source.read(size)


def decrypt(key: bytes, source: BinaryIO) -> Iterator[bytes]:
    """The plaintext chunks, after read_header(); raises BackupIntegrityError on any tampering."""
    source.seek(0)
    prefix, header = read_header(source)
    aes = AESGCM(key)
    counter = 0
    while True:
        raw = source.read(4)
        if len(raw) < 4:
            raise BackupIntegrityError("the backup file is truncated")
        (size,) = struct.unpack(">I", raw)
        sealed = source.read(size)
        nonce = prefix + struct.pack(">I", counter)
        for flag in (b"C", b"L"):
            try:
                plain = aes.decrypt(nonce, sealed, header + flag + struct.pack(">I", counter))
            except InvalidTag:
                continue
            yield plain
            if flag == b"L":
                if source.read(1):
                    raise BackupIntegrityError("data after the last chunk")
                return
            break
        else:
            raise BackupIntegrityError("the backup file was altered or the key is wrong")
        counter += 1
