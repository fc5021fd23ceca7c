"""Hood integrations: an account's configured SMS and e-mail senders, one provider each.

Settings are plain strings checked against the provider's schema; the secret ones are stored
encrypted and answered masked. An integration is effectively active only while its status is
`active` and its current settings have passed a validate or test-notification: each settings
value set is identified by a keyed fingerprint, and the fingerprint that last passed is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from partnerhub.domain.history import REDACTED, Changes
from partnerhub.domain.unset import UNSET, Unset

STATUSES = ("active", "inactive")
TYPES = ("sms", "email")
MASK = "****"
# A secret is answered as MASK plus its last characters only when it is long enough that they
# give little away; shorter secrets are answered as MASK alone.
SHOWN_TAIL = 4
MIN_LEN_FOR_TAIL = 12


def masked(secret: str) -> str:
    return MASK + secret[-SHOWN_TAIL:] if len(secret) >= MIN_LEN_FOR_TAIL else MASK


def effective_status(status: str, settings_fingerprint: str, verified: str | None) -> str:
    return "active" if status == "active" and verified == settings_fingerprint else "inactive"


@dataclass(frozen=True, slots=True)
class Integration:
    """As stored: secret settings still encrypted."""

    id: int
    account_id: int
    version: int
    name: str
    type: str
    provider_id: str
    settings: dict[str, str]
    status: str
    is_default: bool
    settings_fingerprint: str
    verified_fingerprint: str | None
    create_time: datetime
    update_time: datetime

    @property
    def effective_status(self) -> str:
        return effective_status(self.status, self.settings_fingerprint, self.verified_fingerprint)


@dataclass(frozen=True, slots=True)
class IntegrationDraft:
    """A create (or validate, or inline test-notification) body, settings not yet checked
    against the provider's schema."""

    name: str
    provider_id: str
    settings: Mapping[str, Any]
    status: str = "active"
    is_default: bool = False


@dataclass(frozen=True, slots=True)
class IntegrationPatch:
    """The fields a PATCH sent (UNSET: not sent). `settings` merges key by key into the
    current settings; a key sent as null is removed; a secret sent back masked is kept."""

    name: str | Unset = UNSET
    status: str | Unset = UNSET
    is_default: bool | Unset = UNSET
    settings: Mapping[str, Any] | Unset = UNSET

    def is_empty(self) -> bool:
        return all(v is UNSET for v in (self.name, self.status, self.is_default, self.settings))


@dataclass(frozen=True, slots=True)
class IntegrationView:
    """What a surface shows: secret settings masked."""

    integration: Integration
    settings: dict[str, str]
    provider_name: str
    provider_logo: str | None


@dataclass(frozen=True, slots=True)
class TestNotification:
    recipient: str
    integration_id: int | None = None
    integration: IntegrationDraft | None = None


def merge_settings(
    current: Mapping[str, str], sent: Mapping[str, Any], secret: frozenset[str]
) -> dict[str, Any]:
    """PATCH settings over the current plaintext ones. A secret sent back in its masked form
    keeps the stored secret."""
    merged: dict[str, Any] = dict(current)
    for key, value in sent.items():
        if value is None:
            merged.pop(key, None)
        elif key in secret and key in current and value == masked(current[key]):
            continue
        else:
            merged[key] = value
    return merged


def settings_changes(
    old: Mapping[str, str], new: Mapping[str, str], secret: frozenset[str]
) -> Changes:
    """History lines of a settings change: a secret's line says that it changed, never its
    value."""
    changes: Changes = {}
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key in secret:
            before = None if before is None else REDACTED
            after = None if after is None else REDACTED
        changes[f"settings.{key}"] = {"old": before, "new": after}
    return changes
