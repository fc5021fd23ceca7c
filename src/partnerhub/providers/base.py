"""What every provider is: its settings schema, the transports it talks through, its errors."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formataddr
from typing import Any, ClassVar, Literal

import httpx

from partnerhub.errors import DomainError, ProblemList

ProviderType = Literal["sms", "email"]
MAX_SETTING_LENGTH = 255
NO_SUBJECT = "(no subject)"


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


@dataclass(frozen=True)
class Transports:
    """How providers reach the outside: the shared HTTP client, one timeout, base URL overrides."""

    http: httpx.AsyncClient
    timeout: float
    base_urls: Mapping[str, str]
    smtp_ca_file: str | None = None

    def base_url(self, name: str, default: str) -> str:
        return (self.base_urls.get(name) or default).rstrip("/")


class Provider(ABC):
    id: ClassVar[str]
    type: ClassVar[ProviderType]
    name: ClassVar[str]
    service: ClassVar[str] = ""
    """The remote service's short name (default: `name`), prefixing every ProviderError."""
    logo: ClassVar[str | None] = None
    settings_schema: ClassVar[tuple[SettingField, ...]] = ()

    @property
    def secret_fields(self) -> frozenset[str]:
        return frozenset(f.name for f in self.settings_schema if f.secret)

    def check_settings(self, settings: Mapping[str, Any]) -> dict[str, str]:
        """Keep the schema's fields (others dropped); ValidationFailed lists every problem."""
        problems = ProblemList()
        if not isinstance(settings, Mapping):
            problems.add("settings", "settings must be an object.")
            problems.raise_if_any()
        clean: dict[str, str] = {}
        for spec in self.settings_schema:
            field = f"settings.{spec.name}"
            value = settings.get(spec.name)
            if value is None:
                if spec.required:
                    problems.add(field, f"{field} is required.", "REQUIRED")
            elif not isinstance(value, str):
                problems.add(field, f"{field} must be a string.")
            elif not 1 <= len(value) <= MAX_SETTING_LENGTH:
                problems.add(field, f"{field} must be 1 to {MAX_SETTING_LENGTH} characters long.")
            else:
                clean[spec.name] = value
        self.check_values(clean, problems)
        problems.raise_if_any()
        return clean

    def check_values(self, settings: Mapping[str, str], problems: ProblemList) -> None:
        """Provider-specific rules on the values that passed the schema; add to `problems`."""
        return None

    def sender(self, settings: Mapping[str, str]) -> str:
        if self.type == "sms":
            return settings["default_phone_number"]
        email = settings["default_sender_email"]
        name = settings.get("default_sender_name")
        return formataddr((name, email)) if name else email

    def error(self, settings: Mapping[str, str], reason: str) -> ProviderError:
        """A ProviderError `<service>: <reason>`, any secret setting value masked out of it."""
        for name in self.secret_fields:
            secret = settings.get(name)
            if secret:
                reason = reason.replace(secret, "****")
        return ProviderError(f"{self.service or self.name}: {reason}")

    @abstractmethod
    async def validate(self, settings: Mapping[str, str], transports: Transports) -> None:
        """Try `settings` against the provider; ProviderError when they do not work."""

    @abstractmethod
    async def send(
        self, settings: Mapping[str, str], transports: Transports, message: Message
    ) -> None:
        """Deliver `message`; ProviderError when the provider refuses it."""
