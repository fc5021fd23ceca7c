"""Hood deals, and the deals of one partner (for its cascades)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, bindparam, select

from partnerhub.domain.hood_deals import Deal
from partnerhub.domain.hood_listquery import ListQuery, ResourceSpec
from partnerhub.storage.repos.base import LockableRead, Repo, as_utc
from partnerhub.storage.tables import hood_deals as deals

_d = deals.c
# Hood list-query field name → column expression.
COLUMNS: dict[str, ColumnElement[Any]] = {
    "id": _d.id,
    "name": _d.name,
    "description": _d.description,
    "partner_id": _d.partner_id,
    "type": _d.type,
    "structure": _d.structure,
    "status": _d.status,
    "effective_status": _d.effective_status,
    "archived": _d.archived,
    "create_time": _d.create_time,
    "update_time": _d.update_time,
}
_GET = LockableRead(
    select(deals).where(_d.account_id == bindparam("account_id"), _d.id == bindparam("deal_id"))
)


def _prices(value: Mapping[str, str] | None) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in (value or {}).items()}


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _deal(row: Any) -> Deal:
    return Deal(
        id=row.id,
        account_id=row.account_id,
        partner_id=row.partner_id,
        version=row.version,
        name=row.name,
        description=row.description,
        type=row.type,
        structure=row.structure,
        status=row.status,
        effective_status=row.effective_status,
        postback=row.postback,
        frequency_cap=row.frequency_cap,
        clickthrough=bool(row.clickthrough),
        time_window=row.time_window,
        base_price=Decimal(row.base_price),
        base_price_priority=bool(row.base_price_priority),
        country_price=_prices(row.country_price),
        device_price=_prices(row.device_price),
        event_price=_prices(row.event_price),
        budget=_money(row.budget),
        total_spend_cap=_money(row.total_spend_cap),
        unique_conversion=bool(row.unique_conversion),
        performance_conditions=row.performance_conditions,
        system=row.system,
        is_default=row.is_default,
        archived=row.archived,
        create_time=as_utc(row.create_time),
        update_time=as_utc(row.update_time),
    )


class HoodDealsRepo(Repo):
    async def get(self, account_id: int, deal_id: int, *, lock: bool = False) -> Deal | None:
        row = await self.read_one(_GET, {"account_id": account_id, "deal_id": deal_id}, lock=lock)
        return _deal(row) if row else None

    async def list(
        self, account_id: int, query: ListQuery, spec: ResourceSpec
    ) -> tuple[int, builtins.list[Deal]]:
        where = [_d.account_id == account_id]
        if not any(c.field == "archived" for c in query.conditions):
            where.append(_d.archived == 0)
        total, rows = await self.list_page(deals, where, query, COLUMNS, spec)
        return total, [_deal(r) for r in rows]

    async def of_partner(self, account_id: int, partner_id: int) -> builtins.list[Deal]:
        """Every deal of the partner, archived too, locked (a cascade's children)."""
        stmt = (
            select(deals)
            .where(_d.account_id == account_id, _d.partner_id == partner_id)
            .order_by(_d.id)
        )
        return [_deal(r) for r in await self.conn.execute(self.for_update(stmt))]
