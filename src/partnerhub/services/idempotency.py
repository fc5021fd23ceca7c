"""Idempotency-Key for creates: a retry with the same key and body replays the first answer.

The key is claimed inside the create's own transaction, so the claim, the created object and
the stored answer commit together or not at all; a concurrent retry waits on the claim.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.errors import IdempotencyMismatch, ValidationFailed
from partnerhub.storage.unit_of_work import UnitOfWork

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True, slots=True)
class Replay:
    status_code: int
    body: bytes
    headers: dict[str, str]


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def check_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed.one(
            "Idempotency-Key",
            f"Idempotency-Key must be 1–{MAX_KEY_LENGTH} printable characters.",
        )
    return key


async def claim(uow: UnitOfWork, actor: Actor, *, key: str, fingerprint: str) -> Replay | None:
    """None: go ahead and create. A Replay: answer it instead. Raises on a reused key."""
    earlier = await uow.idempotency.claim(
        actor.account_id,
        actor.surface,
        check_key(key),
        fingerprint,
        older_than=utcnow() - KEY_LIFETIME,
    )
    if earlier is None:
        return None
    if earlier.request_hash != fingerprint or earlier.status_code is None:
        raise IdempotencyMismatch()
    return Replay(earlier.status_code, earlier.body or b"", earlier.headers)


async def remember(
    uow: UnitOfWork,
    actor: Actor,
    *,
    key: str,
    status_code: int,
    body: bytes,
    headers: dict[str, str],
) -> None:
    await uow.idempotency.store(
        actor.account_id, actor.surface, key, status_code=status_code, body=body, headers=headers
    )
