"""Load the bench data set straight through the services, in bulk transactions.

Run as `python bench/load.py DATABASE_URL ACCOUNT_NAME COUNT OUT_DIR`: COUNT partners per surface
(Hood partners, Core sub-partners, CRM partner_clients) for the account, then one file of object
ids per surface in OUT_DIR (hood.ids, core.ids, crm.ids) for the wrk scripts. It prints one JSON
line: the account's id and the seconds each surface took to load.

The services are the same code the API runs (validation aside), so the rows, versions and history
are what the HTTP surfaces would have written; going through them in transactions of CHUNK
objects loads 30,000 objects in well under a minute instead of several through HTTP (a Core
create hashes a password with argon2: `core_partners.create_many` hashes one for the batch).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from partnerhub.auth.scopes import ALL_SCOPES
from partnerhub.domain.accounts import Actor
from partnerhub.domain.hood_partners import PartnerDraft
from partnerhub.services import (
    accounts,
    core_partners,
    crm_objects,
    crm_properties,
    hood_bulk,
    hood_partners,
)
from partnerhub.services.demo import CRM_PROPERTIES
from partnerhub.storage import tables
from partnerhub.storage.database import Database

CHUNK = 500
# The partner whose status PATCH cascades (bench target "hood cascade PATCH").
CASCADE_DEALS = 1000
CASCADE_CAMPAIGNS_PER_DEAL = 5


def _hood_draft(i: int, manager_id: str) -> PartnerDraft:
    return PartnerDraft(
        name=f"Bench partner {i}",
        type=("publisher",),
        status="active",
        manager_ids=(manager_id,),
        description=f"bench partner number {i}",
        payment_terms={
            "payment_frequency": "monthly",
            "payment_method": "card",
            "net_terms": "net30",
            "currency_code": "usd",
        },
        billing_address={
            "street": f"{i} Cambridge Drive",
            "city": "New Port Richey",
            "post_code": "34653",
            "country": "US",
        },
        contacts=(("email", f"partner{i}@bench.example"),),
    )


@dataclass(frozen=True)
class Loaded:
    account_id: int
    timings: dict[str, float]  # seconds per surface


async def load(url: str, account_name: str, count: int, out: Path) -> Loaded:
    db = Database.open(url, pool_size=1)
    timings: dict[str, float] = {}
    try:
        async with db.transaction(write=True) as uow:
            account = await accounts.get_account(uow, name_or_id=account_name)
            member = await accounts.create_member(
                uow, account_id=account.id, name="Bench Manager", email="manager@bench.example"
            )
            actor = Actor(account_id=account.id, token_id=None, scopes=frozenset(ALL_SCOPES))
            existing = (await crm_properties.definitions(uow, actor)).custom
            for prop in CRM_PROPERTIES:
                if prop.name not in existing:
                    await crm_properties.create(uow, actor, draft=prop)

        started = time.perf_counter()
        for first in range(0, count, CHUNK):
            async with db.transaction(write=True) as uow:
                for i in range(first, min(first + CHUNK, count)):
                    await hood_partners.create(uow, actor, draft=_hood_draft(i, str(member.id)))
        timings["hood_s"] = time.perf_counter() - started

        started = time.perf_counter()
        async with db.transaction(write=True) as uow:
            family = await hood_partners.create(
                uow, actor, draft=_hood_draft(count, str(member.id))
            )
            await hood_bulk.create_family(
                uow,
                actor,
                partner_id=family.partner.id,
                deals=CASCADE_DEALS,
                campaigns_per_deal=CASCADE_CAMPAIGNS_PER_DEAL,
            )
        (out / "cascade.ids").write_text(f"{family.partner.id}\n")
        timings["cascade_s"] = time.perf_counter() - started

        started = time.perf_counter()
        for first in range(0, count, CHUNK):
            items: list[Mapping[str, Any]] = [
                {
                    "login": f"bench-{account.id}-{i}",
                    "name": f"Bench Partner {i}",
                    "company_name": "Bench",
                    "country_code": "USA",
                    "zip": "90804",
                    "owner_email": f"owner{i}@bench.example",
                }
                for i in range(first, min(first + CHUNK, count))
            ]
            async with db.transaction(write=True) as uow:
                await core_partners.create_many(uow, actor, items=items, password="bench-password")
        timings["core_s"] = time.perf_counter() - started

        started = time.perf_counter()
        for first in range(0, count, CHUNK):
            async with db.transaction(write=True) as uow:
                for i in range(first, min(first + CHUNK, count)):
                    await crm_objects.create(
                        uow,
                        actor,
                        values={
                            "property_string": f"Bench client {i}",
                            "property_number": str(i),
                            "property_dropdown": "choice_a",
                        },
                    )
        timings["crm_s"] = time.perf_counter() - started

        async with db.transaction() as uow:
            conn = uow.conn
            hood = tables.hood_partners
            core = tables.core_partners
            crm = tables.crm_objects
            hood_ids = (
                await conn.execute(
                    select(hood.c.id).where(
                        hood.c.account_id == account.id,
                        hood.c.system == 0,
                        hood.c.id != family.partner.id,
                    )
                )
            ).scalars()
            core_ids = (
                await conn.execute(
                    select(core.c.partner_sid).where(
                        core.c.account_id == account.id, core.c.parent_id.is_not(None)
                    )
                )
            ).scalars()
            crm_ids = (
                await conn.execute(select(crm.c.id).where(crm.c.account_id == account.id))
            ).scalars()
            for name, found in (("hood", hood_ids), ("core", core_ids), ("crm", crm_ids)):
                (out / f"{name}.ids").write_text("".join(f"{v}\n" for v in found))
    finally:
        await db.dispose()
    return Loaded(account.id, timings)


def main() -> None:
    url, account_name, count, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    loaded = asyncio.run(load(url, account_name, count, out))
    print(json.dumps(asdict(loaded)))


if __name__ == "__main__":
    main()
