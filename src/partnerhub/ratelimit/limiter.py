"""Per-account rate limiting.

In-process memory by default (memory_windows.py); Redis when a URL is given, so that every
worker process and host pointed at the same Redis draws from one budget (one script per hit,
redis_windows.py). Both spend from every window of a policy or from none, atomically. A budget
is identified by the caller's key, the policy's strategy and the window's amount and length: two
policies that list the same window for the same key share that window's budget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import RedisError

from partnerhub.errors import RateLimited, Unavailable
from partnerhub.ratelimit.memory_windows import MemoryWindows
from partnerhub.ratelimit.redis_windows import RedisWindows

KEY_PREFIX = "partnerhub"
# Fail fast (then 503) rather than stall requests when Redis is down: 1 s to connect, 1 retry.
# A reply may take longer to be read than Redis takes to send it: under overload the event loop
# resumes the waiting request late, so the read timeout is generous (5 s) and measures a Redis
# that hangs, not a busy worker.
_REDIS_OPTIONS: dict[str, Any] = {
    "socket_connect_timeout": 1.0,
    "socket_timeout": 5.0,
    "retry": Retry(ExponentialWithJitterBackoff(base=0.01, cap=0.1), retries=1),
}
# Connections per worker. Beyond them a request waits (in the worker) for a free one: with an
# unbounded pool, 320 connections' worth of requests opened ~160 Redis connections per worker
# and, under that load, timed out (503) instead of queueing (bench "hood GET x10").
REDIS_POOL_SIZE = 32
REDIS_POOL_WAIT_SECONDS = 5.0


class RateLimiterUnavailable(Exception):
    """The rate-limit storage cannot be reached; callers answer 503 instead of allowing."""


@dataclass(frozen=True)
class Window:
    amount: int
    seconds: int
    name: str

    def __post_init__(self) -> None:
        if self.amount < 1 or self.seconds < 1:
            raise ValueError(f"window {self.name!r} needs a positive amount and length")


@dataclass(frozen=True)
class Policy:
    name: str
    windows: tuple[Window, ...]
    strategy: Literal["fixed", "moving"] = "fixed"

    def __post_init__(self) -> None:
        if not self.windows:
            raise ValueError(f"policy {self.name!r} has no windows")


@dataclass(frozen=True)
class WindowState:
    window: Window
    remaining: int
    reset_seconds: int


@dataclass(frozen=True)
class Decision:
    allowed: bool
    states: tuple[WindowState, ...]
    retry_after: int

    def tightest(self) -> WindowState:
        """The window nearest exhaustion (lowest remaining share; ties go to the shorter one)."""
        return min(self.states, key=lambda s: (s.remaining / s.window.amount, s.window.seconds))


class RateLimiter:
    def __init__(self, redis_url: str | None = None) -> None:
        self._memory = MemoryWindows()
        self._redis: Redis | None = None
        if redis_url is not None:
            pool = BlockingConnectionPool.from_url(
                redis_url.removeprefix("async+"),
                max_connections=REDIS_POOL_SIZE,
                timeout=REDIS_POOL_WAIT_SECONDS,
                **_REDIS_OPTIONS,
            )
            self._redis = Redis(connection_pool=pool)
            self._windows = RedisWindows(self._redis)
        self._backend: Literal["memory", "redis"] = "memory" if redis_url is None else "redis"

    @property
    def backend(self) -> Literal["memory", "redis"]:
        return self._backend

    async def hit(self, policy: Policy, key: str, cost: int = 1) -> Decision:
        """Consume `cost` from every window of `policy` for `key`, or from none of them."""
        if cost < 1:
            raise ValueError("cost must be at least 1")
        moving = policy.strategy == "moving"
        windows = [
            (
                f"{KEY_PREFIX}:{policy.strategy}:{key}:{w.amount}/{w.seconds}",
                w.amount,
                w.seconds,
                moving,
            )
            for w in policy.windows
        ]
        if self._redis is None:
            return _decision(policy, cost, *self._memory.spend(windows, cost))
        try:
            return _decision(policy, cost, *(await self._windows.spend(windows, cost)))
        except (RedisError, OSError) as exc:
            raise RateLimiterUnavailable(f"rate-limit storage: {exc}") from exc

    async def spend(self, policy: Policy, key: str) -> Decision:
        """`hit` for a request: RateLimited when a window is exhausted, Unavailable when the
        store cannot be reached (never allowed by default)."""
        try:
            decision = await self.hit(policy, key)
        except RateLimiterUnavailable:
            raise Unavailable("The rate-limit store is unreachable.") from None
        if not decision.allowed:
            raise RateLimited(decision.retry_after, policy.name)
        return decision

    async def reset(self) -> None:
        """Every budget back to full: this process's counters, or every partnerhub key in
        Redis (all workers' shared budgets)."""
        if self._redis is None:
            self._memory = MemoryWindows()
            return
        try:
            keys = [key async for key in self._redis.scan_iter(match=f"{KEY_PREFIX}:*", count=500)]
            if keys:
                await self._redis.delete(*keys)
        except (RedisError, OSError) as exc:
            raise Unavailable("The rate-limit store is unreachable.") from exc

    async def check_ready(self) -> bool:
        if self._redis is None:
            return True
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()


def _decision(
    policy: Policy, cost: int, allowed: bool, counts: list[int], resets: list[float], now: float
) -> Decision:
    """The Decision for a spend of `cost` whose windows held `counts` before it and reset at
    `resets` (both backends answer the same tuple)."""
    spent = cost if allowed else 0
    states = tuple(
        WindowState(w, max(0, w.amount - count - spent), max(1, math.ceil(reset - now)))
        for w, count, reset in zip(policy.windows, counts, resets, strict=True)
    )
    if allowed:
        return Decision(True, states, 0)
    short = [count + cost > w.amount for w, count in zip(policy.windows, counts, strict=True)]
    retry_after = max(st.reset_seconds for st, ex in zip(states, short, strict=True) if ex)
    return Decision(False, states, retry_after)
