"""RateLimiter on both backends: memory, and the Redis that several workers share."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from partnerhub.ratelimit import (
    Decision,
    Policy,
    RateLimiter,
    RateLimiterUnavailable,
    Window,
    WindowState,
)
from partnerhub.ratelimit.limiter import KEY_PREFIX

REDIS_URL = "redis://127.0.0.1:6379/0"

PER_SECOND = Window(10, 1, "1s")
PER_MINUTE = Window(3, 60, "60s")


async def _wait_for_second_boundary() -> None:
    """Start just after a whole second so a burst of hits lands in one 1-second window."""
    await asyncio.sleep(1 - (time.time() % 1) + 0.01)


@pytest.fixture
def tag() -> str:
    return uuid.uuid4().hex


async def _connect_redis() -> Redis:
    """A client for REDIS_URL; skip the test when Redis is down (fail instead when CI=true)."""
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        await client.aclose()
        reason = f"Redis not reachable at {REDIS_URL}: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return client


async def _delete_keys(client: Redis, tag: str) -> None:
    keys = [k async for k in client.scan_iter(match=f"{KEY_PREFIX}:*{tag}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
async def redis_client(tag: str) -> AsyncIterator[Redis]:
    client = await _connect_redis()
    yield client
    await _delete_keys(client, tag)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def make_limiter(
    request: pytest.FixtureRequest, tag: str
) -> AsyncIterator[Callable[[], RateLimiter]]:
    client = await _connect_redis() if request.param == "redis" else None
    created: list[RateLimiter] = []

    def make() -> RateLimiter:
        created.append(RateLimiter(REDIS_URL if client else None))
        return created[-1]

    yield make
    for limiter in created:
        await limiter.close()
    if client:
        await _delete_keys(client, tag)


@pytest.fixture
def limiter(make_limiter: Callable[[], RateLimiter]) -> RateLimiter:
    return make_limiter()


def remaining(decision: Decision, window: Window) -> int:
    return next(s.remaining for s in decision.states if s.window == window)


async def test_backend_and_readiness(limiter: RateLimiter, request: pytest.FixtureRequest) -> None:
    assert limiter.backend == request.node.callspec.params["make_limiter"]
    assert await limiter.check_ready()


async def test_eleventh_hit_in_one_second_is_refused(limiter: RateLimiter, tag: str) -> None:
    policy = Policy("per-second", (PER_SECOND,))
    key = f"hood:{tag}"
    await _wait_for_second_boundary()
    decisions = [await limiter.hit(policy, key) for _ in range(11)]

    assert all(d.allowed and d.retry_after == 0 for d in decisions[:10])
    assert [remaining(d, PER_SECOND) for d in decisions[:10]] == list(range(9, -1, -1))
    assert all(d.states[0].reset_seconds == 1 for d in decisions[:10])
    refused = decisions[10]
    assert not refused.allowed
    assert refused.retry_after >= 1
    assert remaining(refused, PER_SECOND) == 0


async def test_longer_window_can_be_the_tightest(limiter: RateLimiter, tag: str) -> None:
    short = Window(100, 1, "1s")
    policy = Policy("two-windows", (short, PER_MINUTE))
    key = f"hood:{tag}"
    decisions = [await limiter.hit(policy, key) for _ in range(4)]

    assert [d.allowed for d in decisions] == [True, True, True, False]
    refused = decisions[3]
    assert 1 <= refused.retry_after <= 60
    assert refused.tightest().window == PER_MINUTE
    assert refused.tightest().remaining == 0
    assert decisions[2].tightest().window == PER_MINUTE


async def test_refused_short_window_does_not_consume_long_window(
    limiter: RateLimiter, tag: str
) -> None:
    short, long = Window(2, 1, "1s"), Window(50, 60, "60s")
    policy = Policy("burst", (short, long))
    key = f"hood:{tag}"
    await _wait_for_second_boundary()
    allowed = [await limiter.hit(policy, key) for _ in range(2)]
    refused = [await limiter.hit(policy, key) for _ in range(5)]

    assert all(d.allowed for d in allowed)
    assert remaining(allowed[-1], long) == 48
    assert not any(d.allowed for d in refused)
    assert [remaining(d, long) for d in refused] == [48] * 5
    assert all(d.retry_after == 1 and d.tightest().window == short for d in refused)


async def test_cost_is_taken_from_every_window(limiter: RateLimiter, tag: str) -> None:
    policy = Policy("bulk", (Window(10, 60, "60s"), Window(100, 3600, "1h")))
    key = f"hood:{tag}"
    first = await limiter.hit(policy, key, cost=6)
    second = await limiter.hit(policy, key, cost=5)

    assert first.allowed
    assert [s.remaining for s in first.states] == [4, 94]
    assert not second.allowed
    assert [s.remaining for s in second.states] == [4, 94]
    with pytest.raises(ValueError):
        await limiter.hit(policy, key, cost=0)


async def test_moving_window(limiter: RateLimiter, tag: str) -> None:
    rolling = Window(3, 10, "10s")
    policy = Policy("rolling", (rolling,), strategy="moving")
    key = f"hubspot:{tag}"
    decisions = [await limiter.hit(policy, key) for _ in range(4)]

    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [remaining(d, rolling) for d in decisions] == [2, 1, 0, 0]
    assert 1 <= decisions[3].retry_after <= 10
    assert all(1 <= d.states[0].reset_seconds <= 10 for d in decisions)


async def test_keys_are_independent(limiter: RateLimiter, tag: str) -> None:
    policy = Policy("per-minute", (PER_MINUTE,))
    for _ in range(3):
        assert (await limiter.hit(policy, f"hood:{tag}:a")).allowed
    assert not (await limiter.hit(policy, f"hood:{tag}:a")).allowed

    other = await limiter.hit(policy, f"hood:{tag}:b")
    assert other.allowed
    assert remaining(other, PER_MINUTE) == 2


@pytest.mark.redis
async def test_two_limiters_on_one_redis_share_a_budget(redis_client: Redis, tag: str) -> None:
    policy = Policy("per-minute", (PER_MINUTE,))
    key = f"hood:{tag}"
    worker_a, worker_b = RateLimiter(REDIS_URL), RateLimiter(REDIS_URL)
    try:
        assert worker_a.backend == worker_b.backend == "redis"
        assert (await worker_a.hit(policy, key)).allowed
        assert (await worker_b.hit(policy, key)).allowed
        third = await worker_a.hit(policy, key)
        assert third.allowed and remaining(third, PER_MINUTE) == 0
        refused = await worker_b.hit(policy, key)
        assert not refused.allowed
        assert 1 <= refused.retry_after <= 60
    finally:
        await worker_a.close()
        await worker_b.close()


async def test_concurrent_hits_never_exceed_the_budget(limiter: RateLimiter, tag: str) -> None:
    policy = Policy("per-minute", (Window(5, 60, "60s"),))
    decisions = await asyncio.gather(*(limiter.hit(policy, f"hood:{tag}") for _ in range(20)))
    assert sum(d.allowed for d in decisions) == 5


async def test_unreachable_redis_raises_unavailable(tag: str) -> None:
    limiter = RateLimiter("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        assert limiter.backend == "redis"
        assert not await limiter.check_ready()
        with pytest.raises(RateLimiterUnavailable):
            await limiter.hit(Policy("per-second", (PER_SECOND,)), f"hood:{tag}")
    finally:
        await limiter.close()


def test_tightest_prefers_lowest_share_then_shorter_window() -> None:
    a, b = Window(10, 1, "1s"), Window(100, 60, "60s")
    tie = Decision(True, (WindowState(b, 50, 30), WindowState(a, 5, 1)), 0)
    assert tie.tightest().window == a
    longer = Decision(True, (WindowState(a, 9, 1), WindowState(b, 10, 30)), 0)
    assert longer.tightest().window == b


def test_invalid_policies_are_rejected() -> None:
    with pytest.raises(ValueError):
        Policy("empty", ())
    with pytest.raises(ValueError):
        Window(0, 1, "zero")
