"""Test-notification through the custom SMTP provider, against a real local SMTP server
(aiosmtpd) that requires STARTTLS and login: delivery, and each way it can fail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness import World, suite_settings
from partnerhub.config import Settings
from provider_servers import (
    SmtpServer,
    TlsFiles,
    closed_port,
    silent_server,
    smtp_server,
    tls_files,
)
from surfaces.hood.kit import assert_error, json_headers

INTEGRATIONS = "/v1/hood/integrations"
TEST = "/v1/hood/test-notification"
RECIPIENT = "partner.manager@example.org"


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return tls_files(Path(tmp_path_factory.mktemp("smtp-tls")))


@pytest.fixture
def smtp(tls: TlsFiles) -> Iterator[SmtpServer]:
    with smtp_server(tls) as server:
        yield server


@pytest.fixture
def settings(database_url: str, tls: TlsFiles) -> Settings:
    return suite_settings(database_url, smtp_ca_file=tls.ca_file, provider_timeout_seconds=1)


async def _integration(world: World, settings: dict[str, str]) -> dict[str, Any]:
    body = {"name": "Office mail", "provider_id": "1001", "settings": settings}
    response = await world.client.post(INTEGRATIONS, json=body, headers=json_headers(world.alice))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _effective(world: World, integration_id: str) -> str:
    response = await world.client.get(
        f"{INTEGRATIONS}/{integration_id}", headers=world.alice.headers()
    )
    status: str = response.json()["items"][0]["effective_status"]
    return status


async def _test(world: World, integration_id: str) -> Any:
    return await world.client.post(
        TEST,
        json={"integration_id": integration_id, "recipient": RECIPIENT},
        headers=json_headers(world.alice),
    )


async def test_delivers_one_message_over_starttls_with_login(
    world: World, smtp: SmtpServer
) -> None:
    created = await _integration(world, smtp.integration_settings())
    assert created["settings"]["password"].startswith("****")
    assert await _effective(world, created["id"]) == "inactive"
    response = await _test(world, created["id"])
    assert response.status_code == 204, response.text
    (received,) = smtp.messages
    assert received.authenticated_as == smtp.username
    assert received.mail_from == "partners@example.com"
    assert received.rcpt_tos == [RECIPIENT]
    message = received.message()
    assert message["From"] == "Partner Team <partners@example.com>"
    assert message["To"] == RECIPIENT
    assert message["Subject"] == "partnerhub test notification"
    assert "Office mail" in message.get_content()
    assert await _effective(world, created["id"]) == "active"


async def test_inline_integration_is_sent_and_nothing_is_stored(
    world: World, smtp: SmtpServer
) -> None:
    body = {
        "integration": {
            "name": "Inline",
            "provider_id": "1001",
            "settings": smtp.integration_settings(),
        },
        "recipient": RECIPIENT,
    }
    response = await world.client.post(TEST, json=body, headers=json_headers(world.alice))
    assert response.status_code == 204, response.text
    assert len(smtp.messages) == 1
    listed = await world.client.get(INTEGRATIONS, headers=world.alice.headers())
    assert listed.json()["total"] == 0


async def test_validate_logs_in_without_sending(world: World, smtp: SmtpServer) -> None:
    body = {"name": "Office mail", "provider_id": "1001", "settings": smtp.integration_settings()}
    response = await world.client.post(
        f"{INTEGRATIONS}/validate", json=body, headers=json_headers(world.alice)
    )
    assert response.status_code == 204, response.text
    assert smtp.logins == [smtp.username] and smtp.messages == []


async def test_wrong_password(world: World, smtp: SmtpServer) -> None:
    created = await _integration(world, smtp.integration_settings(password="not-the-password"))
    assert_error(await _test(world, created["id"]), 400, "535")
    assert smtp.messages == []
    assert await _effective(world, created["id"]) == "inactive"


async def test_a_test_that_fails_later_takes_active_back(world: World, smtp: SmtpServer) -> None:
    created = await _integration(world, smtp.integration_settings())
    assert (await _test(world, created["id"])).status_code == 204
    assert await _effective(world, created["id"]) == "active"
    smtp.password = "rotated-at-the-provider"
    assert_error(await _test(world, created["id"]), 400, "535")
    assert await _effective(world, created["id"]) == "inactive"


async def test_closed_port(world: World, smtp: SmtpServer) -> None:
    port = closed_port()
    created = await _integration(world, smtp.integration_settings(port=str(port)))
    assert_error(await _test(world, created["id"]), 400, "connection refused", str(port))
    assert await _effective(world, created["id"]) == "inactive"


async def test_a_server_that_never_answers_times_out(world: World, smtp: SmtpServer) -> None:
    with silent_server() as port:
        created = await _integration(world, smtp.integration_settings(port=str(port)))
        assert_error(await _test(world, created["id"]), 400, "no answer", "within 1 s")
    assert await _effective(world, created["id"]) == "inactive"
