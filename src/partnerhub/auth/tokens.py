"""API tokens: random, prefixed `ph_`, shown once, stored only as a SHA-256 hash.

Tokens carry 256 bits of randomness, so a fast hash is safe here (no dictionary to attack);
passwords, which are low-entropy, use argon2 instead (see `passwords`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

TOKEN_PREFIX = "ph_"  # noqa: S105 - a public prefix, not a secret
_DISPLAY_CHARS = 10


@dataclass(frozen=True, slots=True)
class MintedToken:
    secret: str
    token_hash: str
    display_prefix: str


def mint() -> MintedToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return MintedToken(secret, hash_token(secret), secret[:_DISPLAY_CHARS])


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def looks_like_token(secret: str) -> bool:
    return secret.startswith(TOKEN_PREFIX) and 10 < len(secret) < 200
