"""Core rate limits. CarrierX documents none; ours: one fixed 60 s window per account
(`PARTNERHUB_CORE_RATE_PER_MINUTE`, default 600), overridable per account
(`partnerhub accounts limits NAME --core 100/1,1000/60`). Headers as on Hood."""

from __future__ import annotations

from contextvars import ContextVar

from starlette.requests import Request

from partnerhub.domain.accounts import Actor
from partnerhub.ratelimit import Decision, Policy, Window
from partnerhub.surfaces.common.edge import Edge, runtime

DEFAULT_PER_MINUTE = 600
# The configured default of the app serving this request (set by CoreEdge.enter).
_per_minute: ContextVar[int] = ContextVar("core_rate_per_minute", default=DEFAULT_PER_MINUTE)


def policy(actor: Actor) -> Policy:
    custom = actor.rate_limits.get("core")
    if custom:
        windows = tuple(Window(int(a), int(s), f"{s}s") for a, s in custom)
        return Policy("core-custom", windows)
    per_minute = _per_minute.get()
    return Policy(f"core-{per_minute}-per-min", (Window(per_minute, 60, "60s"),))


def headers(decision: Decision) -> dict[str, str]:
    state = decision.tightest()
    return {
        "X-RateLimit-Limit": str(state.window.amount),
        "X-RateLimit-Remaining": str(state.remaining),
        "X-RateLimit-Reset": str(state.reset_seconds),
    }


edge = Edge("core", policy, headers)


async def enter(request: Request, *scopes: str) -> Actor:
    """`edge.enter`, with this app's configured default rate in effect for the policy."""
    _per_minute.set(runtime(request).settings.core_rate_per_minute)
    return await edge.enter(request, *scopes)
