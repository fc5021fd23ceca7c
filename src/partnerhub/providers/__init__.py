"""Integration providers (SMS, e-mail): one module each, registered here in code, not data.

A provider declares its settings schema (which fields are secret, so services encrypt them with
Runtime.secrets and answer them masked), checks settings against it (`check_settings`), tries
them against the provider's own service (`validate`) and sends a message (`send`). The caller
passes the transports in and makes these calls outside any database transaction. Model: Netflix
Dispatch `src/dispatch/plugins/base/v1.py` (`_schema`, `validate_options`).
"""

from __future__ import annotations

from partnerhub.errors import NotFound
from partnerhub.providers.base import (
    Message,
    Provider,
    ProviderError,
    ProviderType,
    SettingField,
    Transports,
)
from partnerhub.providers.custom_email import CustomEmail
from partnerhub.providers.mailgun import Mailgun
from partnerhub.providers.sendgrid import SendGrid
from partnerhub.providers.twilio import Twilio

__all__ = [
    "REGISTRY",
    "Message",
    "Provider",
    "ProviderError",
    "ProviderType",
    "SettingField",
    "Transports",
    "all",
    "get",
]

REGISTRY: dict[str, Provider] = {
    provider.id: provider for provider in (Twilio(), CustomEmail(), SendGrid(), Mailgun())
}


def get(provider_id: str) -> Provider:
    try:
        return REGISTRY[provider_id]
    except KeyError:
        raise NotFound("provider", provider_id) from None


def all() -> list[Provider]:
    return list(REGISTRY.values())
