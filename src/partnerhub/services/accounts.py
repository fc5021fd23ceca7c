"""Accounts, tokens and members: the CLI's use-cases, and token verification for every request."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from partnerhub.auth import tokens as token_codec
from partnerhub.auth.scopes import ADMIN_SCOPE, ALL_SCOPES, unknown_scopes
from partnerhub.domain import validators
from partnerhub.domain.accounts import Account, Actor, Member, TokenInfo
from partnerhub.domain.clock import utcnow
from partnerhub.domain.core_partners import check_password
from partnerhub.domain.numbers import ascii_int
from partnerhub.errors import Conflict, NotFound, Unauthenticated, ValidationFailed
from partnerhub.services import core_partners
from partnerhub.storage.database import Database
from partnerhub.storage.unit_of_work import UnitOfWork

HOOD_TIERS = ("A", "B", "C", "D", "E")
MEMBER_STATUSES = ("active", "suspended")
FIRST_ACCOUNT = "default"  # what the first start on an empty database creates


@dataclass(frozen=True, slots=True)
class NewAccount:
    """What creating an account shows once: its token and its root Core partner's login."""

    account: Account
    token: str
    core_login: str
    core_password: str


async def create_account(
    uow: UnitOfWork,
    *,
    name: str,
    hood_tier: str = "C",
    token: str | None = None,
    core_password: str | None = None,
    admin: bool = False,
    source: str | None = None,
) -> NewAccount:
    """Create an account, its first token (every scope; `admin`: and partnerhub.admin) and its
    root Core partner (a login with a random password). `token` and `core_password` are known
    values to use instead of random ones (checked as `check_known_secrets` does); `source`
    names the author of the root partner's history (a seed file). The secrets are returned
    here and never again."""
    check_known_secrets(token=token, core_password=core_password)
    if not name.strip():
        raise ValidationFailed.one("name", "name must not be empty.")
    if hood_tier not in HOOD_TIERS:
        tiers = ", ".join(HOOD_TIERS)
        raise ValidationFailed.one("hood_tier", f"hood_tier must be one of {tiers}.")
    if await uow.accounts.get_by_name(name):
        raise Conflict(f"An account named {name!r} already exists.", field="name")
    account = await uow.accounts.create(name=name, hood_tier=hood_tier)
    scopes = (*ALL_SCOPES, ADMIN_SCOPE) if admin else ALL_SCOPES
    _, secret = await create_token(
        uow, account_id=account.id, name="default", scopes=scopes, secret=token
    )
    root, password = await core_partners.create_root(
        uow,
        account_id=account.id,
        account_name=account.name,
        password=core_password,
        source=source,
    )
    return NewAccount(account, secret, root.login, password)


async def bootstrap(
    uow: UnitOfWork,
    *,
    hood_tier: str,
    token: str | None = None,
    core_password: str | None = None,
) -> NewAccount | None:
    """The first start on an empty database: the account `default`, its token (every scope and
    partnerhub.admin) and its root Core login, random or the known `token` / `core_password`.
    None, and nothing written, once the database has accounts."""
    if await uow.accounts.count():
        return None
    return await create_account(
        uow,
        name=FIRST_ACCOUNT,
        hood_tier=hood_tier,
        token=token,
        core_password=core_password,
        admin=True,
    )


def check_known_secrets(
    *,
    token: str | None,
    core_password: str | None,
    token_field: str = "token",  # noqa: S107 - a field's name
    password_field: str = "core_password",  # noqa: S107 - a field's name
) -> None:
    """Refuse a known token that is not of the minted form, or a Core password the Core API
    would refuse, before anything is written."""
    if token is not None:
        token_codec.known(token, token_field)
    if core_password is not None:
        check_password(core_password, password_field)


async def get_account(uow: UnitOfWork, *, name_or_id: str) -> Account:
    """The account named `name_or_id`, or whose id it spells in ASCII digits ("²" is a name)."""
    account_id = ascii_int(name_or_id)
    account = (
        await uow.accounts.get(account_id) if account_id is not None else None
    ) or await uow.accounts.get_by_name(name_or_id)
    if account is None:
        raise NotFound("account", name_or_id)
    return account


async def set_limits(
    uow: UnitOfWork,
    *,
    account_id: int,
    hood_tier: str | None = None,
    rate_limits: dict[str, list[list[int]]] | None = None,
) -> Account:
    if hood_tier is not None and hood_tier not in HOOD_TIERS:
        raise ValidationFailed.one(
            "hood_tier", f"hood_tier must be one of {', '.join(HOOD_TIERS)}."
        )
    await uow.accounts.set_limits(account_id, hood_tier=hood_tier, rate_limits=rate_limits)
    account = await uow.accounts.get(account_id)
    assert account is not None
    return account


async def create_token(
    uow: UnitOfWork,
    *,
    account_id: int,
    name: str,
    scopes: Sequence[str],
    expires_at: datetime | None = None,
    core_partner_id: int | None = None,
    secret: str | None = None,
) -> tuple[TokenInfo, str]:
    """Mint a token (`secret`: use this known one, of the minted form). The secret is returned
    here and never again; only its hash is stored."""
    bad = unknown_scopes(list(scopes))
    if bad:
        raise ValidationFailed.one("scopes", f"Unknown scope(s): {', '.join(bad)}.")
    if not scopes:
        raise ValidationFailed.one("scopes", "A token needs at least one scope.")
    if expires_at is not None and expires_at <= utcnow():
        raise ValidationFailed.one("expires_at", "expires_at must be in the future.")
    minted = token_codec.mint() if secret is None else token_codec.known(secret, "token")
    if secret is not None and await uow.tokens.hash_taken(minted.token_hash):
        raise Conflict("This token is already in use; choose another.", field="token")
    info = await uow.tokens.create(
        account_id=account_id,
        name=name,
        prefix=minted.display_prefix,
        token_hash=minted.token_hash,
        scopes=list(dict.fromkeys(scopes)),
        expires_at=expires_at,
        core_partner_id=core_partner_id,
    )
    return info, minted.secret


