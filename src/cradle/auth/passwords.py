"""Password hashing (argon2id, argon2-cffi's defaults) and the minimum rules for a new password."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cradle.web.nav import N_

_hasher = PasswordHasher()
MIN_LENGTH = 10
# Verifying against this keeps the time of an unknown user's attempt the same as a known one's.
_DUMMY = _hasher.hash("not-a-real-password")


def use_profile(parameters) -> None:
    """Swap the hashing parameters (tests use argon2's CHEAPEST profile; hashes carry their own parameters, so
    verifying keeps working across a swap)."""
    global _hasher, _DUMMY
    _hasher = PasswordHasher.from_parameters(parameters)
    _DUMMY = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    if len(password or "") < MIN_LENGTH:
        return N_("The password must have at least 10 characters.")
    if password.isdigit() or password.isalpha():
        return N_("The password must mix letters with digits or symbols.")
    return None
