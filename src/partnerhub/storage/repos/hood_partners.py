"""Hood partners and their typed contacts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, select

from partnerhub.domain.hood_listquery import ListQuery, ResourceSpec
from partnerhub.domain.hood_partners import Contact, Partner
from partnerhub.storage.prepared import Prepared
from partnerhub.storage.repos.base import LockableRead, Repo, as_utc
from partnerhub.storage.tables import hood_partner_contacts as contacts
from partnerhub.storage.tables import hood_partners as partners

_p = partners.c
# Hood list-query field name → column expression.
PARTNER_COLUMNS: dict[str, ColumnElement[Any]] = {
    "id": _p.id,
    "name": _p.name,
    "description": _p.description,
    "status": _p.status,
    "type": _p.type,
    "manager_ids": _p.manager_ids,
    "payment_frequency": _p.payment_terms["payment_frequency"].as_string(),
    "payment_method": _p.payment_terms["payment_method"].as_string(),
    "net_terms": _p.payment_terms["net_terms"].as_string(),
    "currency_code": _p.payment_terms["currency_code"].as_string(),
    "archived": _p.archived,
    "create_time": _p.create_time,
    "update_time": _p.update_time,
}


# The hot paths' statements, built once: building a Core expression costs more Python than
# executing its cached compilation (profile: README "Performance").
_SELECT_ONE = select(partners).where(
    _p.account_id == bindparam("account_id"), _p.id == bindparam("partner_id")
)
_GET = LockableRead(_SELECT_ONE)
_CONTACTS_OF_ONE = Prepared(
    select(contacts)
    .where(
        contacts.c.account_id == bindparam("account_id"),
        contacts.c.partner_id == bindparam("partner_id"),
    )
    .order_by(contacts.c.seq)
)
_CONTACTS_OF = (
    select(contacts)
    .where(
        contacts.c.account_id == bindparam("account_id"),
        contacts.c.partner_id.in_(bindparam("partner_ids", expanding=True)),
    )
    .order_by(contacts.c.seq)
)


def _partner(row: Any) -> Partner:
    return Partner(
        id=row.id,
        account_id=row.account_id,
        version=row.version,
        name=row.name,
        description=row.description,
        type=tuple(row.type),
        status=row.status,
        manager_ids=tuple(row.manager_ids),
        payment_terms=row.payment_terms,
        billing_address=row.billing_address,
        archived=row.archived,
        system=row.system,
        create_time=as_utc(row.create_time),
        update_time=as_utc(row.update_time),
    )


def _contact(row: Any) -> Contact:
    return Contact(
        id=row.id,
        partner_id=row.partner_id,
        version=row.version,
        seq=row.seq,
        type=row.type,
        value=row.value,
        create_time=as_utc(row.create_time),
        update_time=as_utc(row.update_time),
    )


class HoodPartnersRepo(Repo):
    async def get(self, account_id: int, partner_id: int, *, lock: bool = False) -> Partner | None:
        params = {"account_id": account_id, "partner_id": partner_id}
        row = await self.read_one(_GET, params, lock=lock)
        return _partner(row) if row else None

    async def list(
        self, account_id: int, query: ListQuery, spec: ResourceSpec
    ) -> tuple[int, list[Partner]]:
        where = [_p.account_id == account_id]
        if not any(c.field == "archived" for c in query.conditions):
            where.append(_p.archived == 0)
        total, rows = await self.list_page(partners, where, query, PARTNER_COLUMNS, spec)
        return total, [_partner(r) for r in rows]


class HoodContactsRepo(Repo):
    async def for_partners(
        self, account_id: int, partner_ids: Iterable[int]
    ) -> dict[int, list[Contact]]:
        ids = list(partner_ids)
        found: dict[int, list[Contact]] = {pid: [] for pid in ids}
        if not ids:
            return found
        if len(ids) == 1:  # one object's read, the hot path
            one = {"account_id": account_id, "partner_id": ids[0]}
            rows = await self.conn.fetch(_CONTACTS_OF_ONE, one)
        else:
            many = {"account_id": account_id, "partner_ids": ids}
            rows = list(await self.conn.execute(_CONTACTS_OF, many))
        for row in rows:
            found[row.partner_id].append(_contact(row))
        return found

    async def get(
        self, account_id: int, partner_id: int, contact_id: str, *, lock: bool = False
    ) -> Contact | None:
        stmt = select(contacts).where(
            contacts.c.account_id == account_id,
            contacts.c.partner_id == partner_id,
            contacts.c.id == contact_id,
        )
        row = (await self.conn.execute(self.for_update(stmt) if lock else stmt)).first()
        return _contact(row) if row else None

    async def next_seq(self, account_id: int, partner_id: int) -> int:
        stmt = select(func.coalesce(func.max(contacts.c.seq), 0)).where(
            contacts.c.account_id == account_id, contacts.c.partner_id == partner_id
        )
        return int((await self.conn.execute(stmt)).scalar_one()) + 1
