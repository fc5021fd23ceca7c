"""CRM `partner_clients` objects: read, list, create, patch, archive, batches and search."""

from __future__ import annotations

import builtins
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

from partnerhub.domain import crm_search, ids
from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.crm_properties import (
    BUILTINS,
    Definitions,
    PropertyDef,
    Record,
    apply_values,
    property_field,
)
from partnerhub.domain.history import Changes, HistoryEntry, diff
from partnerhub.domain.objects import Kind
from partnerhub.domain.versioning import check_if_match
from partnerhub.errors import Conflict, DomainError, NotFound, ValidationFailed
from partnerhub.services import change, crm_properties, history
from partnerhub.storage.unit_of_work import UnitOfWork

OBJECT_TYPE = Kind.CRM_OBJECT.value
KIND = "partner_client"
MAX_BATCH = 100
HISTORY_LIMIT = 10_000
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ValueVersion:
    """One entry of `propertiesWithHistory`."""

    value: str
    timestamp: datetime
    source_type: str
    source_id: str


@dataclass(frozen=True, slots=True)
class BatchFailure:
    """One failed batch input: the error and the ids (or trace ids) it concerns."""

    error: DomainError
    context: dict[str, builtins.list[str]]


@dataclass(frozen=True, slots=True)
class Upserted:
    record: Record
    new: bool


def _id_property(defs: Definitions, id_property: str | None) -> PropertyDef | None:
    """None: address by record id. Else the unique property named by idProperty."""
    if id_property in (None, "", "hs_object_id"):
        return None
    assert id_property is not None
    prop = defs.unique().get(id_property)
    if prop is None:
        known = id_property in defs.readable()
        reason = "non-unique" if known else "unknown"
        raise ValidationFailed.one(
            "idProperty",
            f"Unable to perform the operation by {reason} property {id_property}.",
            "INVALID_ID_PROPERTY",
        )
    return prop


async def _resolve(
    uow: UnitOfWork, actor: Actor, defs: Definitions, object_id: str, id_property: str | None
) -> int:
    prop = _id_property(defs, id_property)
    if prop is None:
        return ids.numeric(object_id, KIND)
    owner = await uow.crm.unique_owner(actor.account_id, prop.name, object_id)
    if owner is None:
        raise NotFound(KIND, object_id[:64])
    return owner


async def _load(
    uow: UnitOfWork,
    actor: Actor,
    defs: Definitions,
    object_id: str,
    id_property: str | None,
    *,
    lock: bool = False,
    archived_ok: bool = False,
) -> Record:
    rid = await _resolve(uow, actor, defs, object_id, id_property)
    record = await uow.crm.get_object(actor.account_id, rid, lock=lock)
    if record is None or (record.archived and not archived_ok):
        raise NotFound(KIND, object_id[:64])
    return record


async def get(
    uow: UnitOfWork,
    actor: Actor,
    *,
    object_id: str,
    id_property: str | None = None,
    archived: bool = False,
) -> Record:
    """`archived=true` also finds archived objects (HubSpot's recycling bin)."""
    defs = await crm_properties.definitions(uow, actor)
    return await _load(uow, actor, defs, object_id, id_property, archived_ok=archived)


async def list(
    uow: UnitOfWork, actor: Actor, *, archived: bool, after: int | None, limit: int
) -> tuple[builtins.list[Record], int | None]:
    """A page in id order and the id the next page starts at (None on the last page)."""
    found = await uow.crm.list_objects(
        actor.account_id, archived=archived, after=after, limit=limit + 1
    )
    if len(found) > limit:
        return found[:limit], found[limit].id
    return found, None


async def _claim_uniques(
    uow: UnitOfWork,
    actor: Actor,
    defs: Definitions,
    record: Record,
    before: Mapping[str, str],
) -> None:
    for name in defs.unique():
        old, new = before.get(name), record.properties.get(name)
        if old == new:
            continue
        await uow.crm.release_unique(actor.account_id, record.id, name)
        if new is None:
            continue
        owner = await uow.crm.claim_unique(actor.account_id, record.id, name, new)
        if owner is not None:
            raise UniqueValueTaken(name, new, owner)


