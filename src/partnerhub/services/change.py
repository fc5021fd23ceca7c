"""The one way to change a versioned object: bump its version, write the row, record history.

Every write of every surface comes here, inside the caller's transaction, so that what "a
change" means lives in one place (and the change event of a later issue is added once, here).
Writes of many objects at once (cascades, bulk creates) are set-based: one row statement and one
history statement for N objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.history import Changes, HistoryEntry
from partnerhub.domain.objects import Kind
from partnerhub.errors import Conflict
from partnerhub.storage.repos.changes import Key
from partnerhub.storage.unit_of_work import UnitOfWork

__all__ = [
    "Key",
    "Target",
    "create",
    "create_many",
    "created",
    "delete",
    "delete_many",
    "update",
    "update_many",
]


@dataclass(frozen=True, slots=True)
class Target:
    """A stored object as the change finds it (read under the caller's lock)."""

    kind: Kind
    key: Key
    version: int
    history_id: str | None = None  # how history names it, when not by its key

    @property
    def name(self) -> str:
        return self.history_id if self.history_id is not None else str(self.key)


def created(state: Mapping[str, Any]) -> Changes:
    """A new object's history: every field that has a value, from nothing."""
    return {k: {"old": None, "new": v} for k, v in sorted(state.items()) if v is not None}


def _entry(
    actor: Actor, kind: Kind, name: str, version: int, action: str, changes: Changes, at: datetime
) -> HistoryEntry:
    return HistoryEntry(
        object_type=kind.value,
        object_id=name,
        version=version,
        action=action,
        surface=actor.surface,
        token_id=actor.token_id,
        changed_at=at,
        changes=changes,
        source=actor.source,
    )


def _one_kind(items: Sequence[tuple[Target, Changes]]) -> Kind:
    kinds = {t.kind for t, _ in items}
    if len(kinds) != 1:
        raise ValueError(f"one kind of object per set-based change, not {sorted(kinds)}")
    return kinds.pop()


async def create(
    uow: UnitOfWork,
    actor: Actor,
    kind: Kind,
    row: Mapping[str, Any],
    *,
    changes: Changes,
    at: datetime | None = None,
    history_id: str | None = None,
    key: Key | None = None,
) -> Key:
    """Insert `row` at version 1 (the object's time columns are the caller's); its key.
    `key`: the key to give it (a seed file's stated id) instead of an issued one; a key in use
    in any account is a Conflict."""
    if key is not None:
        if await uow.changes.key_taken(kind, key):
            raise Conflict(f"The id {key} is already in use.", field="id")
        row = {**row, "id": key}
    (made,) = await create_many(uow, actor, kind, [(row, changes, history_id)], at=at or utcnow())
    return made


async def create_many(
    uow: UnitOfWork,
    actor: Actor,
    kind: Kind,
    items: Sequence[tuple[Mapping[str, Any], Changes, str | None]],
    *,
    at: datetime | None = None,
    if_absent: bool = False,
) -> list[Key]:
    """Insert rows at version 1, each with its history changes and history id (None: its key);
    their keys. `if_absent` (one row whose key is given): nothing happens if the key exists,
    and no key is returned."""
    when = at or utcnow()
    keys = await uow.changes.insert(
        kind, actor.account_id, [{**row, "version": 1} for row, _, _ in items], if_absent=if_absent
    )
    await uow.history.add(
        actor.account_id,
        [
            _entry(actor, kind, hid if hid is not None else str(key), 1, "create", changes, when)
            for key, (_, changes, hid) in zip(keys, items, strict=not if_absent)
        ],
    )
    return keys


async def update(
    uow: UnitOfWork,
    actor: Actor,
    target: Target,
    *,
    values: Mapping[str, Any],
    changes: Changes,
    action: str = "update",
    at: datetime | None = None,
) -> int:
    """Write `values` and one history entry; the new version. No changes: nothing is written
    and the version stays."""
    if not changes:
        return target.version
    when = at or utcnow()
    version = target.version + 1
    entry = _entry(actor, target.kind, target.name, version, action, changes, when)
    await uow.changes.update(
        target.kind, actor.account_id, target.key, values, version=version, at=when, entry=entry
    )
    return version


async def update_many(
    uow: UnitOfWork,
    actor: Actor,
    items: Sequence[tuple[Target, Changes]],
    *,
    values: Mapping[str, Any],
    action: str = "update",
    at: datetime | None = None,
) -> None:
    """The same `values` on many objects of one kind (a cascade): each object's version one up
    and its own history entry, in one UPDATE and one history INSERT. Objects without changes
    are left alone."""
    changed = [(t, c) for t, c in items if c]
    if not changed:
        return
    kind = _one_kind(changed)
    when = at or utcnow()
    await uow.changes.update_many(
        kind, actor.account_id, [t.key for t, _ in changed], values, at=when
    )
    await uow.history.add(
        actor.account_id,
        [_entry(actor, kind, t.name, t.version + 1, action, c, when) for t, c in changed],
    )


async def delete(
    uow: UnitOfWork, actor: Actor, target: Target, *, changes: Changes, at: datetime | None = None
) -> None:
    await delete_many(uow, actor, [(target, changes)], at=at)


async def delete_many(
    uow: UnitOfWork,
    actor: Actor,
    items: Sequence[tuple[Target, Changes]],
    *,
    at: datetime | None = None,
) -> None:
    """Delete objects of one kind; each one's last history entry is at its version one up."""
    if not items:
        return
    kind = _one_kind(items)
    when = at or utcnow()
    await uow.changes.delete(kind, actor.account_id, [t.key for t, _ in items])
    await uow.history.add(
        actor.account_id,
        [_entry(actor, kind, t.name, t.version + 1, "delete", c, when) for t, c in items],
    )
