"""Field-level encryption of ID and phone numbers at rest, with a rotating keyring.

Why deterministic: a person is found by ID number (`Person.id_number == x`) and ingest joins feeds to persons on
it in SQL. Deterministic authenticated encryption (SIV) gives equal plaintexts equal ciphertexts under one key,
so those equality queries, joins and unique constraints keep working with no change at their call sites; a
separate HMAC blind-index column would have needed a second column and a changed query at every one of them.
What SIV gives away is equality (two rows hold the same number), which the unique indexes expose anyway.

Stored form: `$<alg>$<key id>$<base64url>` (alg `a` = AES-256-SIV, `s` = SM4-SIV), so a value names the key and
algorithm that decrypt it: reads accept every key in the ring, and `cradle keys rotate` re-encrypts what is not
under the current one. Plain ID and phone numbers never start with `$`, so rows written before encryption are
told apart (read as they are, encrypted by the migration or the rotation).

SM4-SIV is the SIV construction (RFC 5297 §2 generic composition) with GB/T algorithms: the synthetic IV is
HMAC-SM3 of the plaintext, cut to 16 bytes, and the plaintext is encrypted with SM4-CTR from that IV.

Configuration: `CRADLE_FIELD_KEYS` = `id:base64key,id:base64key,…` (32-byte keys, the first is current);
`CRADLE_CRYPTO` = `aes` (default) or `sm`. Without keys a fixed development key serves the embedded demo;
`CRADLE_ENV=production` refuses it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import String, Text, type_coerce
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from cradle.config import Settings, env_reader, get_settings

ALGORITHMS = {"aes": "a", "sm": "s"}
DEV_KEY_ID = "dev"
_DEV_KEY = hashlib.sha256(b"cradle embedded demo field key - not for production").digest()
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
_MASK128 = (1 << 128) - 1
WIDTH = 96  # column width holding an encrypted ID (18) or phone (20) number with room to spare


class FieldKeyError(ValueError):
    """CRADLE_FIELD_KEYS or CRADLE_CRYPTO is malformed, or a value's key is not in the ring."""


class FieldIntegrityError(ValueError):
    """A stored value fails authentication: altered, or written under another key of the same id."""


def crypto_mode() -> str:
    return _mode(get_settings())


def _mode(settings: Settings) -> str:
    mode = settings.crypto.strip().lower() or "aes"
    if mode not in ALGORITHMS:
        raise FieldKeyError(f"CRADLE_CRYPTO must be one of {', '.join(ALGORITHMS)}, got {mode!r}")
    return mode


def audit_hash_name() -> str:
    """The hash a new audit chain uses: SM3 in `sm` mode, SHA-256 otherwise."""
    return "sm3" if crypto_mode() == "sm" else "sha256"


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


class _AesSiv:
    def __init__(self, master: bytes):
        key = HKDF(hashes.SHA256(), 64, salt=None, info=b"cradle field aes-256-siv").derive(master)
        self._siv = AESSIV(key)

    def seal(self, data: bytes) -> bytes:
        return self._siv.encrypt(data, None)

    def open(self, blob: bytes) -> bytes:
        return self._siv.decrypt(blob, None)


