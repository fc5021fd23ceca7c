"""No integration secret is ever stored in clear or logged: a real server (debug logging) is
given a secret of every provider, through create, PATCH, validate and test-notification, passing
and failing; then every row of every table and every line the server wrote are searched."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from compat_servers import Server, ok

from provider_servers import (
    HttpStub,
    SmtpServer,
    http_stub,
    mailgun_routes,
    sendgrid_routes,
    smtp_server,
    tls_files,
    twilio_routes,
)

pytestmark = pytest.mark.slow

TWILIO_SID, TWILIO_TOKEN = "AC" + "3" * 32, "twilio-token-" + "t" * 20
SENDGRID_KEY = "SG.sendgrid-key-" + "k" * 20
MAILGUN_KEY, DOMAIN = "mailgun-key-" + "m" * 20, "mg.example.com"
SMTP_PASSWORD = "smtp-password-" + "p" * 12
NEW_TOKEN = "twilio-token-new-" + "n" * 20
WRONG = "wrong-secret-" + "w" * 20
SECRETS = [TWILIO_TOKEN, SENDGRID_KEY, MAILGUN_KEY, SMTP_PASSWORD, NEW_TOKEN, WRONG]


@pytest.fixture(scope="module")
def stubs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tls = tls_files(Path(tmp_path_factory.mktemp("tls")))
    routes = [
        *twilio_routes(TWILIO_SID, TWILIO_TOKEN),
        *sendgrid_routes(SENDGRID_KEY),
        *mailgun_routes(MAILGUN_KEY, DOMAIN),
    ]
    with http_stub(routes) as http, smtp_server(tls, password=SMTP_PASSWORD) as smtp:
        yield {"http": http, "smtp": smtp, "tls": tls}


@pytest.fixture(scope="module")
def server(
    start_server: Any, stubs: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Server:
    http: HttpStub = stubs["http"]
    path = tmp_path_factory.mktemp("secrets") / "partnerhub.db"
    started: Server = start_server(
        f"sqlite:///{path}",
        env={
            "PARTNERHUB_LOG_LEVEL": "debug",
            "PARTNERHUB_PROVIDER_TWILIO_BASE_URL": http.url,
            "PARTNERHUB_PROVIDER_SENDGRID_BASE_URL": http.url,
            "PARTNERHUB_PROVIDER_MAILGUN_BASE_URL": http.url,
            "PARTNERHUB_SMTP_CA_FILE": stubs["tls"].ca_file,
            "PARTNERHUB_PROVIDER_TIMEOUT_SECONDS": "2",
        },
    )
    ok(started.cli("accounts", "limits", "default", "--hood-tier", "E"))
    started.db_path = path  # type: ignore[attr-defined]
    return started


def _bodies(smtp: SmtpServer) -> list[dict[str, Any]]:
    return [
        {
            "name": "Twilio",
            "provider_id": "1000",
            "settings": {
                "account_sid": TWILIO_SID,
                "auth_token": TWILIO_TOKEN,
                "default_phone_number": "+14155550100",
            },
        },
        {
            "name": "SendGrid",
            "provider_id": "1002",
            "settings": {"api_key": SENDGRID_KEY, "default_sender_email": "a@example.com"},
        },
        {
            "name": "Mailgun",
            "provider_id": "1003",
            "settings": {
                "api_key": MAILGUN_KEY,
                "domain": DOMAIN,
                "default_sender_email": "a@example.com",
            },
        },
        {
            "name": "SMTP",
            "provider_id": "1001",
            "settings": {
                "host": "localhost",
                "port": str(smtp.port),
                "username": smtp.username,
                "password": SMTP_PASSWORD,
                "default_sender_email": "a@example.com",
                "default_sender_name": "A",
                "sending_domain": "example.com",
            },
        },
    ]


def test_no_secret_in_rows_logs_or_answers(server: Server, stubs: dict[str, Any]) -> None:
    answers: list[str] = []
    with server.client(server.token) as client:
        for body in _bodies(stubs["smtp"]):
            created = client.post("/v1/hood/integrations", json=body)
            assert created.status_code == 201, created.text
            iid = created.json()["id"]
            answers.append(created.text)
            assert client.post("/v1/hood/integrations/validate", json=body).status_code == 204
            recipient = "+38163123456" if body["provider_id"] == "1000" else "b@example.com"
            tested = client.post(
                "/v1/hood/test-notification", json={"integration_id": iid, "recipient": recipient}
            )
            assert tested.status_code == 204, tested.text
            secret_key = next(
                k for k in body["settings"] if k in ("auth_token", "api_key", "password")
            )
            wrong = {**body, "settings": {**body["settings"], secret_key: WRONG}}
            failed = client.post("/v1/hood/integrations/validate", json=wrong)
            assert failed.status_code == 400, failed.text
            answers.append(failed.text)
            patched = client.patch(
                f"/v1/hood/integrations/{iid}", json={"settings": {secret_key: NEW_TOKEN}}
            )
            assert patched.status_code == 204, patched.text
            for path in (f"/v1/hood/integrations/{iid}", f"/v1/hood/integrations/{iid}/history"):
                answers.append(client.get(path).text)
        answers.append(client.get("/v1/hood/integrations").text)
    conn = sqlite3.connect(server.db_path)  # type: ignore[attr-defined]
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows = " ".join(
            repr(row) for table in tables for row in conn.execute(f'SELECT * FROM "{table}"')
        )
    finally:
        conn.close()
    assert "hood_integrations" in tables and "SendGrid" in rows  # the scan saw the data
    logs = server.stdout() + server.stderr()
    assert "/v1/hood/test-notification" in logs  # debug logging was on and captured
    for secret in SECRETS:
        assert secret not in rows, secret
        assert secret not in logs, secret
        assert all(secret not in a for a in answers), secret
    assert "****" in answers[0]
