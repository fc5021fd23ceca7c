"""Password hashing with argon2id (argon2-cffi). Hashes only; a password is never stored or logged.

Parameters follow OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): slow enough to make a
stolen hash expensive to attack, fast enough (~10-20 ms) for a login endpoint.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
# Stored for partners that cannot log in (e.g. roots created by a migration): never verifies.
UNUSABLE = "!"


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; False for a mismatch or an unusable/garbled hash."""
    if password_hash == UNUSABLE:
        return False
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
