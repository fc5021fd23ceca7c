from __future__ import annotations

import base64

import pytest

from partnerhub.providers import REGISTRY, Message, ProviderError
from provider_servers import MakeTransports, http_stub, mailgun_routes

KEY = "key-mailgun-api-key-3456"
DOMAIN = "mg.example.com"
SETTINGS = {
    "api_key": KEY,
    "domain": DOMAIN,
    "default_sender_email": "noreply@mg.example.com",
    "default_sender_name": "Partner Hub",
}
AUTH = "Basic " + base64.b64encode(f"api:{KEY}".encode()).decode()
mailgun = REGISTRY["1003"]


async def test_validate_gets_the_domain(make_transports: MakeTransports) -> None:
    with http_stub(mailgun_routes(KEY, DOMAIN)) as stub:
        await mailgun.validate(SETTINGS, make_transports(stub.url))
    [request] = stub.requests
    assert (request.method, request.path) == ("GET", f"/v3/domains/{DOMAIN}")
    assert request.headers["authorization"] == AUTH


async def test_send_posts_the_message_form(make_transports: MakeTransports) -> None:
    with http_stub(mailgun_routes(KEY, DOMAIN)) as stub:
        message = Message("bob@example.org", "Hello Bob", "Greetings")
        await mailgun.send(SETTINGS, make_transports(stub.url), message)
    [request] = stub.requests
    assert (request.method, request.path) == ("POST", f"/v3/{DOMAIN}/messages")
    assert request.headers["authorization"] == AUTH
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.form() == {
        "from": "Partner Hub <noreply@mg.example.com>",
        "to": "bob@example.org",
        "subject": "Greetings",
        "text": "Hello Bob",
    }


async def test_wrong_key_quotes_mailgun_plain_text(make_transports: MakeTransports) -> None:
    with http_stub(mailgun_routes("key-other", DOMAIN)) as stub:
        transports = make_transports(stub.url)
        with pytest.raises(ProviderError) as validating:
            await mailgun.validate(SETTINGS, transports)
        with pytest.raises(ProviderError) as sending:
            await mailgun.send(SETTINGS, transports, Message("bob@example.org", "Hi", "S"))
    assert validating.value.message == sending.value.message == "mailgun: Forbidden"


async def test_unknown_domain_quotes_mailgun_json(make_transports: MakeTransports) -> None:
    with (
        http_stub(mailgun_routes(KEY, "other.example.com")) as stub,
        pytest.raises(ProviderError) as err,
    ):
        await mailgun.validate(SETTINGS, make_transports(stub.url))
    assert err.value.message == "mailgun: Domain not found"


async def test_refused_message_quotes_mailgun(make_transports: MakeTransports) -> None:
    with http_stub(mailgun_routes(KEY, DOMAIN)) as stub, pytest.raises(ProviderError) as err:
        await mailgun.send(SETTINGS, make_transports(stub.url), Message("bob@example.org", ""))
    assert err.value.message == (
        "mailgun: Need at least one of 'text', 'html', 'amp-html' or 'template' "
        "parameters specified"
    )