_token_name = validators.column_text("tokens", "name")


async def list_tokens(uow: UnitOfWork, *, account_id: int) -> list[TokenInfo]:
    return await uow.tokens.list(account_id)


async def create_token_as(
    uow: UnitOfWork,
    actor: Actor,
    *,
    name: object,
    scopes: Sequence[str],
    expires_at: datetime | None = None,
) -> tuple[TokenInfo, str]:
    """A token minted by a token holder (the console): of the holder's account, acting as the
    holder's Core partner, with no scope the holder lacks."""
    beyond = [s for s in scopes if s not in actor.scopes and not unknown_scopes([s])]
    if beyond:
        raise ValidationFailed.one(
            "scopes", f"scopes: a token cannot grant a scope it lacks: {', '.join(beyond)}."
        )
    return await create_token(
        uow,
        account_id=actor.account_id,
        name=_token_name(name, "name"),
        scopes=scopes,
        expires_at=expires_at,
        core_partner_id=actor.core_partner_id,
    )


async def revoke_token(uow: UnitOfWork, *, account_id: int, token_id: int) -> None:
    if not await uow.tokens.revoke(account_id, token_id):
        raise NotFound("token", str(token_id))


async def create_member(
    uow: UnitOfWork,
    *,
    account_id: int,
    name: str,
    email: str,
    status: str = "active",
    image: str | None = None,
    id: int | None = None,
) -> Member:
    """A new member; `id`: the id to give it (else one is issued)."""
    if status not in MEMBER_STATUSES:
        raise ValidationFailed.one("status", "status must be one of active, suspended.")
    if id is not None and await uow.members.id_taken(id):
        raise Conflict(f"The id {id} is already in use.", field="id")
    return await uow.members.create(
        id=id,
        account_id=account_id,
        name=validators.short_text(name, "name", max_len=200),
        email=validators.email(email, "email"),
        status=status,
        image=image,
    )


# A cached token seen in the last quarter of its time is looked up again in the background
# while the cached answer is still served: a busy token's entry never lapses, so no request
# waits for the look-up (at the lapse, every request in flight used to wait ~30-50 ms for it).
REFRESH_AHEAD = 0.25


class TokenVerifier:
    """Turns a bearer secret into an Actor: one indexed look-up, then a short in-process cache.

    The cache keeps the hot path at zero queries for repeat callers. An entry is trusted for
    `cache_seconds` from the moment its look-up began, never longer, so a revoked or expired
    token stops working within `cache_seconds` of the change; a busy token is looked up again
    shortly before its entry lapses, without making a request wait.
    """

    def __init__(
        self, db: Database, *, cache_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._db = db
        self._ttl = cache_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, Actor, datetime | None]] = {}
        # Look-ups under way, by token hash: requests that need one while it runs wait for it
        # instead of each making their own.
        self._pending: dict[str, asyncio.Task[Actor | None]] = {}

    async def verify(self, secret: str | None) -> Actor:
        if not secret or not token_codec.looks_like_token(secret):
            raise Unauthenticated("Missing or malformed bearer token.")
        token_hash = token_codec.hash_token(secret)
        now = self._clock()
        cached = self._cache.get(token_hash)
        if cached is not None and cached[0] > now:
            trusted_until, actor, expires_at = cached
            if expires_at is None or expires_at > utcnow():
                if trusted_until - now < self._ttl * REFRESH_AHEAD:
                    self._look_up(token_hash)  # in the background; this request goes on
                return actor
        found = await asyncio.shield(self._look_up(token_hash))
        if found is None:
            raise Unauthenticated("The bearer token is invalid, expired or revoked.")
        return found

    def forget_all(self) -> None:
        self._cache.clear()

    def _look_up(self, token_hash: str) -> asyncio.Task[Actor | None]:
        """The look-up of `token_hash` under way, or a new one. A task of its own: a caller that
        goes away (client disconnect) does not cancel the look-up others are waiting for."""
        task = self._pending.get(token_hash)
        if task is None:
            task = asyncio.ensure_future(self._fetch(token_hash))
            self._pending[token_hash] = task
            task.add_done_callback(lambda done: self._forget(token_hash, done))
        return task

    async def _fetch(self, token_hash: str) -> Actor | None:
        """Look the token up and cache the answer (or drop the entry of an unusable one)."""
        started = self._clock()
        async with self._db.transaction() as uow:
            found = await uow.tokens.get_with_account(token_hash)
        if found is None or not found[0].is_usable(utcnow()):
            self._cache.pop(token_hash, None)
            return None
        info, account = found
        actor = Actor(
            account_id=account.id,
            token_id=info.id,
            scopes=frozenset(info.scopes),
            hood_tier=account.hood_tier,
            rate_limits=account.rate_limits,
            core_partner_id=info.core_partner_id,
        )
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[token_hash] = (started + self._ttl, actor, info.expires_at)
        return actor

    def _forget(self, token_hash: str, task: asyncio.Task[Actor | None]) -> None:
        if self._pending.get(token_hash) is task:
            del self._pending[token_hash]
        if not task.cancelled():
            task.exception()  # retrieved, even if every caller went away
