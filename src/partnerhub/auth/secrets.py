"""Integration secrets encrypted at rest.

Fernet (AES-128-CBC with HMAC-SHA256) under a key derived with HKDF-SHA256 from
PARTNERHUB_SECRET_KEY. While keys rotate, tokens made under one of PARTNERHUB_SECRET_KEY_PREVIOUS
still decrypt, and `rotate` re-encrypts them under the current key. Neither keys nor values are
ever logged, shown in a repr or put into an error message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from partnerhub.errors import DomainError

_SALT = b"partnerhub/secrets/hkdf-salt"
_INFO = b"partnerhub secrets v1"
_FINGERPRINT_INFO = b"partnerhub fingerprints v1"


class UndecryptableSecret(DomainError):
    """A stored secret fails authentication: altered, or encrypted under a key not configured."""

    status = 500
    code = "UNDECRYPTABLE_SECRET"

    def __init__(self) -> None:
        super().__init__(
            "A stored secret cannot be decrypted: it was altered, or encrypted under a key that "
            "is neither PARTNERHUB_SECRET_KEY nor one of PARTNERHUB_SECRET_KEY_PREVIOUS."
        )


def _derive(secret: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=info).derive(secret.encode())


def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(secret, _INFO)))


class Secrets:
    """Encrypts under `current`; decrypts under `current` or any of `previous`."""

    def __init__(self, current: str, previous: Iterable[str] = ()) -> None:
        if not current:
            raise ValueError("the secret key must not be empty")
        older = [key.strip() for key in previous if key.strip()]
        self._current = _fernet(current)
        self._fingerprint_key = _derive(current, _FINGERPRINT_INFO)
        self._all = MultiFernet([self._current, *map(_fernet, older)])
        self._count = 1 + len(older)

    def __repr__(self) -> str:
        return f"<Secrets: {self._count} key(s)>"

    def fingerprint(self, text: str) -> str:
        """A keyed digest (HMAC-SHA256 under its own key derived from the current key): equal
        texts give equal fingerprints, and without the key it tells nothing about the text.
        It changes with the current key (`partnerhub secrets rotate` recomputes stored ones)."""
        return hmac.new(self._fingerprint_key, text.encode(), hashlib.sha256).hexdigest()

    def encrypt(self, plain: str) -> str:
        return self._current.encrypt(plain.encode()).decode()

    def decrypt(self, token: str, *, ttl: int | None = None) -> str:
        """The plain value; UndecryptableSecret also when `ttl` is given and the token was made
        more than `ttl` seconds ago."""
        try:
            return self._all.decrypt(token.encode(), ttl=ttl).decode()
        except InvalidToken:
            raise UndecryptableSecret from None

    def rotate(self, token: str) -> str:
        """The same value encrypted under the current key."""
        try:
            return self._all.rotate(token.encode()).decode()
        except InvalidToken:
            raise UndecryptableSecret from None

    def needs_rotation(self, token: str) -> bool:
        """True when `token` was made under a previous key (UndecryptableSecret: under none)."""
        try:
            self._current.decrypt(token.encode())
        except InvalidToken:
            self.decrypt(token)
            return True
        return False
