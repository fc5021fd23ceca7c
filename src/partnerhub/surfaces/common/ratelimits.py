"""Rate-limit pieces more than one surface speaks: per-account custom windows, and the
X-RateLimit-* headers (Ocamba's, which Core reuses for want of CarrierX's own)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from partnerhub.ratelimit import Decision, Policy, Window


def custom_policy(name: str, windows: Sequence[Sequence[int]]) -> Policy:
    """An account's own windows, as `accounts limits NAME --hood 100/1,1000/60` stores them."""
    return _policy(name, tuple((int(a), int(s)) for a, s in windows))


@lru_cache(maxsize=1024)
def _policy(name: str, windows: tuple[tuple[int, int], ...]) -> Policy:
    # Asked for on every request of an account with its own limits: built once.
    return Policy(name, tuple(Window(a, s, f"{s}s") for a, s in windows))


def x_ratelimit_headers(decision: Decision) -> dict[str, str]:
    """Limit, remaining and seconds to reset of the window nearest exhaustion."""
    state = decision.tightest()
    return {
        "X-RateLimit-Limit": str(state.window.amount),
        "X-RateLimit-Remaining": str(state.remaining),
        "X-RateLimit-Reset": str(state.reset_seconds),
    }