class UniqueValueTaken(Conflict):
    def __init__(self, name: str, value: str, owner: int) -> None:
        shown = value if len(value) <= 100 else value[:100] + "…"
        existing = f" Existing ID: {owner}" if owner > 0 else ""
        super().__init__(
            f"A partner_client with {name}={shown!r} already exists.{existing}",
            field=property_field(name),
        )
        self.name = name
        self.owner = owner


async def _create(
    uow: UnitOfWork,
    actor: Actor,
    defs: Definitions,
    values: Mapping[str, Any],
    id: int | None = None,
) -> Record:
    props = apply_values(defs.active(), {}, values)
    now = utcnow()
    row = {"properties": props, "archived": 0, "archived_at": None}
    key = await change.create(
        uow,
        actor,
        Kind.CRM_OBJECT,
        {**row, "created_at": now, "updated_at": now},
        changes=change.created(props),
        at=now,
        key=id,
    )
    record = Record(int(key), 1, dict(props), False, None, now, now)
    await _claim_uniques(uow, actor, defs, record, {})
    return record


async def _write(
    uow: UnitOfWork,
    actor: Actor,
    current: Record,
    updated: Record,
    field_changes: Changes,
    action: str,
) -> Record:
    version = await change.update(
        uow,
        actor,
        change.Target(Kind.CRM_OBJECT, current.id, current.version),
        values={
            "properties": updated.properties,
            "archived": int(updated.archived),
            "archived_at": updated.archived_at,
        },
        changes=field_changes,
        action=action,
        at=updated.updated_at,
    )
    return replace(updated, version=version)


async def create(
    uow: UnitOfWork, actor: Actor, *, values: Mapping[str, Any], id: int | None = None
) -> Record:
    """A new record; `id`: the id to give it (else one is issued)."""
    defs = await crm_properties.definitions(uow, actor)
    return await _create(uow, actor, defs, values, id)


async def _patch(
    uow: UnitOfWork,
    actor: Actor,
    defs: Definitions,
    current: Record,
    values: Mapping[str, Any],
    if_match: str | None = None,
) -> Record:
    check_if_match(if_match, current.version)
    props = apply_values(defs.active(), current.properties, values)
    field_changes = diff(current.properties, props)
    if not field_changes:
        return current
    updated = replace(current, properties=props, updated_at=utcnow())
    updated = await _write(uow, actor, current, updated, field_changes, "update")
    await _claim_uniques(uow, actor, defs, updated, current.properties)
    return updated


async def patch(
    uow: UnitOfWork,
    actor: Actor,
    *,
    object_id: str,
    values: Mapping[str, Any],
    id_property: str | None = None,
    if_match: str | None = None,
) -> Record:
    defs = await crm_properties.definitions(uow, actor)
    current = await _load(uow, actor, defs, object_id, id_property, lock=True)
    return await _patch(uow, actor, defs, current, values, if_match)


async def _set_archived(
    uow: UnitOfWork, actor: Actor, current: Record, archived: bool, if_match: str | None
) -> Record:
    check_if_match(if_match, current.version)
    if current.archived == archived:
        return current
    now = utcnow()
    updated = replace(
        current, archived=archived, archived_at=now if archived else None, updated_at=now
    )
    return await _write(
        uow,
        actor,
        current,
        updated,
        {"archived": {"old": current.archived, "new": archived}},
        "archive" if archived else "unarchive",
    )


async def archive(
    uow: UnitOfWork, actor: Actor, *, object_id: str, if_match: str | None = None
) -> Record:
    """Move to the recycling bin (idempotent: archiving an archived object changes nothing)."""
    defs = await crm_properties.definitions(uow, actor)
    current = await _load(uow, actor, defs, object_id, None, lock=True, archived_ok=True)
    return await _set_archived(uow, actor, current, True, if_match)


