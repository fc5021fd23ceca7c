"""Recording and reading the change history of any object."""

from __future__ import annotations

import builtins
from collections.abc import Sequence

from partnerhub.domain.accounts import Actor
from partnerhub.domain.history import HistoryEntry
from partnerhub.storage.unit_of_work import UnitOfWork


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
