"""Recording and reading the change history of any object."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.history import Changes, HistoryEntry
from partnerhub.storage.unit_of_work import UnitOfWork


async def record(
    uow: UnitOfWork,
    actor: Actor,
    *,
    object_type: str,
    object_id: str | int,
    version: int,
    action: str,
    changes: Changes,
    at: datetime | None = None,
) -> None:
    """Write one history entry; `at` is the change's own timestamp (default: now)."""
    await uow.history.add(
        actor.account_id,
        [
            HistoryEntry(
                object_type=object_type,
                object_id=str(object_id),
                version=version,
                action=action,
                surface=actor.surface,
                token_id=actor.token_id,
                changed_at=at or utcnow(),
                changes=changes,
            )
        ],
    )


def created(state: dict[str, Any]) -> Changes:
    return {
        key: {"old": None, "new": value}
        for key, value in sorted(state.items())
        if value is not None
    }


async def list(
    uow: UnitOfWork,
    actor: Actor,
    *,
    object_type: str,
    object_id: str | int,
    limit: int,
    offset: int,
) -> tuple[int, builtins.list[HistoryEntry]]:
    return await uow.history.list(
        actor.account_id, object_type, str(object_id), limit=limit, offset=offset
    )


async def list_for_objects(
    uow: UnitOfWork,
    actor: Actor,
    *,
    object_type: str,
    object_ids: Sequence[str | int],
    limit_each: int,
) -> dict[str, builtins.list[HistoryEntry]]:
    """The newest `limit_each` entries of each object (keyed by its id as text), newest first."""
    return await uow.history.list_for_objects(
        actor.account_id, object_type, [str(i) for i in object_ids], limit_each=limit_each
    )
