"""Row writes of versioned objects, for the services' change operation (services/changes.py).

Every kind of object with a version and a history is registered here once: its table, its key
column, the column stamped with each change's time, and the columns that scope it. Writes are
set-based: N rows are one INSERT, one UPDATE or one DELETE, whatever N is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    Update,
    bindparam,
    cast,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import Executable

from partnerhub.domain.crm_properties import OBJECT_TYPE as CRM_OBJECT_TYPE
from partnerhub.domain.history import HistoryEntry
from partnerhub.domain.objects import Kind
from partnerhub.storage.connection import Conn
from partnerhub.storage.prepared import Prepared
from partnerhub.storage.repos.base import Repo
from partnerhub.storage.repos.history import COLUMNS as HISTORY_COLUMNS
from partnerhub.storage.repos.history import HistoryRepo, entry_row
from partnerhub.storage.tables import (
    core_partners,
    crm_objects,
    crm_properties,
    crm_property_groups,
    history,
    hood_campaigns,
    hood_deals,
    hood_integrations,
    hood_partner_contacts,
    hood_partners,
)

Key = int | str
# Keys per IN list: both databases cap the parameters of one statement (SQLite at 32,766,
# PostgreSQL's protocol at 32,767), so more keys than this take one statement per chunk.
KEYS_PER_STATEMENT = 10_000


def key_chunks(keys: Sequence[Key]) -> list[list[Key]]:
    return [list(keys[i : i + KEYS_PER_STATEMENT]) for i in range(0, len(keys), KEYS_PER_STATEMENT)]


@dataclass(frozen=True)
class Stored:
    table: Table
    updated: str  # the column set to the change's time
    key: str = "id"
    scope: Mapping[str, Any] = field(default_factory=dict)  # fixed column values of the kind
    generated_key: bool = True  # the database issues the key on insert
    # Columns derived from the key the database issues: inserted as `insert_defaults`, then
    # filled by the statement `complete(account_id)` makes (one for any number of rows).
    insert_defaults: Mapping[str, Any] = field(default_factory=dict)
    complete: Callable[[int], Executable] | None = None

    def where(self, account_id: Any) -> list[ColumnElement[bool]]:
        c = self.table.c
        return [c.account_id == account_id, *(c[k] == v for k, v in self.scope.items())]


def _one_row(kind: Kind) -> Update:
    stored = STORED[kind]
    return update(stored.table).where(
        *stored.where(bindparam("where_account_id")),
        stored.table.c[stored.key] == bindparam("where_key"),
    )


@lru_cache(maxsize=512)
def _update_one(kind: Kind, columns: tuple[str, ...]) -> Prepared:
    # One prepared statement per kind and set of columns: the hot path of every PATCH.
    return Prepared(_one_row(kind), column_keys=columns)


@lru_cache(maxsize=512)
def _update_one_recorded(kind: Kind, columns: tuple[str, ...]) -> Prepared:
    """`_update_one` and the history row of the change in one statement (PostgreSQL: a
    data-modifying CTE), so a PATCH spends one round trip on both. The history row's
    parameters are its columns prefixed `h_`; it is written only if the row was."""
    table = STORED[kind].table
    changed = (
        _one_row(kind)
        .values({c: bindparam(c, type_=table.c[c].type) for c in columns})
        .returning(table.c[STORED[kind].key])
        .cte("changed")
    )
    entry = select(*(bindparam(f"h_{c}", type_=history.c[c].type) for c in HISTORY_COLUMNS))
    statement = insert(history).from_select(HISTORY_COLUMNS, entry.select_from(changed))
    return Prepared(statement.add_cte(changed))


def _core_paths(account_id: int) -> Executable:
    """Core partners inserted with an empty path get theirs: the parent's path and their id
    (a root's parent path is "/"). One statement for any number of new partners."""
    c = core_partners.c
    parent = core_partners.alias("parent")
    parent_path = select(parent.c.path).where(parent.c.id == c.parent_id).scalar_subquery()
    return (
        update(core_partners)
        .where(c.account_id == account_id, c.path == "")
        .values(path=func.coalesce(parent_path, literal("/")) + cast(c.id, String) + literal("/"))
    )


_CRM = {"object_type": CRM_OBJECT_TYPE}
STORED: dict[Kind, Stored] = {
    Kind.HOOD_PARTNER: Stored(hood_partners, "update_time"),
    Kind.HOOD_CONTACT: Stored(hood_partner_contacts, "update_time", generated_key=False),
    Kind.HOOD_INTEGRATION: Stored(hood_integrations, "update_time"),
    Kind.HOOD_DEAL: Stored(hood_deals, "update_time"),
    Kind.HOOD_CAMPAIGN: Stored(hood_campaigns, "update_time"),
    Kind.CORE_PARTNER: Stored(
        core_partners, "date_updated", insert_defaults={"path": ""}, complete=_core_paths
    ),
    Kind.CRM_OBJECT: Stored(crm_objects, "updated_at", scope=_CRM),
    Kind.CRM_PROPERTY: Stored(crm_properties, "updated_at", "name", _CRM, generated_key=False),
    Kind.CRM_GROUP: Stored(crm_property_groups, "updated_at", "name", _CRM, generated_key=False),
}


class ChangesRepo(Repo):
    def __init__(
        self, conn: Conn, dialect: str, *, on_write: Callable[[Kind, int], None] | None = None
    ) -> None:
        super().__init__(conn, dialect)
        # Tells the unit of work which kind was written (CRM forgets its cached definitions).
        self._on_write = on_write or (lambda _kind, _account_id: None)

    async def insert(
        self,
        kind: Kind,
        account_id: int,
        rows: Sequence[Mapping[str, Any]],
        *,
        if_absent: bool = False,
    ) -> list[Key]:
        """Insert rows (each without `account_id` and the kind's scope); their keys, in order.
        `if_absent` (one row of a kind whose key is given): skip a row whose key exists; the
        keys returned are those inserted."""
        if not rows:
            return []
        self._on_write(kind, account_id)
        stored = STORED[kind]
        full = [
            {**stored.insert_defaults, **row, **stored.scope, "account_id": account_id}
            for row in rows
        ]
        if if_absent:
            assert not stored.generated_key and len(full) == 1
            dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
            statement = (
                dialect_insert(stored.table)
                .values(**full[0])
                .on_conflict_do_nothing()
                .returning(stored.table.c[stored.key])
            )
            return [row[0] for row in await self.conn.execute(statement)]
        if not stored.generated_key:
            await self.conn.execute(stored.table.insert(), full)
            keys: list[Key] = [row[stored.key] for row in rows]
        elif len(full) == 1:
            keys = [await self.insert_returning_id(stored.table, full[0])]
        else:
            key = stored.table.c[stored.key]
            statement = stored.table.insert().returning(key, sort_by_parameter_order=True)
            keys = [row[0] for row in await self.conn.execute(statement, full)]
        if stored.complete is not None:
            await self.conn.execute(stored.complete(account_id))
        return keys

    async def key_taken(self, kind: Kind, key: Key) -> bool:
        """Whether an object of `kind` has `key` in any account: keys are unique across
        accounts, so a stated one must be new everywhere."""
        stored = STORED[kind]
        column = stored.table.c[stored.key]
        return (await self.conn.execute(select(column).where(column == key))).first() is not None

    async def update(
        self,
        kind: Kind,
        account_id: int,
        key: Key,
        values: Mapping[str, Any],
        *,
        version: int,
        at: datetime,
        entry: HistoryEntry,
    ) -> None:
        """Set `values`, the new `version` and the change time on one row, and append its
        history `entry`: one statement on PostgreSQL, where each is a round trip; two on
        SQLite, which has no data-modifying CTE (and no round trips)."""
        self._on_write(kind, account_id)
        row = {**values, "version": version, STORED[kind].updated: at}
        params = {**row, "where_account_id": account_id, "where_key": key}
        if self.dialect == "postgresql":
            params.update({f"h_{c}": v for c, v in entry_row(account_id, entry).items()})
            await self.conn.run(_update_one_recorded(kind, tuple(sorted(row))), params)
        else:
            await self.conn.run(_update_one(kind, tuple(sorted(row))), params)
            await HistoryRepo(self.conn, self.dialect).add(account_id, [entry])

    async def update_many(
        self,
        kind: Kind,
        account_id: int,
        keys: Sequence[Key],
        values: Mapping[str, Any],
        *,
        at: datetime,
    ) -> None:
        """Set the same `values` on every row of `keys`, each one's version one up."""
        if not keys:
            return
        self._on_write(kind, account_id)
        stored = STORED[kind]
        c = stored.table.c
        for chunk in key_chunks(keys):
            await self.conn.execute(
                update(stored.table)
                .where(*stored.where(account_id), c[stored.key].in_(chunk))
                .values(**values, version=c.version + 1, **{stored.updated: at})
            )

    async def delete(self, kind: Kind, account_id: int, keys: Sequence[Key]) -> None:
        if not keys:
            return
        self._on_write(kind, account_id)
        stored = STORED[kind]
        for chunk in key_chunks(keys):
            await self.conn.execute(
                stored.table.delete().where(
                    *stored.where(account_id), stored.table.c[stored.key].in_(chunk)
                )
            )
