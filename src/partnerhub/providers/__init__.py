"""Integration providers (SMS, e-mail): one module each, registered here in code, not data.

A provider declares its settings schema (which fields are secret, so services encrypt them with
Runtime.secrets and answer them masked), checks settings against the provider's own service
(`validate`) and sends a message (`send`). The caller passes the HTTP client in and makes these
calls outside any database transaction. Model: Netflix Dispatch
`src/dispatch/plugins/base/v1.py` (`_schema`, `validate_options`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal

import httpx

from partnerhub.errors import DomainError, NotFound

ProviderType = Literal["sms", "email"]


class ProviderError(DomainError):
    """The provider refused the settings or the message; the message names the cause."""

    code = "PROVIDER_ERROR"


@dataclass(frozen=True, slots=True)
class SettingField:
    name: str
    title: str
    type: str = "string"
    required: bool = True
    secret: bool = False
    deprecated: bool = False


@dataclass(frozen=True, slots=True)
class Message:
    recipient: str
    body: str
    subject: str | None = None


class Provider(ABC):
    id: ClassVar[str]
    type: ClassVar[ProviderType]
    name: ClassVar[str]
    logo: ClassVar[str | None] = None
    settings_schema: ClassVar[tuple[SettingField, ...]] = ()

    @property
    def secret_fields(self) -> frozenset[str]:
        return frozenset(f.name for f in self.settings_schema if f.secret)

    @abstractmethod
    async def validate(self, settings: Mapping[str, str], client: httpx.AsyncClient) -> None:
        """Try `settings` against the provider; ProviderError when they do not work."""

    @abstractmethod
    async def send(
        self, settings: Mapping[str, str], client: httpx.AsyncClient, message: Message
    ) -> None:
        """Deliver `message`; ProviderError when the provider refuses it."""


REGISTRY: dict[str, Provider] = {}


def get(provider_id: str) -> Provider:
    try:
        return REGISTRY[provider_id]
    except KeyError:
        raise NotFound("provider", provider_id) from None


def all() -> list[Provider]:
    return list(REGISTRY.values())
