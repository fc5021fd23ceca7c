"""Core OAuth: the password grant. A partner's login and password (checked by
`password_checks`) buy a foundation token (`ph_…`) bound to that partner, with (a subset of) the
partner's scopes."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from partnerhub.domain.accounts import TokenInfo
from partnerhub.domain.clock import utcnow
from partnerhub.domain.core_partners import CorePartner
from partnerhub.errors import ValidationFailed
from partnerhub.services import accounts
from partnerhub.storage.unit_of_work import UnitOfWork

DEFAULT_LIFETIME = timedelta(hours=24)
MAX_LIFETIME_SECONDS = 365 * 24 * 3600
TOKEN_SID_NAMESPACE = uuid.UUID("6f1d0a52-43a5-4d0e-9a3c-6c1b0f0e2a11")


@dataclass(frozen=True, slots=True)
class IssuedToken:
    info: TokenInfo
    secret: str
    partner: CorePartner

    @property
    def token_sid(self) -> str:
        return str(uuid.uuid5(TOKEN_SID_NAMESPACE, f"token:{self.info.id}"))


@dataclass(frozen=True, slots=True)
class PasswordGrant:
    """A well-formed token request: who logs in, and what token they ask for."""

    login: str
    password: str
    scope: str | None
    name: str | None
    lifetime: timedelta


def password_grant(form: Mapping[str, str]) -> PasswordGrant:
    """The token request's form fields, checked (the credentials are not verified here)."""
    if form.get("grant_type") != "password":
        raise ValidationFailed.one(
            "grant_type", "grant_type must be password (the only grant partnerhub supports)."
        )
    login = form.get("username") or form.get("login") or ""
    password = form.get("password", "")
    if not login or not password:
        raise ValidationFailed.one(
            "username" if not login else "password", "username and password are required."
        )
    return PasswordGrant(
        login=login,
        password=password,
        scope=form.get("scope"),
        name=form.get("name"),
        lifetime=lifetime(form.get("access_token_expires_in")),
    )


def requested_scopes(partner: CorePartner, scope: str | None) -> tuple[str, ...]:
    if not scope or not scope.strip():
        return partner.available_scopes
    wanted = tuple(dict.fromkeys(scope.replace(",", " ").split()))
    extra = [s for s in wanted if s not in partner.available_scopes]
    if extra:
        raise ValidationFailed.one(
            "scope", f"scope: not available to this partner: {', '.join(extra)}.", "INVALID_SCOPE"
        )
    return wanted


def lifetime(expires_in: str | None) -> timedelta:
    if expires_in is None or expires_in == "":
        return DEFAULT_LIFETIME
    if not (expires_in.isascii() and expires_in.isdigit()) or not (
        1 <= int(expires_in) <= MAX_LIFETIME_SECONDS
    ):
        raise ValidationFailed.one(
            "access_token_expires_in",
            "access_token_expires_in must be a number of seconds from 1 to "
            f"{MAX_LIFETIME_SECONDS}.",
        )
    return timedelta(seconds=int(expires_in))


async def issue(
    uow: UnitOfWork,
    *,
    partner: CorePartner,
    scopes: Sequence[str],
    name: str | None,
    expires_in: timedelta,
) -> IssuedToken:
    """A new token bound to `partner` (the caller has authenticated as it)."""
    expires_at: datetime = utcnow() + expires_in
    info, secret = await accounts.create_token(
        uow,
        account_id=partner.account_id,
        name=(name or f"oauth:{partner.login}")[:200],
        scopes=list(scopes),
        expires_at=expires_at,
        core_partner_id=partner.id,
    )
    return IssuedToken(info, secret, partner)
