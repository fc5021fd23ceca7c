from __future__ import annotations

import base64

import pytest

from partnerhub.providers import REGISTRY, Message, ProviderError
from provider_servers import MakeTransports, http_stub, twilio_routes

SID = "AC" + "1" * 32
TOKEN = "twilio-auth-token-5678"
SETTINGS = {"account_sid": SID, "auth_token": TOKEN, "default_phone_number": "+15005550006"}
twilio = REGISTRY["1000"]


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


async def test_validate_gets_the_account_with_basic_auth(make_transports: MakeTransports) -> None:
    with http_stub(twilio_routes(SID, TOKEN)) as stub:
        await twilio.validate(SETTINGS, make_transports(stub.url))
    [request] = stub.requests
    assert (request.method, request.path) == ("GET", f"/2010-04-01/Accounts/{SID}.json")
    assert request.headers["authorization"] == basic(SID, TOKEN)


async def test_send_posts_the_message_form(make_transports: MakeTransports) -> None:
    with http_stub(twilio_routes(SID, TOKEN)) as stub:
        await twilio.send(SETTINGS, make_transports(stub.url), Message("+38163123456", "Hi there"))
    [request] = stub.requests
    assert (request.method, request.path) == ("POST", f"/2010-04-01/Accounts/{SID}/Messages.json")
    assert request.headers["authorization"] == basic(SID, TOKEN)
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.form() == {"To": "+38163123456", "From": "+15005550006", "Body": "Hi there"}


async def test_wrong_token_quotes_twilio_message_and_code(make_transports: MakeTransports) -> None:
    with http_stub(twilio_routes(SID, "the-real-token")) as stub:
        transports = make_transports(stub.url)
        with pytest.raises(ProviderError) as err:
            await twilio.validate(SETTINGS, transports)
        with pytest.raises(ProviderError) as sending:
            await twilio.send(SETTINGS, transports, Message("+38163123456", "Hi"))
    assert err.value.message == sending.value.message == "twilio: Authenticate (code 20003)"
    assert err.value.status == 400
    assert err.value.code == "PROVIDER_ERROR"


async def test_refused_message_quotes_twilio(make_transports: MakeTransports) -> None:
    with http_stub(twilio_routes(SID, TOKEN)) as stub, pytest.raises(ProviderError) as err:
        await twilio.send(SETTINGS, make_transports(stub.url), Message("+38163123456", ""))
    assert err.value.message == "twilio: Message body is required. (code 21602)"


async def test_base_url_override_may_end_with_a_slash(make_transports: MakeTransports) -> None:
    with http_stub(twilio_routes(SID, TOKEN)) as stub:
        await twilio.validate(SETTINGS, make_transports(stub.url + "/"))
    assert stub.requests[0].path == f"/2010-04-01/Accounts/{SID}.json"
