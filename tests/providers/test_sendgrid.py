from __future__ import annotations

import pytest

from partnerhub.providers import REGISTRY, Message, ProviderError
from provider_servers import SENDGRID_BAD_KEY, MakeTransports, http_stub, sendgrid_routes

KEY = "SG.sendgrid-api-key-9012"
SETTINGS = {
    "api_key": KEY,
    "default_sender_email": "noreply@example.com",
    "default_sender_name": "Partner Hub",
}
sendgrid = REGISTRY["1002"]


async def test_validate_reads_the_key_scopes(make_transports: MakeTransports) -> None:
    with http_stub(sendgrid_routes(KEY)) as stub:
        await sendgrid.validate(SETTINGS, make_transports(stub.url))
    [request] = stub.requests
    assert (request.method, request.path) == ("GET", "/v3/scopes")
    assert request.headers["authorization"] == f"Bearer {KEY}"


async def test_send_posts_mail_send_json(make_transports: MakeTransports) -> None:
    with http_stub(sendgrid_routes(KEY)) as stub:
        message = Message("bob@example.org", "Hello Bob", "Greetings")
        await sendgrid.send(SETTINGS, make_transports(stub.url), message)
    [request] = stub.requests
    assert (request.method, request.path) == ("POST", "/v3/mail/send")
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "personalizations": [{"to": [{"email": "bob@example.org"}]}],
        "from": {"email": "noreply@example.com", "name": "Partner Hub"},
        "subject": "Greetings",
        "content": [{"type": "text/plain", "value": "Hello Bob"}],
    }


async def test_sender_name_is_optional_and_subject_defaults(
    make_transports: MakeTransports,
) -> None:
    settings = {"api_key": KEY, "default_sender_email": "noreply@example.com"}
    with http_stub(sendgrid_routes(KEY)) as stub:
        await sendgrid.send(settings, make_transports(stub.url), Message("bob@example.org", "Hi"))
    body = stub.requests[0].json()
    assert body["from"] == {"email": "noreply@example.com"}
    assert body["subject"] == "(no subject)"


async def test_wrong_key_quotes_sendgrid(make_transports: MakeTransports) -> None:
    with http_stub(sendgrid_routes("SG.another-key")) as stub:
        transports = make_transports(stub.url)
        with pytest.raises(ProviderError) as err:
            await sendgrid.validate(SETTINGS, transports)
        with pytest.raises(ProviderError) as sending:
            await sendgrid.send(SETTINGS, transports, Message("bob@example.org", "Hi", "S"))
    assert err.value.message == sending.value.message == f"sendgrid: {SENDGRID_BAD_KEY}"


async def test_refused_message_quotes_sendgrid_and_field(make_transports: MakeTransports) -> None:
    with http_stub(sendgrid_routes(KEY)) as stub, pytest.raises(ProviderError) as err:
        await sendgrid.send(SETTINGS, make_transports(stub.url), Message("bob@example.org", ""))
    assert err.value.message == "sendgrid: The content value must be a string. (content.0.value)"
