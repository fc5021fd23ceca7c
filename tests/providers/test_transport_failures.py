"""Every HTTP provider turns refused connections, timeouts and 5xx answers into ProviderError."""

from __future__ import annotations

import pytest

from partnerhub.providers import REGISTRY, Message, Provider, ProviderError
from provider_servers import MakeTransports, Reply, Route, http_stub

HTTP_PROVIDERS = {
    "twilio": {"account_sid": "AC" + "2" * 32, "auth_token": "tok", "default_phone_number": "+1"},
    "sendgrid": {"api_key": "SG.key", "default_sender_email": "a@example.com"},
    "mailgun": {"api_key": "key", "domain": "mg.example.com", "default_sender_email": "a@b.c"},
}
CASES = [(REGISTRY[pid], HTTP_PROVIDERS[REGISTRY[pid].name]) for pid in ("1000", "1002", "1003")]
IDS = [provider.name for provider, _ in CASES]
MESSAGE = Message("bob@example.org", "Hi", "S")


@pytest.mark.parametrize(("provider", "settings"), CASES, ids=IDS)
async def test_refused_connection(
    provider: Provider,
    settings: dict[str, str],
    refused_port: int,
    make_transports: MakeTransports,
) -> None:
    transports = make_transports(f"http://127.0.0.1:{refused_port}")
    expected = f"{provider.name}: connection refused by 127.0.0.1:{refused_port}"
    with pytest.raises(ProviderError) as validating:
        await provider.validate(settings, transports)
    with pytest.raises(ProviderError) as sending:
        await provider.send(settings, transports, MESSAGE)
    assert validating.value.message == sending.value.message == expected


@pytest.mark.parametrize(("provider", "settings"), CASES, ids=IDS)
async def test_silent_server_times_out(
    provider: Provider, settings: dict[str, str], silent_port: int, make_transports: MakeTransports
) -> None:
    transports = make_transports(f"http://127.0.0.1:{silent_port}", timeout=0.3)
    with pytest.raises(ProviderError) as err:
        await provider.validate(settings, transports)
    assert err.value.message == (
        f"{provider.name}: no answer from 127.0.0.1:{silent_port} within 0.3 s"
    )


@pytest.mark.parametrize(("provider", "settings"), CASES, ids=IDS)
async def test_server_error_without_a_known_body(
    provider: Provider, settings: dict[str, str], make_transports: MakeTransports
) -> None:
    routes = [
        Route(method, r"/.*", lambda request, match: Reply.text(503, "upstream unavailable"))
        for method in ("GET", "POST")
    ]
    with http_stub(routes) as stub, pytest.raises(ProviderError) as err:
        await provider.send(settings, make_transports(stub.url), MESSAGE)
    assert err.value.message == f"{provider.name}: HTTP 503 upstream unavailable"


@pytest.mark.parametrize(("provider", "settings"), CASES, ids=IDS)
async def test_invalid_base_url(
    provider: Provider, settings: dict[str, str], make_transports: MakeTransports
) -> None:
    with pytest.raises(ProviderError) as err:
        await provider.validate(settings, make_transports("ftp://127.0.0.1:21"))
    assert err.value.message == (
        f"{provider.name}: invalid URL (Request URL has an unsupported protocol 'ftp://'.)"
    )
