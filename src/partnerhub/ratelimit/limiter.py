"""Per-account rate limiting.

In-process memory by default (the `limits` library); Redis when a URL is given, so that every
worker process and host pointed at the same Redis draws from one budget (one script per hit,
redis_windows.py). A budget is identified by the caller's key, the
policy's strategy and the window's amount and length: two policies that list the same window
for the same key share that window's budget.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter
from limits.aio.strategies import RateLimiter as Strategy
from limits.util import WindowStats
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import RedisError

from partnerhub.errors import RateLimited, Unavailable
from partnerhub.ratelimit.redis_windows import RedisWindows

T = TypeVar("T")

KEY_PREFIX = "partnerhub"
# Fail fast (then 503) rather than stall requests when Redis is down: 1 s per attempt, 1 retry.
_REDIS_OPTIONS: dict[str, Any] = {
    "socket_connect_timeout": 1.0,
    "socket_timeout": 1.0,
    "retry": Retry(ExponentialWithJitterBackoff(base=0.01, cap=0.1), retries=1),
}


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
        # In memory: the `limits` library. On Redis: one script per hit (redis_windows.py).
        self._storage = MemoryStorage()
        self._strategies: dict[str, Strategy] = {
            "fixed": FixedWindowRateLimiter(self._storage),
            "moving": MovingWindowRateLimiter(self._storage),
        }
        self._items: dict[Policy, tuple[RateLimitItem, ...]] = {}
        self._redis: Redis | None = None
        if redis_url is not None:
            self._redis = Redis.from_url(redis_url.removeprefix("async+"), **_REDIS_OPTIONS)
            self._windows = RedisWindows(self._redis)
        self._backend: Literal["memory", "redis"] = "memory" if redis_url is None else "redis"

    @property
    def backend(self) -> Literal["memory", "redis"]:
        return self._backend

    async def hit(self, policy: Policy, key: str, cost: int = 1) -> Decision:
        """Consume `cost` from every window of `policy` for `key`, or from none of them."""
        if cost < 1:
            raise ValueError("cost must be at least 1")
        if self._redis is None:
            return await self._hit_memory(policy, key, cost)
        try:
            return await self._hit_redis(policy, key, cost)
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
            await self._storage.reset()
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

    async def _hit_redis(self, policy: Policy, key: str, cost: int) -> Decision:
        assert self._redis is not None
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
        allowed, counts, resets, now = await self._windows.spend(windows, cost)
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

    async def _hit_memory(self, policy: Policy, key: str, cost: int) -> Decision:
        strategy = self._strategies[policy.strategy]
        items = self._items.get(policy)
        if items is None:
            items = self._items[policy] = tuple(
                RateLimitItemPerSecond(w.amount, w.seconds, namespace=policy.strategy)
                for w in policy.windows
            )
        # One stats read per window stands in for `test` (remaining >= cost is the same check)
        # and also yields the reset times; windows are queried concurrently.
        before = await _each(strategy.get_window_stats(i, key) for i in items)
        now = time.time()
        short = [s.remaining < cost for s in before]
        if any(short):
            return _refused(policy, before, short, now)
        acquired = await _each(strategy.hit(i, key, cost=cost) for i in items)
        if not all(acquired):  # a concurrent request took the last slot in between
            after = await _each(strategy.get_window_stats(i, key) for i in items)
            return _refused(policy, after, [not ok for ok in acquired], time.time())
        states = tuple(_state(w, s, now, cost) for w, s in zip(policy.windows, before, strict=True))
        return Decision(True, states, 0)


async def _each(calls: Iterable[Awaitable[T]]) -> list[T]:
    """Await all of `calls` concurrently; a single call is awaited directly (most policies have
    one window, and a task per call costs more than the call on the memory backend)."""
    pending = list(calls)
    if len(pending) == 1:
        return [await pending[0]]
    return list(await asyncio.gather(*pending))


def _state(window: Window, stats: WindowStats, now: float, spent: int = 0) -> WindowState:
    # An untouched window has no stored reset; it would start now. A touched one resets in the
    # future (expired keys read as untouched), so reset_seconds is at least 1.
    reset = now + window.seconds if stats.remaining >= window.amount else stats.reset_time
    return WindowState(window, max(0, stats.remaining - spent), max(1, math.ceil(reset - now)))


def _refused(
    policy: Policy, stats: list[WindowStats], exhausted: list[bool], now: float
) -> Decision:
    states = tuple(_state(w, s, now) for w, s in zip(policy.windows, stats, strict=True))
    retry_after = max(st.reset_seconds for st, ex in zip(states, exhausted, strict=True) if ex)
    return Decision(False, states, retry_after)
