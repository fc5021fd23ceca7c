"""What a partner page shows besides the partner: its deals, their campaigns and the account's
integrations, each only when the token may read it (else the section names the scope)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnerhub.auth.secrets import Secrets
from partnerhub.domain.accounts import Actor
from partnerhub.domain.hood_listquery import MAX_VALUE_LENGTH, parse_list_query
from partnerhub.services import hood_campaigns, hood_deals, hood_integrations
from partnerhub.surfaces.console import areas
from partnerhub.surfaces.hood import query


@dataclass(frozen=True, slots=True)
class Listing:
    """A section's rows (at most one API page of them) and how many there are in all."""

    total: int
    items: list[Any]


@dataclass(frozen=True, slots=True)
class Related:
    """None: the token lacks the section's read scope."""

    deals: Listing | None
    campaigns: Listing | None
    integrations: Listing | None


ALL_ARCHIVED = ("archived", "in:0,1")
# A partner page shows at most this many of its deals (and their campaigns): a page of the API.
RELATED_PAGE = f"1,{query.DEALS.max_per_page}"


def _chunks(deal_ids: list[int]) -> list[str]:
    """`in:` lists of deal ids, each short enough for one list-language value."""
    chunks, current = [], ""
    for deal_id in deal_ids:
        item = str(deal_id)
        if current and len(current) + 1 + len(item) > MAX_VALUE_LENGTH - len("in:"):
            chunks.append(current)
            current = ""
        current = f"{current},{item}" if current else item
    return [*chunks, current] if current else chunks


async def campaigns_of(uow: Any, actor: Actor, deal_ids: list[int]) -> Listing:
    """The campaigns of the deals `deal_ids`, archived ones too (one API page of them)."""
    total, items = 0, []
    for chunk in _chunks(deal_ids):
        q = parse_list_query(
            [("deal_id", f"in:{chunk}"), ALL_ARCHIVED, ("page", RELATED_PAGE)], query.CAMPAIGNS
        )
        found, page = await hood_campaigns.list(uow, actor, query=q, spec=query.CAMPAIGNS)
        total += found
        items.extend(page)
    items.sort(key=lambda c: c.id)
    return Listing(total, items[: query.CAMPAIGNS.max_per_page])


async def of_partner(uow: Any, actor: Actor, secrets: Secrets, partner_id: int) -> Related:
    deals_q = parse_list_query(
        [("partner_id", str(partner_id)), ALL_ARCHIVED, ("page", RELATED_PAGE)], query.DEALS
    )
    wants_campaigns = areas.HOOD_CAMPAIGNS.readable(actor)
    deals = campaigns = integrations = None
    if areas.HOOD_DEALS.readable(actor) or wants_campaigns:
        total, found = await hood_deals.list(uow, actor, query=deals_q, spec=query.DEALS)
        if areas.HOOD_DEALS.readable(actor):
            deals = Listing(total, found)
        if wants_campaigns:
            campaigns = await campaigns_of(uow, actor, [d.id for d in found])
    if areas.HOOD_INTEGRATIONS.readable(actor):
        integrations = await integrations_page(uow, actor, secrets)
    return Related(deals, campaigns, integrations)


async def integrations_page(uow: Any, actor: Actor, secrets: Secrets) -> Listing:
    """The account's integrations (one API page): they are the account's senders, which the
    campaigns of every partner's deals send through."""
    q = parse_list_query([("page", RELATED_PAGE)], query.INTEGRATIONS)
    total, views = await hood_integrations.list(
        uow, actor, secrets=secrets, query=q, spec=query.INTEGRATIONS
    )
    return Listing(total, views)
