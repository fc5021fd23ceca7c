"""The request journal (the test-control API, SPEC §5): the last N requests of every worker,
kept in the database, secrets redacted before anything is stored."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from partnerhub import providers
from partnerhub.domain.bounds import length
from partnerhub.domain.redaction import SECRET_KEYS, redact_body, redact_pairs
from partnerhub.domain.test_control import METHODS, SURFACES, JournalEntry, JournalFilter
from partnerhub.errors import ValidationFailed
from partnerhub.storage.database import Database
from partnerhub.storage.unit_of_work import UnitOfWork

MAX_LIMIT = 10_000


@cache
def secret_keys() -> frozenset[str]:
    """Every key whose value the journal never keeps: the common secret names and every
    provider's secret settings (the ones Hood integrations store encrypted)."""
    names = {f for p in providers.all() for f in p.secret_fields}
    return SECRET_KEYS | {n.lower() for n in names}


@dataclass(frozen=True, slots=True)
class Request:
    """One answered request, as the journal middleware saw it (body not yet redacted)."""

    at: datetime
    method: str
    path: str
    query: str
    status: int
    surface: str
    account_id: int | None
    request_id: str
    duration_ms: float
    fault_id: int | None
    body: bytes  # as much of it as was kept
    body_size: int
    content_type: str | None


async def record(db: Database, request: Request, *, keep: int) -> None:
    keys = secret_keys()
    entry: dict[str, Any] = {
        "at": request.at,
        "method": request.method[: length("test_journal", "method")],
        "path": request.path,
        "query": redact_pairs(request.query, keys) if request.query else "",
        "status": request.status,
        "surface": request.surface,
        "account_id": request.account_id,
        "request_id": request.request_id[: length("test_journal", "request_id")],
        "duration_ms": request.duration_ms,
        "fault_id": request.fault_id,
        "body": redact_body(request.body, request.content_type, keys)
        if len(request.body) == request.body_size
        else {"unrecorded_bytes": request.body_size},
    }
    async with db.transaction(write=True) as uow:
        await uow.test_control.record(entry, keep=keep)


def journal_filter(
    *,
    surface: str | None,
    method: str | None,
    path_prefix: str | None,
    status: int | None,
    limit: int,
) -> JournalFilter:
    if surface is not None and surface not in SURFACES:
        raise ValidationFailed.one("surface", f"surface must be one of {', '.join(SURFACES)}.")
    if method is not None and method.upper() not in METHODS:
        raise ValidationFailed.one("method", f"method must be one of {', '.join(METHODS)}.")
    if status is not None and not 100 <= status <= 599:
        raise ValidationFailed.one("status", "status must be an HTTP status, 100 to 599.")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed.one("limit", f"limit must be 1 to {MAX_LIMIT}.")
    return JournalFilter(
        surface=surface,
        method=method.upper() if method else None,
        path_prefix=path_prefix or None,
        status=status,
        limit=limit,
    )


async def list(uow: UnitOfWork, query: JournalFilter) -> builtins.list[JournalEntry]:
    return await uow.test_control.journal(query)


async def clear(uow: UnitOfWork) -> None:
    await uow.test_control.clear_journal()