class _Sm4Siv:
    def __init__(self, master: bytes):
        key = HKDF(hashes.SM3(), 48, salt=None, info=b"cradle field sm4-siv").derive(master)
        self._mac = hmac.new(key[:32], digestmod="sm3")
        self._enc = key[32:]
        self._local = threading.local()  # a cipher context is not shared between threads

    def _iv(self, data: bytes) -> bytes:
        mac = self._mac.copy()
        mac.update(data)
        return mac.digest()[:16]

    def _ctr(self, iv: bytes, data: bytes) -> bytes:
        """SM4-CTR (128-bit big-endian counter from `iv`, as `modes.CTR`), its key stream from one SM4-ECB context
        per thread: making a CTR context per value cost three times the rest of the work."""
        ecb = getattr(self._local, "ecb", None)
        if ecb is None:
            ecb = self._local.ecb = Cipher(algorithms.SM4(self._enc), modes.ECB()).encryptor()
        start = int.from_bytes(iv, "big")
        counters = b"".join(((start + i) & _MASK128).to_bytes(16, "big") for i in range(-(-len(data) // 16)))
        stream = ecb.update(counters)
        return bytes(a ^ b for a, b in zip(data, stream, strict=False))

    def seal(self, data: bytes) -> bytes:
        iv = self._iv(data)
        return iv + self._ctr(iv, data)

    def open(self, blob: bytes) -> bytes:
        iv, body = blob[:16], blob[16:]
        data = self._ctr(iv, body)
        if len(iv) != 16 or not hmac.compare_digest(iv, self._iv(data)):
            raise InvalidTag()
        return data


_CIPHERS = {"a": _AesSiv, "s": _Sm4Siv}


# A value's base64url body as standard base64 bytes, and the padding its length lacks
_URLSAFE = bytes.maketrans(b"-_", b"+/")
_PAD = ("", "===", "==", "=")


@dataclass(frozen=True)
class Keyring:
    keys: tuple[tuple[str, bytes], ...]  # (id, 32-byte key), current first
    alg: str  # "a" | "s": the algorithm new values are written with
    # (alg, key id) -> cipher, found once: a read decrypts every value it returns
    _ciphers: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    @property
    def current(self) -> str:
        return self.keys[0][0]

    @property
    def prefix(self) -> str:
        """How every value under the current key and algorithm begins (`$a$k2$`)."""
        return f"${self.alg}${self.current}$"

    def _cipher(self, alg: str, kid: str):
        found = self._ciphers.get((alg, kid))
        if found is None:
            found = self._ciphers[alg, kid] = _cipher(alg, kid, dict(self.keys).get(kid) or _missing(kid))
        return found

    def encrypt(self, value: str, alg: str | None = None, kid: str | None = None) -> str:
        alg, kid = alg or self.alg, kid or self.current
        blob = self._cipher(alg, kid).seal(value.encode())
        return f"${alg}${kid}${base64.urlsafe_b64encode(blob).rstrip(b'=').decode()}"

    def decrypt(self, stored: str) -> str:
        if not is_encrypted(stored):
            return stored  # written before encryption; the migration or `cradle keys rotate` encrypts it
        try:
            _, alg, kid, body = stored.split("$", 3)
            # base64.urlsafe_b64decode, without its generic steps (half the cost); the same bytes and refusals
            blob = binascii.a2b_base64((body + _PAD[len(body) % 4]).encode("ascii").translate(_URLSAFE))
            return self._cipher(alg, kid).open(blob).decode()
        except (InvalidTag, ValueError, KeyError) as e:
            if isinstance(e, FieldKeyError):
                raise
            raise FieldIntegrityError(f"stored value under key {stored[:12]}… fails authentication") from None

    def candidates(self, value: str) -> list[str]:
        """`value` as stored under each key and algorithm: what an equality lookup matches while a rotation
        has not reached every row yet."""
        return [self.encrypt(value, alg, kid) for kid, _ in self.keys for alg in _CIPHERS]

    def encrypt_many(self, values) -> list[str | None]:
        """A column of values at once, for set-based writes (staging tables, COPY): the same text `encrypt`
        gives, with the cipher and prefix looked up once instead of per value (a third of the cost)."""
        seal, pre = self._cipher(self.alg, self.current).seal, self.prefix
        b64 = base64.urlsafe_b64encode
        return [None if v is None else pre + b64(seal(v.encode())).rstrip(b"=").decode() for v in values]

    def decrypt_many(self, values) -> list[str | None]:
        """A column of stored values at once, for bulk reads (`as_stored`): the same text and refusals `decrypt`
        gives; a value under the current key and algorithm is opened with the cipher looked up once."""
        pre, dec = self.prefix, self.decrypt
        skip, open_ = len(pre), self._cipher(self.alg, self.current).open
        a2b, pad, urlsafe = binascii.a2b_base64, _PAD, _URLSAFE
        out: list[str | None] = []
        add = out.append
        for v in values:
            if v is None:
                add(None)
            elif v.startswith(pre):
                body = v[skip:]
                try:
                    add(open_(a2b((body + pad[len(body) % 4]).encode("ascii").translate(urlsafe))).decode())
                except (InvalidTag, ValueError):
                    add(dec(v))  # raises FieldIntegrityError, as a read of the one value does
            else:
                add(dec(v))
        return out


def _missing(kid: str):
    raise FieldKeyError(f"key {kid!r} is not in CRADLE_FIELD_KEYS")


@lru_cache(maxsize=64)
def _cipher(alg: str, kid: str, key: bytes):
    if alg not in _CIPHERS:
        raise FieldKeyError(f"unknown field algorithm {alg!r}")
    return _CIPHERS[alg](key)


def is_encrypted(value: str | None) -> bool:
    return bool(value) and value.startswith("$")


def parse_keys(text: str) -> tuple[tuple[str, bytes], ...]:
    keys = []
    for n, part in enumerate(p.strip() for p in text.split(",") if p.strip()):
        kid, sep, b64 = part.partition(":")
        if not sep or not _KEY_ID.match(kid):
            raise FieldKeyError(f"CRADLE_FIELD_KEYS entry {n + 1}: expected id:base64key with a short id")
        try:
            key = base64.b64decode(b64, validate=True)
        except ValueError:
            raise FieldKeyError(f"CRADLE_FIELD_KEYS entry {n + 1} ({kid}): key is not base64") from None
        if len(key) != 32:
            raise FieldKeyError(
                f"CRADLE_FIELD_KEYS entry {n + 1} ({kid}): key must be 32 bytes, got {len(key)}"
            )
        if kid in dict(keys):
            raise FieldKeyError(f"CRADLE_FIELD_KEYS entry {n + 1}: key id {kid} appears twice")
        keys.append((kid, key))
    if not keys:
        raise FieldKeyError("CRADLE_FIELD_KEYS holds no key")
    return tuple(keys)


# The variables a ring is made from, and the ring of those asked last: each value read asks again, and reading
# these three costs a fifth of reading every setting
_RING_VARIABLES = env_reader("FIELD_KEYS", "CRYPTO", "ENV")
_last: tuple[tuple, Keyring] | None = None


def keyring() -> Keyring:
    """The ring from the environment (read each time, parsed once per distinct setting)."""
    global _last
    now = _RING_VARIABLES()
    last = _last
    if last is not None and last[0] == now:
        return last[1]
    settings = get_settings()
    ring = _ring(settings.field_keys, _mode(settings), settings.production)
    _last = (now, ring)
    return ring


@lru_cache(maxsize=8)
def _ring(keys_text: str, mode: str, production: bool) -> Keyring:
    if keys_text.strip():
        keys = parse_keys(keys_text)
    elif production:
        raise FieldKeyError("CRADLE_FIELD_KEYS is not set: production refuses the development field key")
    else:
        keys = ((DEV_KEY_ID, _DEV_KEY),)
    return Keyring(keys, ALGORITHMS[mode])


class EncryptedString(TypeDecorator):
    """A string column stored encrypted; `==`, `!=` and `in_` compare with the value as stored under every key
    in the ring, so lookups work the same before, during and after a rotation."""

    impl = String  # a class, so that the length below reaches the column
    cache_ok = True

    # a plain value of n bytes takes about 4(n + 16)/3 + 8 characters
    def __init__(self, length: int = WIDTH):
        super().__init__(length)

    def process_bind_param(self, value, dialect):
        return None if value is None else keyring().encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else keyring().decrypt(value)

    class comparator_factory(TypeDecorator.Comparator):
        def operate(self, op, *other, **kw):
            raw = type_coerce(self.expr, String(self.type.impl.length))
            if op in (operators.eq, operators.ne) and isinstance(other[0], str):
                stored = keyring().candidates(other[0])
                return raw.in_(stored) if op is operators.eq else raw.not_in(stored)
            if (
                op in (operators.in_op, operators.not_in_op)
                and isinstance(other[0], list | tuple | set)
                and all(isinstance(v, str) for v in other[0])
            ):
                ring = keyring()
                stored = [c for v in other[0] for c in ring.candidates(v)]
                return raw.in_(stored) if op is operators.in_op else raw.not_in(stored)
            return super().operate(op, *other, **kw)


def as_stored(column):
    """`column` read as stored: an encrypted column's text undecrypted, under its own name; any other column as
    it is. For a read of many rows that decrypts the column at once (`Keyring.decrypt_many`): through the
    column type each value costs a look-up of the ring and SQLAlchemy's call of the type besides."""
    if isinstance(column.type, EncryptedString):
        return type_coerce(column, String(column.type.impl.length)).label(column.key)
    return column


class EncryptedJSON(TypeDecorator):
    """A JSON document stored encrypted as text (the same SIV), for snapshots that carry ID numbers and are read
    whole, never queried inside."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return keyring().encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))

    def process_result_value(self, value, dialect):
        return None if value is None else json.loads(keyring().decrypt(value))
