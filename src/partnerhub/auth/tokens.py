"""API tokens: random, prefixed `ph_`, shown once, stored only as a SHA-256 hash.

Tokens carry 256 bits of randomness, so a fast hash is safe here (no dictionary to attack);
passwords, which are low-entropy, use argon2 instead (see `passwords`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from partnerhub.errors import ValidationFailed

TOKEN_PREFIX = "ph_"  # noqa: S105 - a public prefix, not a secret
_DISPLAY_CHARS = 10
# A token chosen by the operator (PARTNERHUB_BOOTSTRAP_TOKEN, a seed file) must look like a
# minted one ("ph_" and 43 URL-safe characters) and carry at least 32 of them after the prefix
# (192 bits if random); the upper bound is what `looks_like_token` accepts.
KNOWN_SECRET_MIN_CHARS = 32
KNOWN_SECRET_MAX_CHARS = 196
_KNOWN = re.compile(r"ph_[A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class MintedToken:
    secret: str
    token_hash: str
    display_prefix: str


def mint() -> MintedToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return MintedToken(secret, hash_token(secret), secret[:_DISPLAY_CHARS])


def known(secret: str, field: str) -> MintedToken:
    """An operator-chosen token, checked against the form `mint` gives; `field` names it in
    the error."""
    if not _KNOWN.fullmatch(secret):
        raise ValidationFailed.one(
            field,
            f"{field} must be a token of the form ph_ followed by URL-safe characters "
            "(A-Z, a-z, 0-9, - and _), as `partnerhub tokens create` prints.",
        )
    length = len(secret) - len(TOKEN_PREFIX)
    if not KNOWN_SECRET_MIN_CHARS <= length <= KNOWN_SECRET_MAX_CHARS:
        raise ValidationFailed.one(
            field,
            f"{field} must have {KNOWN_SECRET_MIN_CHARS} to {KNOWN_SECRET_MAX_CHARS} "
            f"characters after ph_ (it has {length}).",
        )
    return MintedToken(secret, hash_token(secret), secret[:_DISPLAY_CHARS])


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def looks_like_token(secret: str) -> bool:
    return secret.startswith(TOKEN_PREFIX) and 10 < len(secret) < 200