async def restore(
    uow: UnitOfWork, actor: Actor, *, object_id: str, if_match: str | None = None
) -> Record:
    defs = await crm_properties.definitions(uow, actor)
    current = await _load(uow, actor, defs, object_id, None, lock=True, archived_ok=True)
    return await _set_archived(uow, actor, current, False, if_match)


# Batches


def check_batch(inputs: Sequence[Any]) -> None:
    if not inputs:
        raise ValidationFailed.one("inputs", "inputs must hold at least one input.")
    if len(inputs) > MAX_BATCH:
        raise ValidationFailed.one(
            "inputs", f"inputs may hold at most {MAX_BATCH} items; got {len(inputs)}.", "TOO_MANY"
        )


async def _each(
    uow: UnitOfWork,
    items: Sequence[tuple[dict[str, builtins.list[str]], Callable[[], Awaitable[T]]]],
) -> tuple[builtins.list[T], builtins.list[BatchFailure]]:
    """Run each input in its own savepoint: a failing input rolls back alone."""
    done: builtins.list[T] = []
    failed: builtins.list[BatchFailure] = []
    for context, work in items:
        try:
            async with uow.crm.savepoint():
                done.append(await work())
        except DomainError as exc:
            failed.append(BatchFailure(exc, context))
    return done, failed


def _context(key: str, value: str | None, trace: str | None) -> dict[str, builtins.list[str]]:
    context: dict[str, builtins.list[str]] = {}
    if value is not None:
        context[key] = [value]
    if trace:
        context["objectWriteTraceId"] = [trace]
    return context


async def batch_read(
    uow: UnitOfWork,
    actor: Actor,
    *,
    ids: Sequence[str],
    id_property: str | None,
    archived: bool,
) -> tuple[builtins.list[Record], builtins.list[BatchFailure]]:
    check_batch(ids)
    defs = await crm_properties.definitions(uow, actor)
    found: builtins.list[Record] = []
    missing: builtins.list[str] = []
    for value in dict.fromkeys(ids):
        try:
            record = await _load(uow, actor, defs, value, id_property, archived_ok=archived)
        except NotFound:
            missing.append(value)
            continue
        if record.archived != archived:
            missing.append(value)
        else:
            found.append(record)
    failures = []
    if missing:
        error = NotFound(
            KIND,
            ", ".join(missing),
            detail="Could not get some partner_clients objects, they may be deleted or not "
            f"exist. Check that ids are valid: [{', '.join(missing)}].",
        )
        failures.append(BatchFailure(error, {"ids": missing}))
    return found, failures


async def batch_create(
    uow: UnitOfWork, actor: Actor, *, inputs: Sequence[tuple[Mapping[str, Any], str | None]]
) -> tuple[builtins.list[Record], builtins.list[BatchFailure]]:
    """`inputs`: (properties, objectWriteTraceId) pairs."""
    check_batch(inputs)
    defs = await crm_properties.definitions(uow, actor)

    def job(values: Mapping[str, Any]) -> Callable[[], Awaitable[Record]]:
        return lambda: _create(uow, actor, defs, values)

    return await _each(
        uow,
        [
            (_context("index", str(i), trace), job(values))
            for i, (values, trace) in enumerate(inputs)
        ],
    )


@dataclass(frozen=True, slots=True)
class BatchUpdate:
    id: str
    values: Mapping[str, Any]
    id_property: str | None = None
    trace: str | None = None


async def batch_update(
    uow: UnitOfWork, actor: Actor, *, inputs: Sequence[BatchUpdate]
) -> tuple[builtins.list[Record], builtins.list[BatchFailure]]:
    check_batch(inputs)
    defs = await crm_properties.definitions(uow, actor)

    def job(item: BatchUpdate) -> Callable[[], Awaitable[Record]]:
        async def run() -> Record:
            current = await _load(uow, actor, defs, item.id, item.id_property, lock=True)
            return await _patch(uow, actor, defs, current, item.values)

        return run

    return await _each(uow, [(_context("ids", item.id, item.trace), job(item)) for item in inputs])


