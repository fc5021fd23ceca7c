"""Every password check a caller can cause: Core's `POST /oauth/token` and HTTP Basic.

A check costs one argon2 verification (~28 ms of CPU), and anyone can ask for one, so:

- a successful check is remembered briefly, per worker, under a keyed hash of the login and the
  password (never the password itself): a client sending the same Basic credentials on every
  request pays one verification per `login_cache_seconds`, not one per request;
- every check that has to verify spends, in this order, the budget of its login from its client
  address, the budget of its client address, and the deployment's budget of verifications per
  second (shared through Redis when there is one). A login is never locked out by failures from
  other addresses; a flood from many addresses is bounded by the deployment's budget, and
  callers whose credentials were verified recently are not affected by it. A refusal is held a
  moment (`refusal_delay_seconds`) before it is answered, costing an idle connection and no CPU,
  so a guesser's connections cannot ask as fast as refusals can be made;
- verifications run in one thread per worker, off the event loop, with a short queue: beyond
  it the answer is 503 at once, not a growing backlog;
- an unknown login, a wrong password and a partner whose password is unusable cost the same
  (one verification against a hash of the same parameters) and get the same answer.

Cached verifications are forgotten at once on the worker that changes the partner's password or
`allow_basic_authentication` or deletes it, and within `login_cache_seconds` on the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from partnerhub.auth import passwords
from partnerhub.domain.accounts import Account, Actor
from partnerhub.domain.core_partners import LOGIN, CorePartner
from partnerhub.errors import RateLimited, Unauthenticated, Unavailable
from partnerhub.ratelimit import Policy, RateLimiter, Window
from partnerhub.storage.database import Database

PER_LOGIN = Policy("password-checks-per-login", (Window(20, 60, "60s"),))
MAX_WAITING = 16
_CACHE_MAX = 10_000
BAD_CREDENTIALS = "Bad credentials."
BASIC_TURNED_OFF = (
    "HTTP Basic authentication is turned off for this partner (allow_basic_authentication is "
    "false): use a bearer token."
)


@dataclass(frozen=True, slots=True)
class Verified:
    """A login whose password was checked: its partner and that partner's account."""

    partner: CorePartner
    account: Account


class PasswordChecks:
    def __init__(
        self,
        db: Database,
        limiter: RateLimiter,
        *,
        cache_seconds: float,
        per_second: int,
        per_client_per_minute: int,
        refusal_delay_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._limiter = limiter
        self._ttl = cache_seconds
        self._global = Policy("password-checks", (Window(per_second, 1, "1s"),))
        self._per_client = Policy(
            "password-checks-per-client", (Window(per_client_per_minute, 60, "60s"),)
        )
        self._clock = clock
        self._refusal_delay = refusal_delay_seconds
        # A key of this process only: the cache's keys mean nothing outside it.
        self._key = os.urandom(32)
        self._cache: dict[bytes, tuple[float, Verified]] = {}
        self._keys_of_partner: dict[int, set[bytes]] = {}
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="password-check")
        self._queued = 0
        # argon2 verifications made (tests count them; the cache's whole point).
        self.verifications = 0

    async def check(self, login: str, password: str, *, client: str) -> Verified:
        """The partner owning `login` if `password` is its password; Unauthenticated otherwise
        (RateLimited or Unavailable when the check cannot be afforded now)."""
        key = self._cache_key(login, password)
        cached = self._cache.get(key)
        if cached is not None:
            if cached[0] > self._clock():
                return cached[1]
            self._drop(key, cached[1].partner.id)
        await self._spend(PER_LOGIN, f"{client}:{login.lower()[:128]}")
        await self._spend(self._per_client, client)
        await self._spend(self._global, "all")
        found = await self._look_up(login)
        stored = found[1] if found is not None else passwords.UNUSABLE
        ok = await self._verify(stored, password)
        if found is None or not ok:
            raise Unauthenticated(BAD_CREDENTIALS)
        verified = found[0]
        self._remember(key, verified)
        return verified

    async def basic_actor(self, login: str, password: str, *, client: str) -> Actor:
        """The actor of a Core request sent with HTTP Basic credentials: the partner, with its
        `available_scopes`, as a token bound to it would act."""
        verified = await self.check(login, password, client=client)
        partner, account = verified.partner, verified.account
        if not partner.allow_basic_authentication:
            raise Unauthenticated(BASIC_TURNED_OFF)
        return Actor(
            account_id=account.id,
            token_id=None,
            scopes=frozenset(partner.available_scopes),
            hood_tier=account.hood_tier,
            rate_limits=account.rate_limits,
            core_partner_id=partner.id,
            source=f"basic:{partner.partner_sid}",
        )

    def forget(self, partner_ids: Iterable[int]) -> None:
        """Drop this worker's cached verifications of these partners (after a commit that
        changed their password or `allow_basic_authentication`, or deleted them)."""
        for partner_id in partner_ids:
            for key in self._keys_of_partner.pop(partner_id, set()):
                self._cache.pop(key, None)

    def forget_all(self) -> None:
        self._cache.clear()
        self._keys_of_partner.clear()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _cache_key(self, login: str, password: str) -> bytes:
        message = (
            login.encode("utf-8", "surrogatepass")
            + b"\0"
            + password.encode("utf-8", "surrogatepass")
        )
        return hmac.new(self._key, message, hashlib.sha256).digest()

    def _remember(self, key: bytes, verified: Verified) -> None:
        if self._ttl <= 0:
            return
        if len(self._cache) >= _CACHE_MAX:
            self._cache.clear()
            self._keys_of_partner.clear()
        self._cache[key] = (self._clock() + self._ttl, verified)
        self._keys_of_partner.setdefault(verified.partner.id, set()).add(key)

    def _drop(self, key: bytes, partner_id: int) -> None:
        self._cache.pop(key, None)
        keys = self._keys_of_partner.get(partner_id)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._keys_of_partner[partner_id]

    async def _spend(self, policy: Policy, key: str) -> None:
        try:
            await self._limiter.spend(policy, key)
        except RateLimited as refused:
            # Held a moment before answering (no CPU, an idle connection): a guesser's
            # connections then ask a few times a second each, not as fast as refusals are made.
            await asyncio.sleep(min(self._refusal_delay, refused.retry_after))
            raise

    async def _look_up(self, login: str) -> tuple[Verified, str] | None:
        if not LOGIN.fullmatch(login):
            return None  # no partner can have it (and PostgreSQL text holds no NUL)
        async with self._db.transaction() as uow:
            found = await uow.core_partners.get_by_login(login)
            if found is None:
                return None
            partner, password_hash = found
            account = await uow.accounts.get(partner.account_id)
        if account is None:
            return None
        return Verified(partner, account), password_hash

    async def _verify(self, stored: str, password: str) -> bool:
        if self._queued >= MAX_WAITING:
            raise Unavailable("Too many password checks are waiting; retry in a moment.")
        self.verifications += 1
        self._queued += 1
        # A caller that goes away cancels its verification if it has not started.
        done = asyncio.wrap_future(self._pool.submit(passwords.verify_password, stored, password))
        done.add_done_callback(self._release)
        return await done

    def _release(self, _: object) -> None:
        self._queued -= 1
