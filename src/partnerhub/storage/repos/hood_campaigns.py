"""Hood campaigns, and the campaigns of some deals (for their cascades)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, bindparam, select

from partnerhub.domain.hood_campaigns import Campaign
from partnerhub.domain.hood_listquery import ListQuery, ResourceSpec
from partnerhub.storage.repos.base import LockableRead, Repo, as_utc
from partnerhub.storage.repos.changes import key_chunks
from partnerhub.storage.tables import hood_campaigns as campaigns

_c = campaigns.c
# Hood list-query field name → column expression.
COLUMNS: dict[str, ColumnElement[Any]] = {
    "id": _c.id,
    "name": _c.name,
    "description": _c.description,
    "deal_id": _c.deal_id,
    "status": _c.status,
    "effective_status": _c.effective_status,
    "next_run_time": _c.next_run_time,
    "run_counter": _c.run_counter,
    "archived": _c.archived,
    "create_time": _c.create_time,
    "update_time": _c.update_time,
}
_GET = LockableRead(
    select(campaigns).where(
        _c.account_id == bindparam("account_id"), _c.id == bindparam("campaign_id")
    )
)


def _campaign(row: Any) -> Campaign:
    return Campaign(
        id=row.id,
        account_id=row.account_id,
        deal_id=row.deal_id,
        version=row.version,
        name=row.name,
        description=row.description,
        labels=list(row.labels or []),
        metadata=row.metadata,
        messages=list(row.messages or []),
        ab_test=row.ab_test,
        recurrence=row.recurrence,
        utm_tracking=row.utm_tracking,
        quiet_hours=row.quiet_hours,
        targeting=row.targeting,
        status=row.status,
        effective_status=row.effective_status,
        send_strategy=row.send_strategy,
        send_in_profile_time_zone=bool(row.send_in_profile_time_zone),
        send_if_profile_time_passed=bool(row.send_if_profile_time_passed),
        scheduled_time=as_utc(row.scheduled_time),
        next_run_time=as_utc(row.next_run_time),
        run_counter=row.run_counter,
        was_launched=bool(row.was_launched),
        status_reason=row.status_reason,
        archived=row.archived,
        create_time=as_utc(row.create_time),
        update_time=as_utc(row.update_time),
    )


class HoodCampaignsRepo(Repo):
    async def get(
        self, account_id: int, campaign_id: int, *, lock: bool = False
    ) -> Campaign | None:
        params = {"account_id": account_id, "campaign_id": campaign_id}
        row = await self.read_one(_GET, params, lock=lock)
        return _campaign(row) if row else None

    async def list(
        self, account_id: int, query: ListQuery, spec: ResourceSpec
    ) -> tuple[int, builtins.list[Campaign]]:
        where = [_c.account_id == account_id]
        if not any(c.field == "archived" for c in query.conditions):
            where.append(_c.archived == 0)
        total, rows = await self.list_page(campaigns, where, query, COLUMNS, spec)
        return total, [_campaign(r) for r in rows]

    async def of_deals(self, account_id: int, deal_ids: Sequence[int]) -> builtins.list[Campaign]:
        """Every campaign of these deals, archived too, locked (a cascade's children)."""
        found: builtins.list[Campaign] = []
        for chunk in key_chunks(deal_ids):
            stmt = (
                select(campaigns)
                .where(_c.account_id == account_id, _c.deal_id.in_(chunk))
                .order_by(_c.id)
            )
            found += [_campaign(r) for r in await self.conn.execute(self.for_update(stmt))]
        return found
