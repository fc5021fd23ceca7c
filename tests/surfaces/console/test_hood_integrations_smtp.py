"""The console's "Send test" against a real local SMTP server (aiosmtpd, STARTTLS and login
required): the same service as the API's test-notification, and each provider outcome shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import World, suite_settings
from partnerhub.config import Settings
from provider_servers import SmtpServer, TlsFiles, closed_port, smtp_server, tls_files
from surfaces.console import hood_kit as k
from surfaces.console.kit import Console, SignIn, field_errors, text_of

PAGES = "/console/hood/integrations"
RECIPIENT = "partner.manager@example.org"


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return tls_files(Path(tmp_path_factory.mktemp("console-smtp-tls")))


@pytest.fixture
def smtp(tls: TlsFiles) -> Iterator[SmtpServer]:
    with smtp_server(tls) as server:
        yield server


@pytest.fixture
def settings(database_url: str, tls: TlsFiles) -> Settings:
    return suite_settings(database_url, smtp_ca_file=tls.ca_file, provider_timeout_seconds=1)


async def _mail_integration(world: World, server: SmtpServer, **overrides: str) -> str:
    return await k.integration(
        world, provider="1001", settings=server.integration_settings(**overrides)
    )


async def _send(console: Console, iid: str, recipient: str = RECIPIENT) -> tuple[int, str]:
    await console.get(f"{PAGES}/{iid}")
    response = await console.post(f"{PAGES}/{iid}/test", {"recipient": recipient})
    return response.status_code, response.text


async def test_send_test_delivers_and_shows_success(
    world: World, console: Console, smtp: SmtpServer
) -> None:
    iid = await _mail_integration(world, smtp)
    page = await console.get(f"{PAGES}/{iid}")
    assert '<button type="submit">Send test</button>' in page.text
    assert '<label for="f-recipient">Recipient e-mail address' in page.text
    response = await console.post(f"{PAGES}/{iid}/test", {"recipient": RECIPIENT})
    assert response.status_code == 303, text_of(response.text)
    assert response.headers["location"] == f"{PAGES}/{iid}?done=sent"
    (received,) = smtp.messages
    assert received.rcpt_tos == [RECIPIENT]
    assert received.message()["Subject"] == "partnerhub test notification"
    shown = await console.get(response.headers["location"])
    assert "Test notification sent." in text_of(shown.text)
    assert '<dd id="integration-effective-status">active</dd>' in shown.text
    assert smtp.password not in shown.text
    latest = (await k.api_history(world, f"integrations/{iid}"))[0]
    assert latest["surface"] == "console"
    assert latest["changes"]["effective_status"] == {"old": "inactive", "new": "active"}


async def test_a_wrong_password_shows_the_providers_refusal(
    world: World, console: Console, smtp: SmtpServer
) -> None:
    iid = await _mail_integration(world, smtp, password="not-the-password-at-all")
    status, page = await _send(console, iid)
    assert status == 400
    outcome = text_of(page.split('id="test-outcome">')[1].split("</div>")[0])
    assert outcome == "The test was not sent: smtp: 535 5.7.8 Authentication credentials invalid"
    assert "not-the-password-at-all" not in page
    assert smtp.messages == []
    assert (await k.api(world, f"integrations/{iid}"))["effective_status"] == "inactive"


async def test_a_refused_connection_is_shown_without_a_500(
    world: World, console: Console, smtp: SmtpServer
) -> None:
    port = closed_port()
    iid = await _mail_integration(world, smtp, port=str(port))
    status, page = await _send(console, iid)
    assert status == 400
    assert "connection refused" in text_of(page) and str(port) in text_of(page)
    assert 'value="partner.manager@example.org"' in page


@pytest.mark.parametrize(
    ("recipient", "message"),
    [
        ("", "recipient is required."),
        ("not-an-address", "recipient"),
        ("x" * 300 + "@example.org", "recipient"),
    ],
)
async def test_a_bad_recipient_is_named_next_to_the_field(
    world: World, console: Console, smtp: SmtpServer, recipient: str, message: str
) -> None:
    iid = await _mail_integration(world, smtp)
    status, page = await _send(console, iid, recipient)
    assert status == 422
    assert any(message in m for m in field_errors(page, "recipient")), text_of(page)
    assert smtp.messages == []


async def test_without_csrf_nothing_is_sent(
    world: World, console: Console, smtp: SmtpServer
) -> None:
    iid = await _mail_integration(world, smtp)
    await console.get(f"{PAGES}/{iid}")
    response = await console.post(f"{PAGES}/{iid}/test", {"recipient": RECIPIENT}, csrf=False)
    assert response.status_code == 403
    assert smtp.messages == []


async def test_without_the_write_scope_nothing_is_sent(
    world: World, console_as: SignIn, smtp: SmtpServer
) -> None:
    iid = await _mail_integration(world, smtp)
    console = await console_as(await world.token(world.alice, ["hood.integrations.read"]))
    status, _ = await _send(console, iid)
    assert status == 403
    assert smtp.messages == []
