"""Export and import of stored rows (`partnerhub export` / `import`): every table of an
account's data, row by row, as JSON-ready dicts, in an order that inserts parents first.

This is the one place that reads and writes rows without the change operation: an import
restores objects with the versions, times and history they had, it makes no change of its own.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Table,
    func,
    select,
    tuple_,
)
from sqlalchemy.exc import IntegrityError

from partnerhub.errors import Conflict, DomainError, ValidationFailed
from partnerhub.storage.repos.base import Repo
from partnerhub.storage.table_data import cell_decoder, encode_cell
from partnerhub.storage.tables import (
    accounts,
    core_partners,
    crm_objects,
    crm_properties,
    crm_property_groups,
    crm_unique_values,
    history,
    hood_campaigns,
    hood_deals,
    hood_integrations,
    hood_partner_contacts,
    hood_partners,
    members,
    tokens,
)

# Rows per SELECT page of an export and per INSERT of an import.
BATCH = 500


@dataclass(frozen=True)
class Exported:
    """A kind of record: the table it comes from; `account` is the column naming the account."""

    kind: str
    table: Table
    account: str = "account_id"

    @property
    def key(self) -> list[Column[Any]]:
        return list(self.table.primary_key.columns)


# The order of an export, and the order an import needs: parents before children (a Core
# partner's parent has the smaller id, so key order suffices there; tokens may name a Core
# partner). Idempotency keys (a 24-hour replay cache) are not data and are not exported.
EXPORTED: tuple[Exported, ...] = (
    Exported("account", accounts, account="id"),
    Exported("member", members),
    Exported("hood.partner", hood_partners),
    Exported("hood.partner_contact", hood_partner_contacts),
    Exported("hood.integration", hood_integrations),
    Exported("hood.deal", hood_deals),
    Exported("hood.campaign", hood_campaigns),
    Exported("core.partner", core_partners),
    Exported("token", tokens),
    Exported("crm.property_group", crm_property_groups),
    Exported("crm.property", crm_properties),
    Exported("crm.object", crm_objects),
    Exported("crm.unique_value", crm_unique_values),
    Exported("history", history),
)
BY_KIND = {e.kind: e for e in EXPORTED}
# Tables whose ids the database issues: after an import their sequences must pass the ids
# imported, or the next issued id would collide (SQLite's AUTOINCREMENT does so by itself).
_ISSUED_IDS = [
    e.table for e in EXPORTED if e.table.c.get("id") is not None and e.table.c.id.identity
]


@functools.cache
def _decoder(column: Column[Any]) -> Callable[[Any], Any]:
    return cell_decoder(column, json_as_text=False, aware_times=True, null_keys=True)


def decode(column: Column[Any], value: Any, where: str) -> Any:
    """A record's value for `column`, or a ValidationFailed naming `where` and the column."""
    try:
        return _decoder(column)(value)
    except ValueError as exc:
        field = f"{where}.{column.name}"
        raise ValidationFailed.one(field, f"{field} {exc}.") from None


def row_of(exported: Exported, record: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The table row a record stands for; its keys must be columns of the kind's table."""
    columns = exported.table.c
    unknown = sorted(k for k in record if k != "kind" and k not in columns)
    if unknown:
        raise ValidationFailed.one(
            f"{where}.{unknown[0]}", f"{where}: {exported.kind} has no field {unknown[0]!r}."
        )
    missing = [
        c.name
        for c in columns
        if c.name not in record and not c.nullable and c.server_default is None
    ]
    if missing:
        raise ValidationFailed.one(
            f"{where}.{missing[0]}", f"{where}: {exported.kind} needs {missing[0]!r}."
        )
    return {
        name: decode(columns[name], value, where)
        for name, value in record.items()
        if name != "kind"
    }


class TransferRepo(Repo):
    """Reads for an export, writes for an import. Exports read every account's rows or one
    account's; imports write any account's: both are deployment administration, not a
    request of an account (the documented exception to the tenancy rule, as `Repo` says)."""

    async def count(self, account_id: int | None) -> int:
        total = 0
        for exported in EXPORTED:
            stmt = select(func.count()).select_from(exported.table)
            if account_id is not None:
                stmt = stmt.where(exported.table.c[exported.account] == account_id)
            total += int((await self.conn.execute(stmt)).scalar_one())
        return total

    async def rows(self, account_id: int | None) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        """(kind, record) of every exported row, in `EXPORTED` order then key order, one page
        of `BATCH` rows in memory at a time."""
        for exported in EXPORTED:
            table, key = exported.table, exported.key
            after: tuple[Any, ...] | None = None
            while True:
                stmt = select(table).order_by(*key).limit(BATCH)
                if account_id is not None:
                    stmt = stmt.where(table.c[exported.account] == account_id)
                if after is not None:
                    stmt = stmt.where(tuple_(*key) > tuple_(*after))
                page = (await self.conn.execute(stmt)).all()
                for row in page:
                    mapping = row._mapping
                    record = {str(c.name): encode_cell(c, mapping[c.name]) for c in table.c}
                    yield exported.kind, record
                if len(page) < BATCH:
                    break
                last = page[-1]._mapping
                after = tuple(last[c.name] for c in key)

    async def account_taken(self, account_id: int, name: str) -> str | None:
        """Why an imported account cannot be created (its id or name exists), or None."""
        c = accounts.c
        found = (
            await self.conn.execute(
                select(c.id, c.name).where((c.id == account_id) | (c.name == name)).limit(1)
            )
        ).first()
        if found is None:
            return None
        if found.id == account_id:
            return f"an account with id {account_id} exists already ({found.name!r})"
        return f"an account named {name!r} exists already (id {found.id})"

    async def insert(self, kind: str, rows: Sequence[dict[str, Any]], lines: str) -> None:
        """Insert rows of one kind as they are (ids kept). An id or unique value already
        present is a Conflict naming the lines of the import file."""
        if not rows:
            return
        table = BY_KIND[kind].table
        try:
            await self.conn.execute(table.insert(), list(rows))
        except (DomainError, IntegrityError) as exc:
            # A violation the storage translated names its rule; others the database's words.
            found = exc.message if isinstance(exc, DomainError) else str(exc.orig)
            detail = found.strip().replace("\n", " ")
            raise Conflict(
                f"{lines}: {kind} collides with data in the database or breaks a reference "
                f"({detail}). Import into an empty database, or data whose ids are not taken.",
                field=lines,
            ) from None

    async def advance_sequences(self) -> None:
        """PostgreSQL: move each id sequence past the largest id stored, never back."""
        if self.dialect != "postgresql":
            return
        for table in _ISSUED_IDS:
            sequence = func.pg_get_serial_sequence(table.name, "id")
            largest = select(func.max(table.c.id)).scalar_subquery()
            await self.conn.execute(
                select(func.setval(sequence, largest)).where(
                    largest.is_not(None), largest >= func.nextval(sequence)
                )
            )
