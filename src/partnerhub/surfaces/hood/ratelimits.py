"""Hood rate limits: fixed 1 s and 60 s windows per account, tiers A–E (Ocamba's table)."""

from __future__ import annotations

from partnerhub.config import Settings
from partnerhub.domain.accounts import Actor
from partnerhub.ratelimit import Policy, Window
from partnerhub.surfaces.common.ratelimits import custom_policy

TIERS = {
    "A": (1, 15),
    "B": (3, 60),
    "C": (10, 150),
    "D": (75, 700),
    "E": (350, 3500),
}
_TIER_POLICIES = {
    tier: Policy(f"hood-tier-{tier}", (Window(burst, 1, "1s"), Window(steady, 60, "60s")))
    for tier, (burst, steady) in TIERS.items()
}


def policies(actor: Actor, settings: Settings) -> tuple[Policy]:
    """The account's tier, or its own windows when set (`accounts limits --hood 100/1,1000/60`)."""
    custom = actor.rate_limits.get("hood")
    if custom:
        return (custom_policy("hood-custom", custom),)
    return (_TIER_POLICIES.get(actor.hood_tier, _TIER_POLICIES["C"]),)
