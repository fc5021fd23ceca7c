"""What a partner's or a deal's change does to the objects below it (seed 000's warning).

Each cascade runs in its cause's transaction, set-based through the change operation: the
children are read (locked) in one statement per level and written in one UPDATE and one history
INSERT per distinct new value, so a partner with thousands of deals and campaigns costs the same
statements as one with ten. Every child's history entry names the cause.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from partnerhub.domain.accounts import Actor
from partnerhub.domain.history import Changes
from partnerhub.domain.hood_campaigns import Campaign
from partnerhub.domain.hood_deals import Deal
from partnerhub.domain.hood_effective import (
    ACTIVE_CAMPAIGN_STATUSES,
    campaign_effective,
    deal_effective,
)
from partnerhub.domain.objects import Kind
from partnerhub.errors import ValidationFailed
from partnerhub.services import change
from partnerhub.storage.unit_of_work import UnitOfWork


def _deal_target(deal: Deal) -> change.Target:
    return change.Target(Kind.HOOD_DEAL, deal.id, deal.version)


def _campaign_target(campaign: Campaign) -> change.Target:
    return change.Target(Kind.HOOD_CAMPAIGN, campaign.id, campaign.version)


async def _set_effective(
    uow: UnitOfWork,
    actor: Actor,
    items: Iterable[tuple[change.Target, str, str]],
    cause: str,
) -> None:
    """(target, old, new effective status) for children of one kind: those whose effective
    status moves are written, one UPDATE per new value."""
    groups: dict[str, list[tuple[change.Target, Changes]]] = defaultdict(list)
    for target, old, new in items:
        if old != new:
            entry = {"effective_status": {"old": old, "new": new, "cause": cause}}
            groups[new].append((target, entry))
    for new, changed in sorted(groups.items()):
        await change.update_many(uow, actor, changed, values={"effective_status": new})


async def _campaigns_follow(
    uow: UnitOfWork, actor: Actor, deal_effective_by_id: dict[int, str], cause: str
) -> None:
    campaigns = await uow.hood_campaigns.of_deals(actor.account_id, list(deal_effective_by_id))
    await _set_effective(
        uow,
        actor,
        (
            (
                _campaign_target(c),
                c.effective_status,
                campaign_effective(c.status, deal_effective_by_id[c.deal_id]),
            )
            for c in campaigns
        ),
        cause,
    )


async def partner_status_changed(
    uow: UnitOfWork, actor: Actor, *, partner_id: int, status: str
) -> None:
    """The partner's status is now `status`: its deals' and their campaigns' effective status
    follow (and come back when it is active again)."""
    cause = f"partner {partner_id} status"
    deals = await uow.hood_deals.of_partner(actor.account_id, partner_id)
    effective = {d.id: deal_effective(d.status, status) for d in deals}
    await _set_effective(
        uow, actor, ((_deal_target(d), d.effective_status, effective[d.id]) for d in deals), cause
    )
    await _campaigns_follow(uow, actor, effective, cause)


async def deal_effective_changed(
    uow: UnitOfWork, actor: Actor, *, deal_id: int, effective_status: str, cause: str
) -> None:
    """The deal's effective status is now `effective_status`: its campaigns follow."""
    await _campaigns_follow(uow, actor, {deal_id: effective_status}, cause)


def _refuse_active_campaigns(deal_id: int, campaigns: Sequence[Campaign]) -> None:
    active = [c for c in campaigns if not c.archived and c.status in ACTIVE_CAMPAIGN_STATUSES]
    if active:
        ids = ", ".join(str(c.id) for c in active[:10])
        raise ValidationFailed.one(
            "id",
            f"The deal {deal_id} is assigned to active campaigns ({ids}); "
            "pause or cancel them before archiving it.",
            "DEAL_HAS_ACTIVE_CAMPAIGNS",
        )


async def _archive_campaigns(
    uow: UnitOfWork, actor: Actor, campaigns: Sequence[Campaign], cause: str
) -> None:
    await change.update_many(
        uow,
        actor,
        [
            (_campaign_target(c), {"archived": {"old": 0, "new": 1, "cause": cause}})
            for c in campaigns
            if not c.archived
        ],
        values={"archived": 1},
        action="archive",
    )


async def deal_archiving(uow: UnitOfWork, actor: Actor, *, deal_id: int) -> None:
    """Before a deal is archived: refused while it has an active campaign; else its campaigns
    are archived with it."""
    campaigns = await uow.hood_campaigns.of_deals(actor.account_id, [deal_id])
    _refuse_active_campaigns(deal_id, campaigns)
    await _archive_campaigns(uow, actor, campaigns, f"deal {deal_id} archive")


async def partner_archived(uow: UnitOfWork, actor: Actor, *, partner_id: int) -> None:
    """The partner was archived: so are its deals and their campaigns, unless the deal's
    status is active (Ocamba's words read literally: such deals and their campaigns stay)."""
    cause = f"partner {partner_id} archive"
    deals = [
        d
        for d in await uow.hood_deals.of_partner(actor.account_id, partner_id)
        if not d.archived and d.status != "active"
    ]
    await change.update_many(
        uow,
        actor,
        [(_deal_target(d), {"archived": {"old": 0, "new": 1, "cause": cause}}) for d in deals],
        values={"archived": 1},
        action="archive",
    )
    campaigns = await uow.hood_campaigns.of_deals(actor.account_id, [d.id for d in deals])
    await _archive_campaigns(uow, actor, campaigns, cause)
