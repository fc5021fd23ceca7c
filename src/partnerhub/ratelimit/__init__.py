"""Per-account rate limiting (memory by default, Redis to share one budget across workers)."""

from partnerhub.ratelimit.limiter import (
    Decision,
    Policy,
    RateLimiter,
    RateLimiterUnavailable,
    Window,
    WindowState,
)

__all__ = [
    "Decision",
    "Policy",
    "RateLimiter",
    "RateLimiterUnavailable",
    "Window",
    "WindowState",
]
