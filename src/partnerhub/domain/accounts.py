"""Accounts, tokens and the actor a request runs as."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

Surface = str  # "hood" | "core" | "crm" | "cli"


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    name: str
    hood_tier: str
    rate_limits: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    account_id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    core_partner_id: int | None = None

    def is_usable(self, now: datetime) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: the token's (or the Basic credentials') account and scopes, and the
    surface it came through."""

    account_id: int
    token_id: int | None
    scopes: frozenset[str]
    hood_tier: str = "C"
    rate_limits: dict[str, Any] = field(default_factory=dict)
    surface: Surface = "cli"
    # Core: the partner this token acts as (None: the account's root partner).
    core_partner_id: int | None = None
    # Who acts when no token does, for history ("basic:<partner_sid>": Core HTTP Basic).
    source: str | None = None

    def has_any(self, *scopes: str) -> bool:
        return any(s in self.scopes for s in scopes)

    def via(self, surface: Surface) -> Actor:
        return replace(self, surface=surface)


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    account_id: int
    name: str
    email: str
    status: str
    image: str | None
    create_time: datetime
    update_time: datetime
