"""CRM objects, property definitions, groups and unique values, and their search
(compiled by storage/crm_search_sql.py)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from partnerhub.domain.crm_properties import OBJECT_TYPE, Group, PropertyDef, Record
from partnerhub.domain.crm_search import SearchRequest
from partnerhub.storage.connection import Conn
from partnerhub.storage.crm_search_sql import order_by, where_clauses
from partnerhub.storage.prepared import Prepared
from partnerhub.storage.repos.base import LockableRead, Repo, as_utc
from partnerhub.storage.tables import crm_objects as objects
from partnerhub.storage.tables import crm_properties as properties
from partnerhub.storage.tables import crm_property_groups as groups
from partnerhub.storage.tables import crm_unique_values as uniques

_o = objects.c


def _record(row: Any) -> Record:
    return Record(
        id=row.id,
        version=row.version,
        properties=dict(row.properties or {}),
        archived=bool(row.archived),
        archived_at=as_utc(row.archived_at),
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )


def _property(row: Any) -> PropertyDef:
    return PropertyDef(
        name=row.name,
        label=row.label,
        type=row.type,
        field_type=row.field_type,
        group_name=row.group_name,
        description=row.description,
        options=tuple(row.options or ()),
        has_unique_value=bool(row.has_unique_value),
        hidden=bool(row.hidden),
        display_order=row.display_order,
        form_field=bool(row.form_field),
        archived=bool(row.archived),
        archived_at=as_utc(row.archived_at),
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        version=row.version,
    )


def _group(row: Any) -> Group:
    return Group(row.name, row.label, row.display_order, bool(row.archived), row.version)


def group_row(group: Group) -> dict[str, Any]:
    """A group's columns as the change operation writes them (its version aside)."""
    return {
        "name": group.name,
        "label": group.label,
        "display_order": group.display_order,
        "archived": int(group.archived),
    }


def property_row(prop: PropertyDef) -> dict[str, Any]:
    """A definition's columns as the change operation writes them (its version aside)."""
    return {
        "name": prop.name,
        "label": prop.label,
        "type": prop.type,
        "field_type": prop.field_type,
        "group_name": prop.group_name,
        "description": prop.description,
        "options": list(prop.options),
        "has_unique_value": int(prop.has_unique_value),
        "hidden": int(prop.hidden),
        "display_order": prop.display_order,
        "form_field": int(prop.form_field),
        "archived": int(prop.archived),
        "archived_at": prop.archived_at,
        "created_at": prop.created_at,
        "updated_at": prop.updated_at,
    }


def value_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# The hot paths' statements, prepared once (storage/prepared.py).
_SELECT_OBJECT = select(objects).where(
    _o.account_id == bindparam("account_id"),
    _o.object_type == bindparam("object_type"),
    _o.id == bindparam("object_id"),
)
_OBJECT = LockableRead(_SELECT_OBJECT)
_PROPERTIES = Prepared(
    select(properties)
    .where(
        properties.c.account_id == bindparam("account_id"),
        properties.c.object_type == bindparam("object_type"),
    )
    .order_by(properties.c.display_order, properties.c.name)
)


