"""Core rate limits. CarrierX documents none; ours: one fixed 60 s window per account
(`PARTNERHUB_CORE_RATE_PER_MINUTE`, default 600), overridable per account
(`partnerhub accounts limits NAME --core 100/1,1000/60`). Headers as on Hood."""

from __future__ import annotations

from partnerhub.config import Settings
from partnerhub.domain.accounts import Actor
from partnerhub.ratelimit import Policy, Window
from partnerhub.surfaces.common.ratelimits import custom_policy


def policies(actor: Actor, settings: Settings) -> tuple[Policy]:
    custom = actor.rate_limits.get("core")
    if custom:
        return (custom_policy("core-custom", custom),)
    per_minute = settings.core_rate_per_minute
    return (Policy(f"core-{per_minute}-per-min", (Window(per_minute, 60, "60s"),)),)
