"""Core rate limits. CarrierX documents none; ours: one fixed 60 s window per account
(`PARTNERHUB_CORE_RATE_PER_MINUTE`, default 600), overridable per account
(`partnerhub accounts limits NAME --core 100/1,1000/60`). Headers as on Hood."""

from __future__ import annotations

from partnerhub.config import Settings
from partnerhub.domain.accounts import Actor
from partnerhub.ratelimit import Decision, Policy, Window


def policies(actor: Actor, settings: Settings) -> tuple[Policy]:
    custom = actor.rate_limits.get("core")
    if custom:
        windows = tuple(Window(int(a), int(s), f"{s}s") for a, s in custom)
        return (Policy("core-custom", windows),)
    per_minute = settings.core_rate_per_minute
    return (Policy(f"core-{per_minute}-per-min", (Window(per_minute, 60, "60s"),)),)


def headers(decision: Decision) -> dict[str, str]:
    state = decision.tightest()
    return {
        "X-RateLimit-Limit": str(state.window.amount),
        "X-RateLimit-Remaining": str(state.remaining),
        "X-RateLimit-Reset": str(state.reset_seconds),
    }
