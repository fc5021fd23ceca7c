from __future__ import annotations

import httpx
import pytest

from partnerhub import providers
from partnerhub.config import Settings
from partnerhub.errors import NotFound
from partnerhub.providers import REGISTRY, Transports
from partnerhub.services.runtime import build_transports

SCHEMAS = {
    "1000": ("twilio", "sms", ["account_sid", "auth_token", "default_phone_number"]),
    "1001": (
        "custom_email_provider",
        "email",
        [
            "default_sender_email",
            "default_sender_name",
            "username",
            "password",
            "port",
            "sending_domain",
            "host",
            "tls_mode",
        ],
    ),
    "1002": ("sendgrid", "email", ["api_key", "default_sender_email", "default_sender_name"]),
    "1003": (
        "mailgun",
        "email",
        ["api_key", "domain", "default_sender_email", "default_sender_name"],
    ),
}
SECRETS = {"1000": {"auth_token"}, "1001": {"password"}, "1002": {"api_key"}, "1003": {"api_key"}}


def test_registry_ids_names_types_and_fields() -> None:
    assert {
        pid: (p.name, p.type, [f.name for f in p.settings_schema]) for pid, p in REGISTRY.items()
    } == SCHEMAS
    assert {pid: set(p.secret_fields) for pid, p in REGISTRY.items()} == SECRETS
    assert [p.id for p in providers.all()] == ["1000", "1001", "1002", "1003"]


def test_schema_fields_are_well_formed() -> None:
    for provider in REGISTRY.values():
        assert provider.logo is None or len(provider.logo) <= 100
        for spec in provider.settings_schema:
            assert 1 <= len(spec.name) <= 100 and spec.title and spec.type == "string"
    assert REGISTRY["1000"].settings_schema[0].title == "Account SID"


def test_unknown_provider_is_not_found() -> None:
    with pytest.raises(NotFound):
        providers.get("999")


def test_sender() -> None:
    assert REGISTRY["1000"].sender({"default_phone_number": "+1555"}) == "+1555"
    assert REGISTRY["1002"].sender({"default_sender_email": "a@example.com"}) == "a@example.com"
    named = {"default_sender_email": "a@example.com", "default_sender_name": "Hub, Inc."}
    assert REGISTRY["1003"].sender(named) == '"Hub, Inc." <a@example.com>'


async def test_transports_from_settings() -> None:
    settings = Settings(
        provider_timeout_seconds=2.5,
        provider_twilio_base_url="http://127.0.0.1:8001/",
        smtp_ca_file="/tmp/ca.pem",
    )
    transports = build_transports(settings)
    try:
        assert transports.timeout == 2.5
        assert transports.smtp_ca_file == "/tmp/ca.pem"
        assert transports.base_url("twilio", "https://api.twilio.com") == "http://127.0.0.1:8001"
        assert transports.base_url("sendgrid", "x") == "https://api.sendgrid.com"
        assert transports.base_url("mailgun", "x") == "https://api.mailgun.net"
        assert transports.base_url("other", "https://default.example") == "https://default.example"
    finally:
        await transports.http.aclose()


def test_timeout_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Settings(provider_timeout_seconds=0)


def test_transports_is_frozen() -> None:
    transports = Transports(httpx.AsyncClient(), 1.0, {})
    with pytest.raises(AttributeError):
        transports.timeout = 2.0  # type: ignore[misc]
