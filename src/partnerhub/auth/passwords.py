"""Password hashing with argon2id (argon2-cffi). Hashes only; a password is never stored or logged.

Parameters follow OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): slow enough to make a
stolen hash expensive to attack, fast enough (~10-30 ms) for a login endpoint.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
# Stored for partners that cannot log in (e.g. roots created by a migration): never verifies.
UNUSABLE = "!"
# Verified against instead of an unusable or garbled hash, so that every failed check costs
# the same as a wrong password (nothing to learn from the time an answer takes).
_STAND_IN = _HASHER.hash("partnerhub-stand-in-for-an-unusable-password")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; False for a mismatch or an unusable/garbled hash, after
    the same work in every case."""
    usable = password_hash != UNUSABLE and password_hash.startswith("$argon2")
    try:
        return _HASHER.verify(password_hash if usable else _STAND_IN, password) and usable
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
