"""No ProviderError message carries a secret setting value, even when the provider echoes it."""

from __future__ import annotations

import pytest

from partnerhub.providers import REGISTRY, Message, ProviderError
from provider_servers import MakeTransports, Recorded, Reply, Route, SmtpServer, http_stub

SECRET = "very-secret-value-4242"
HTTP_SETTINGS = {
    "1000": {"account_sid": "AC" + "3" * 32, "auth_token": SECRET, "default_phone_number": "+1"},
    "1002": {"api_key": SECRET, "default_sender_email": "a@example.com"},
    "1003": {"api_key": SECRET, "domain": "mg.example.com", "default_sender_email": "a@b.c"},
}


def echo(request: Recorded, match: object) -> Reply:
    leak = f"bad credentials {SECRET}"
    return Reply.json(
        401,
        {"code": 20003, "message": leak, "errors": [{"field": None, "message": leak}]},
    )


@pytest.mark.parametrize("provider_id", sorted(HTTP_SETTINGS))
async def test_http_providers_mask_an_echoed_secret(
    provider_id: str, make_transports: MakeTransports
) -> None:
    provider = REGISTRY[provider_id]
    settings = HTTP_SETTINGS[provider_id]
    routes = [Route(method, r"/.*", echo) for method in ("GET", "POST")]
    with http_stub(routes) as stub:
        transports = make_transports(stub.url)
        for call in (
            provider.validate(settings, transports),
            provider.send(settings, transports, Message("bob@example.org", "Hi", "S")),
        ):
            with pytest.raises(ProviderError) as err:
                await call
            assert SECRET not in err.value.message
            assert "****" in err.value.message


async def test_smtp_failures_never_show_the_password(
    smtp: SmtpServer, refused_port: int, make_transports: MakeTransports
) -> None:
    provider = REGISTRY["1001"]
    settings = {
        "default_sender_email": "noreply@example.com",
        "default_sender_name": "Partner Hub",
        "username": smtp.username,
        "password": SECRET,
        "port": str(smtp.port),
        "sending_domain": "example.com",
        "host": smtp.host,
    }
    transports = make_transports("http://127.0.0.1:1")
    for changes in ({}, {"port": str(refused_port)}, {"tls_mode": "none"}):
        with pytest.raises(ProviderError) as err:
            await provider.send(settings | changes, transports, Message("bob@example.org", "Hi"))
        assert SECRET not in err.value.message
        assert SECRET not in repr(err.value)
