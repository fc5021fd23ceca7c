"""Effective status down the Hood hierarchy: partner → deals → campaigns (seed 000's warning).

A deal is effectively what its own status says while its partner is `active`, and `inactive`
otherwise; a campaign is effectively its own status while its deal is effectively `active`, and
`inactive` otherwise. Only `effective_status` follows: a child's own `status` never changes
because of its parent, so a partner or deal made active again gives every child back its own.
"""

from __future__ import annotations

# Partner statuses (domain.hood_partners.STATUSES) under which children keep their own status.
PASSING_PARTNER_STATUSES = frozenset({"active"})
# Campaign statuses that make a campaign "active" for the archive rules: a deal with such a
# campaign cannot be archived.
ACTIVE_CAMPAIGN_STATUSES = frozenset({"running", "scheduled"})


def deal_effective(deal_status: str, partner_status: str) -> str:
    return deal_status if partner_status in PASSING_PARTNER_STATUSES else "inactive"


def campaign_effective(campaign_status: str, deal_effective_status: str) -> str:
    return campaign_status if deal_effective_status == "active" else "inactive"
