"""Authenticated encryption of a backup stream: AES-256-GCM in 1 MiB chunks.

Each chunk's nonce is a random 8-byte prefix (per file) plus its 4-byte counter, and its associated data say
whether it is the last chunk, so reordered, dropped or truncated chunks fail to decrypt instead of restoring
part of a database. A missing or malformed key (field CRADLE_BACKUP_KEY) and an altered, truncated or foreign
file (field path) are refused with `cradle.errors.Invalid`.
"""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cradle.errors import N_, Invalid

MAGIC = b"CRADLEBK1\n"
CHUNK = 1 << 20
KEY = "CRADLE_BACKUP_KEY"


def _damaged(message_id: str) -> Invalid:
    return Invalid("path", message_id)


def load_key(text: str | None) -> bytes:
    """The 32-byte key from its base64 form (CRADLE_BACKUP_KEY); `cradle backup --new-key` makes one."""
    if not text:
        raise Invalid(KEY, N_("not set: backups are always encrypted"))
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError:
        raise Invalid(KEY, N_("not base64")) from None
    if len(key) != 32:
        raise Invalid(KEY, N_("must be 32 bytes, got %(size)s"), size=len(key))
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
        raise _damaged(N_("not a cradle backup file"))
    prefix = source.read(8)
    (size,) = struct.unpack(">I", source.read(4))
    return prefix, source.read(size)


def decrypt(key: bytes, source: BinaryIO) -> Iterator[bytes]:
    """The plaintext chunks, after read_header(); Invalid on any tampering."""
    source.seek(0)
    prefix, header = read_header(source)
    aes = AESGCM(key)
    counter = 0
    while True:
        raw = source.read(4)
        if len(raw) < 4:
            raise _damaged(N_("the backup file is truncated"))
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
                    raise _damaged(N_("data after the last chunk"))
                return
            break
        else:
            raise _damaged(N_("the backup file was altered or the key is wrong"))
        counter += 1
