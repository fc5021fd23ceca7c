"""CRM `partner_clients` as the surface shows them: one use-case per request, each returning
the view to render (which properties an object shows, its value history, paging, batch
results), so that the surface only translates wire to arguments and views to wire."""

from __future__ import annotations

import builtins
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, ParamSpec, TypeVar

from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.crm_properties import DEFAULT_PROPERTIES, PropertyDef, Record
from partnerhub.domain.history import HistoryEntry
from partnerhub.services import crm_objects, crm_properties
from partnerhub.services.crm_objects import BatchFailure, Upserted, ValueVersion
from partnerhub.storage.unit_of_work import UnitOfWork

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Show:
    """What a read shows of each object: the properties asked for (none: HubSpot's default
    set) and those whose history is asked for (`propertiesWithHistory`)."""

    properties: Sequence[str] = ()
    with_history: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class ObjectView:
    """One object as shown: the properties to render (a known one without value is None) and,
    when asked for, the history of some of them (`propertiesWithHistory`)."""

    record: Record
    properties: dict[str, str | None]
    properties_with_history: Mapping[str, builtins.list[ValueVersion]] | None = None


@dataclass(frozen=True, slots=True)
class UpsertView:
    object: ObjectView
    new: bool


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results; `after` is where the next one starts (None on the last page);
    `total` where the answer counts all matches (search, history)."""

    results: builtins.list[T]
    after: int | None
    total: int | None = None


@dataclass(frozen=True, slots=True)
class Batch(Generic[T]):
    """A batch that worked for at least one input: its results and the inputs that failed."""

    results: builtins.list[T]
    failures: builtins.list[BatchFailure]
    started_at: datetime
    completed_at: datetime


def _written(record: Record) -> ObjectView:
    """A write answers with every value the object holds."""
    return ObjectView(record, dict(sorted(record.values().items())))


async def _shown(
    uow: UnitOfWork, actor: Actor, records: Sequence[Record], show: Show
) -> builtins.list[ObjectView]:
    """The requested properties that exist (unknown ones are ignored, a known one without
    value is None), and the history of the requested ones that exist."""
    readable = (await crm_properties.definitions(uow, actor)).readable()
    names = [n for n in (show.properties or DEFAULT_PROPERTIES) if n in readable]
    wanted = [n for n in show.with_history if n in readable]
    histories = await crm_objects.value_history(uow, actor, records, wanted) if wanted else {}
    views = []
    for record in records:
        values = record.values()
        views.append(
            ObjectView(
                record,
                {n: values.get(n) for n in names},
                histories.get(record.id) if wanted else None,
            )
        )
    return views


def _batch(
    results: builtins.list[T], failures: builtins.list[BatchFailure], started: datetime
) -> Batch[T]:
    """All inputs failed: the first error itself (HubSpot answers no 207 without results)."""
    if failures and not results:
        raise failures[0].error
    return Batch(results, failures, started, utcnow())


# Reads


async def read_object(
    uow: UnitOfWork,
    actor: Actor,
    *,
    show: Show,
    object_id: str,
    id_property: str | None,
    archived: bool,
) -> ObjectView:
    record = await crm_objects.get(
        uow, actor, object_id=object_id, id_property=id_property, archived=archived
    )
    return (await _shown(uow, actor, [record], show))[0]


async def list_objects(
    uow: UnitOfWork,
    actor: Actor,
    *,
    show: Show,
    archived: bool,
    after: int | None,
    limit: int,
) -> Page[ObjectView]:
    records, following = await crm_objects.list(
        uow, actor, archived=archived, after=after, limit=limit
    )
    views = await _shown(uow, actor, records, show)
    return Page(views, following)


async def batch_read(
    uow: UnitOfWork,
    actor: Actor,
    *,
    show: Show,
    ids: Sequence[str],
    id_property: str | None,
    archived: bool,
) -> Batch[ObjectView]:
    started = utcnow()
    records, failures = await crm_objects.batch_read(
        uow, actor, ids=ids, id_property=id_property, archived=archived
    )
    views = await _shown(uow, actor, records, show)
    return _batch(views, failures, started)


async def search(uow: UnitOfWork, actor: Actor, *, body: Any, body_chars: int) -> Page[ObjectView]:
    total, records, parsed = await crm_objects.search(uow, actor, body=body, body_chars=body_chars)
    views = await _shown(uow, actor, records, Show(parsed.properties))
    end = parsed.offset + len(records)
    return Page(views, end if end < total and records else None, total)


async def object_history(
    uow: UnitOfWork, actor: Actor, *, object_id: str, limit: int, offset: int
) -> Page[HistoryEntry]:
    total, entries = await crm_objects.changes(
        uow, actor, object_id=object_id, limit=limit, offset=offset
    )
    following = offset + limit if offset + limit < total else None
    return Page(entries, following, total)


async def list_properties(
    uow: UnitOfWork, actor: Actor, *, archived: bool, names: Sequence[str] = ()
) -> builtins.list[PropertyDef]:
    """The definitions, only those named when `names` names any."""
    found = await crm_properties.list(uow, actor, archived=archived)
    only = set(names)
    return [p for p in found if not only or p.name in only]


# Writes: each is the write use-case of crm_objects, with its arguments, answering with the
# written object's view (every value it holds).

P = ParamSpec("P")
R = TypeVar("R")


def _showing(write: Callable[P, Awaitable[Record]]) -> Callable[P, Awaitable[ObjectView]]:
    async def run(*args: P.args, **kwargs: P.kwargs) -> ObjectView:
        return _written(await write(*args, **kwargs))

    return run


def _batched(
    write: Callable[P, Awaitable[tuple[builtins.list[R], builtins.list[BatchFailure]]]],
    view: Callable[[R], T],
) -> Callable[P, Awaitable[Batch[T]]]:
    async def run(*args: P.args, **kwargs: P.kwargs) -> Batch[T]:
        started = utcnow()
        done, failures = await write(*args, **kwargs)
        return _batch([view(d) for d in done], failures, started)

    return run


def _upserted(done: Upserted) -> UpsertView:
    return UpsertView(_written(done.record), done.new)


create_object = _showing(crm_objects.create)
update_object = _showing(crm_objects.patch)
restore_object = _showing(crm_objects.restore)
batch_create = _batched(crm_objects.batch_create, _written)
batch_update = _batched(crm_objects.batch_update, _written)
batch_upsert = _batched(crm_objects.batch_upsert, _upserted)