async def batch_upsert(
    uow: UnitOfWork, actor: Actor, *, inputs: Sequence[BatchUpdate]
) -> tuple[builtins.list[Upserted], builtins.list[BatchFailure]]:
    """By a unique `idProperty`: update the object holding `id`, or create one with it."""
    check_batch(inputs)
    defs = await crm_properties.definitions(uow, actor)

    def job(item: BatchUpdate) -> Callable[[], Awaitable[Upserted]]:
        async def run() -> Upserted:
            prop = _id_property(defs, item.id_property)
            if prop is None:
                raise ValidationFailed.one(
                    "idProperty",
                    "Upsert needs idProperty naming a unique property (hasUniqueValue).",
                    "INVALID_ID_PROPERTY",
                )
            owner = await uow.crm.unique_owner(actor.account_id, prop.name, item.id)
            record = (
                await uow.crm.get_object(actor.account_id, owner, lock=True)
                if owner is not None
                else None
            )
            if record is not None and record.archived:
                raise NotFound(KIND, item.id[:64])
            if record is None:
                try:
                    async with uow.crm.savepoint():
                        values = {**item.values, prop.name: item.id}
                        return Upserted(await _create(uow, actor, defs, values), True)
                except UniqueValueTaken as taken:
                    # A concurrent upsert created it since we looked: update that one instead.
                    if taken.name != prop.name or taken.owner <= 0:
                        raise
                    record = await uow.crm.get_object(actor.account_id, taken.owner, lock=True)
                    if record is None or record.archived:
                        raise
            return Upserted(await _patch(uow, actor, defs, record, item.values), False)

        return run

    return await _each(uow, [(_context("ids", item.id, item.trace), job(item)) for item in inputs])


async def batch_archive(uow: UnitOfWork, actor: Actor, *, ids: Sequence[str]) -> None:
    """Archive every existing id; unknown ids are ignored (HubSpot answers 204 regardless)."""
    check_batch(ids)
    for value in dict.fromkeys(ids):
        try:
            await archive(uow, actor, object_id=value)
        except NotFound:
            continue


# Search


async def search(
    uow: UnitOfWork, actor: Actor, *, body: Any, body_chars: int
) -> tuple[int, builtins.list[Record], crm_search.SearchRequest]:
    defs = await crm_properties.definitions(uow, actor)
    request = crm_search.parse(body, defs.readable(), body_chars=body_chars)
    total, found = await uow.crm.search(actor.account_id, request)
    return total, found, request


# History


async def value_history(
    uow: UnitOfWork, actor: Actor, records: Sequence[Record], names: Sequence[str]
) -> dict[int, dict[str, builtins.list[ValueVersion]]]:
    """`propertiesWithHistory` of each record: newest first, the current value first."""
    result: dict[int, dict[str, builtins.list[ValueVersion]]] = {}
    if not names or not records:
        return result
    histories = await history.list_for_objects(
        uow,
        actor,
        object_type=OBJECT_TYPE,
        object_ids=[r.id for r in records],
        limit_each=HISTORY_LIMIT,
    )
    for record in records:
        entries = histories.get(str(record.id), [])
        per: dict[str, builtins.list[ValueVersion]] = {}
        for name in names:
            if name in BUILTINS:
                value = record.values()[name]
                stamp = record.updated_at if name == "hs_lastmodifieddate" else record.created_at
                per[name] = [ValueVersion(value, stamp, "API", "surface:crm")]
                continue
            per[name] = [
                ValueVersion(
                    "" if e.changes[name].get("new") is None else str(e.changes[name]["new"]),
                    e.changed_at,
                    "API",
                    e.author,
                )
                for e in entries
                if e.action in ("create", "update") and name in e.changes
            ]
        result[record.id] = per
    return result


async def changes(
    uow: UnitOfWork, actor: Actor, *, object_id: str, limit: int, offset: int
) -> tuple[int, builtins.list[HistoryEntry]]:
    defs = await crm_properties.definitions(uow, actor)
    record = await _load(uow, actor, defs, object_id, None, archived_ok=True)
    return await history.list(
        uow, actor, object_type=OBJECT_TYPE, object_id=record.id, limit=limit, offset=offset
    )
