"""No secret is ever stored in clear, logged or answered, on SQLite and on PostgreSQL.

A real server (debug logging) is given a secret of every provider, through create, PATCH,
validate and test-notification, passing and failing; Core passwords through partner create, a
refused PATCH, right and wrong logins and a reset from the command line; and the bearer tokens
of the run (first start, accounts, `tokens create`, OAuth access tokens), used on every surface.
Then every row of every table, every line the server logged and every answer are searched for
each of them (and for the server's own PARTNERHUB_SECRET_KEY)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from compat_servers import Server, dump_database, ok

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
CORE_PASSWORD = "core-password-" + "c" * 12
PATCH_PASSWORD = "core-patched-password-" + "q" * 8
WRONG_PASSWORD = "core-wrong-password-" + "x" * 8
SECRETS = [
    TWILIO_TOKEN,
    SENDGRID_KEY,
    MAILGUN_KEY,
    SMTP_PASSWORD,
    NEW_TOKEN,
    WRONG,
    CORE_PASSWORD,
    PATCH_PASSWORD,
    WRONG_PASSWORD,
]
ROOT_PASSWORD = re.compile(r"^password: (\S+)$", re.MULTILINE)


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


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest,
    start_server: Any,
    stubs: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> Server:
    """A server of its own per backend, logging at debug, with the providers answered by the
    local stubs."""
    http: HttpStub = stubs["http"]
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('secrets') / 'partnerhub.db'}"
    else:
        url = request.getfixturevalue("pg_databases").create()
    started: Server = start_server(
        url,
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
    root_password = ROOT_PASSWORD.search(started.stdout())
    assert root_password, started.stdout()
    started.secrets.append(root_password[1])
    if "PARTNERHUB_SECRET_KEY" in started.env:
        started.secrets.append(started.env["PARTNERHUB_SECRET_KEY"])
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


def _integrations(server: Server, smtp: SmtpServer) -> list[str]:
    """Every provider's secret through create, validate (passing and failing), test-notification
    and PATCH; the answers."""
    answers: list[str] = []
    with server.client(server.token) as client:
        for body in _bodies(smtp):
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
    assert "****" in answers[0]
    return answers


def _login(client: httpx.Client, login: str, password: str) -> httpx.Response:
    form = {"grant_type": "password", "username": login, "password": password}
    return client.post("/core/v2/oauth/token", data=form)


def _core(server: Server) -> list[str]:
    """Core passwords: set on create, refused by PATCH, used to log in (right and wrong), reset
    from the command line; the access tokens issued. Their secrets join server.secrets."""
    answers: list[str] = []
    login = f"secret-child-{uuid.uuid4().hex[:8]}"
    with server.client(server.token) as client:
        body = {"login": login, "password": CORE_PASSWORD, "name": "Secret child"}
        created = client.post("/core/v2/partners", json=body)
        assert created.status_code == 200, created.text
        sid = created.json()["partner_sid"]
        refused = client.patch(f"/core/v2/partners/{sid}", json={"password": PATCH_PASSWORD})
        assert refused.status_code == 422, refused.text
        wrong = _login(client, login, WRONG_PASSWORD)
        assert wrong.status_code == 401, wrong.text
        issued = _login(client, login, CORE_PASSWORD)
        assert issued.status_code == 200, issued.text
        access_tokens = [issued.json()["access_token"]]
        answers += [created.text, refused.text, wrong.text]
        out = ok(server.cli("accounts", "core-password", "default"))
        reset = ROOT_PASSWORD.search(out)
        assert reset, out
        server.secrets.append(reset[1])
        root = _login(client, "default", reset[1])
        assert root.status_code == 200, root.text
        access_tokens.append(root.json()["access_token"])
    server.secrets += access_tokens
    for token in access_tokens:
        with server.client(token) as client:
            listed = client.get("/core/v2/partners")
            assert listed.status_code == 200, listed.text
            answers.append(listed.text)
    return answers


def _crm_and_tokens(server: Server) -> list[str]:
    """A token made from the command line, used on the CRM surface."""
    scopes = ["crm.objects.partner-clients.write", "crm.objects.partner-clients.read"]
    _, token = server.create_token(
        "default", "secrets", *scopes, "crm.schemas.partner-clients.write"
    )
    with server.client(token) as client:
        body = {"name": "secret_note", "label": "Note", "type": "string", "fieldType": "text"}
        assert client.post("/crm/v3/properties/partner_clients", json=body).status_code == 201
        created = client.post(
            "/crm/v3/objects/partner_clients", json={"properties": {"secret_note": "plain"}}
        )
        assert created.status_code == 201, created.text
        search = client.post("/crm/v3/objects/partner_clients/search", json={})
        assert search.status_code == 200, search.text
        return [created.text, search.text]


def test_no_secret_in_rows_logs_or_answers(server: Server, stubs: dict[str, Any]) -> None:
    answers = _integrations(server, stubs["smtp"])
    answers += _core(server)
    answers += _crm_and_tokens(server)
    secrets = [*SECRETS, *server.secrets]
    rows = dump_database(server.env["PARTNERHUB_DATABASE_URL"])
    # The scan saw the data: the tables, the integrations, the Core child, the tokens' rows.
    for seen in ("table hood_integrations", "table tokens", "SendGrid", "Secret child", "plain"):
        assert seen in rows, seen
    logs = server.log_text()
    for seen in ("/v1/hood/test-notification", "/core/v2/oauth/token", "/crm/v3/objects"):
        assert seen in logs, seen  # debug logging was on and captured
    leaked = {
        secret[:6] + "…": [
            where
            for where, text in (("rows", rows), ("logs", logs), ("answers", "\n".join(answers)))
            if secret in text
        ]
        for secret in secrets
    }
    assert {k: v for k, v in leaked.items() if v} == {}
    assert len(secrets) >= len(SECRETS) + 6, secrets  # tokens, passwords and keys were collected
