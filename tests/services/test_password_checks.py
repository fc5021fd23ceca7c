"""PasswordChecks: verifications run off the event loop, one at a time per worker, behind a
short queue; beyond it the answer is 503 at once instead of a growing backlog."""

from __future__ import annotations

import asyncio
import threading

import pytest

from partnerhub.auth import passwords
from partnerhub.errors import Unauthenticated, Unavailable
from partnerhub.ratelimit import RateLimiter
from partnerhub.services import password_checks
from partnerhub.services.password_checks import PasswordChecks
from partnerhub.storage.database import Database


@pytest.fixture
async def checks(database_url: str) -> PasswordChecks:
    db = Database.open(database_url, pool_size=5)
    checker = PasswordChecks(
        db, RateLimiter(), cache_seconds=10, per_second=1000, per_client_per_minute=1000
    )
    yield checker  # type: ignore[misc]
    checker.close()
    await db.dispose()


async def test_the_queue_is_short_and_the_loop_stays_free(
    checks: PasswordChecks, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def slow_verify(stored: str, password: str) -> bool:
        release.wait(10)
        return False

    monkeypatch.setattr(passwords, "verify_password", slow_verify)
    waiting = [
        asyncio.create_task(checks.check(f"login-{i}", "pw", client=f"10.0.0.{i}"))
        for i in range(password_checks.MAX_WAITING)
    ]
    for _ in range(1000):  # the event loop runs while a verification blocks its thread
        if checks.verifications == password_checks.MAX_WAITING:
            break
        await asyncio.sleep(0.01)
    with pytest.raises(Unavailable):
        await checks.check("one-too-many", "pw", client="10.0.1.1")
    release.set()
    results = await asyncio.gather(*waiting, return_exceptions=True)
    assert all(isinstance(r, Unauthenticated) for r in results)
    # Once the queue has drained, checks are taken again.
    with pytest.raises(Unauthenticated):
        await checks.check("after-the-flood", "pw", client="10.0.1.2")


def test_an_unusable_or_garbled_hash_costs_a_verification(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = passwords._HASHER

    class Counting:
        def verify(self, stored: str, password: str) -> bool:
            seen.append(stored)
            return real.verify(stored, password)

    monkeypatch.setattr(passwords, "_HASHER", Counting())
    for stored in (passwords.UNUSABLE, "not-a-hash", real.hash("right")):
        assert passwords.verify_password(stored, "wrong") is False
    assert len(seen) == 3
    assert passwords.verify_password(real.hash("right"), "right") is True