class CrmRepo(Repo):
    object_type = OBJECT_TYPE

    def __init__(self, conn: Conn, dialect: str) -> None:
        super().__init__(conn, dialect)
        # Property definitions, read once per transaction: every object read or write needs
        # them, often more than once. A write of a definition forgets them (UnitOfWork).
        self._properties: dict[int, dict[str, PropertyDef]] = {}

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested transaction: a failing batch input rolls back alone."""
        async with self.conn.begin_nested():
            yield

    # Groups

    def _groups_where(self, account_id: int) -> tuple[ColumnElement[bool], ...]:
        return (groups.c.account_id == account_id, groups.c.object_type == self.object_type)

    async def list_groups(self, account_id: int) -> list[Group]:
        rows = await self.conn.execute(
            select(groups)
            .where(*self._groups_where(account_id))
            .order_by(groups.c.display_order, groups.c.name)
        )
        return [_group(r) for r in rows]

    async def get_group(self, account_id: int, name: str) -> Group | None:
        row = (
            await self.conn.execute(
                select(groups).where(*self._groups_where(account_id), groups.c.name == name)
            )
        ).first()
        return _group(row) if row else None

    # Property definitions

    def _props_where(self, account_id: int) -> tuple[ColumnElement[bool], ...]:
        return (
            properties.c.account_id == account_id,
            properties.c.object_type == self.object_type,
        )

    def forget_properties(self, account_id: int) -> None:
        """The account's definitions changed: read them again when next asked."""
        self._properties.pop(account_id, None)

    async def list_properties(self, account_id: int) -> dict[str, PropertyDef]:
        if account_id not in self._properties:
            params = {"account_id": account_id, "object_type": self.object_type}
            rows = await self.conn.fetch(_PROPERTIES, params)
            self._properties[account_id] = {r.name: _property(r) for r in rows}
        return dict(self._properties[account_id])

    async def get_property(
        self, account_id: int, name: str, *, lock: bool = False
    ) -> PropertyDef | None:
        stmt = select(properties).where(*self._props_where(account_id), properties.c.name == name)
        row = (await self.conn.execute(self.for_update(stmt) if lock else stmt)).first()
        return _property(row) if row else None

    async def count_values(self, account_id: int, name: str) -> int:
        """How many objects (archived ones too) hold a value for property `name`."""
        stmt = (
            select(func.count())
            .select_from(objects)
            .where(*self._objects_where(account_id), _o.properties[name].as_string().is_not(None))
        )
        return int((await self.conn.execute(stmt)).scalar_one())

    async def group_in_use(self, account_id: int, group_name: str) -> bool:
        stmt = select(properties.c.name).where(
            *self._props_where(account_id),
            properties.c.group_name == group_name,
            properties.c.archived == 0,
        )
        return (await self.conn.execute(stmt.limit(1))).first() is not None

    # Objects

    def _objects_where(self, account_id: int) -> tuple[ColumnElement[bool], ...]:
        return (_o.account_id == account_id, _o.object_type == self.object_type)

    async def get_object(
        self, account_id: int, object_id: int, *, lock: bool = False
    ) -> Record | None:
        params = {"account_id": account_id, "object_type": self.object_type, "object_id": object_id}
        row = await self.read_one(_OBJECT, params, lock=lock)
        return _record(row) if row else None

    async def list_objects(
        self, account_id: int, *, archived: bool, after: int | None, limit: int
    ) -> list[Record]:
        """Up to `limit` objects in id order from id `after` (inclusive)."""
        where = [*self._objects_where(account_id), _o.archived == int(archived)]
        if after is not None:
            where.append(_o.id >= after)
        rows = await self.conn.execute(select(objects).where(*where).order_by(_o.id).limit(limit))
        return [_record(r) for r in rows]

    # Unique values

    async def unique_owner(self, account_id: int, name: str, value: str) -> int | None:
        stmt = select(uniques.c.object_id).where(
            uniques.c.account_id == account_id,
            uniques.c.object_type == self.object_type,
            uniques.c.property == name,
            uniques.c.value_hash == value_hash(value),
        )
        found = (await self.conn.execute(stmt)).scalar_one_or_none()
        return int(found) if found is not None else None

    async def release_unique(self, account_id: int, object_id: int, name: str) -> None:
        await self.conn.execute(
            uniques.delete().where(
                uniques.c.account_id == account_id,
                uniques.c.object_id == object_id,
                uniques.c.property == name,
            )
        )

    async def claim_unique(
        self, account_id: int, object_id: int, name: str, value: str
    ) -> int | None:
        """Reserve `value` of property `name` for the object; the other owner's id if taken.

        The primary key makes this race-free across workers: a concurrent claim waits for the
        first transaction and then finds the value taken.
        """
        insert = (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(uniques)
        stmt = (
            insert.values(
                account_id=account_id,
                object_type=self.object_type,
                property=name,
                value_hash=value_hash(value),
                value=value,
                object_id=object_id,
            )
            .on_conflict_do_nothing()
            .returning(uniques.c.object_id)
        )
        if (await self.conn.execute(stmt)).first() is not None:
            return None
        owner = await self.unique_owner(account_id, name, value)
        return None if owner == object_id else (owner or -1)

    # Search

    async def search(self, account_id: int, request: SearchRequest) -> tuple[int, list[Record]]:
        where = [*self._objects_where(account_id), _o.archived == 0, *where_clauses(request)]
        total, rows = await self.paginate(
            objects,
            where,
            order=order_by(request.sort),
            limit=request.limit,
            offset=request.offset,
        )
        return total, [_record(r) for r in rows]
