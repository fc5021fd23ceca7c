"""Core HTTP Basic authentication against a real server, with requests made the way CarrierX's
Python SDK (carrierx-python, `carrierx/resources/base.py`) makes them when it has no token: the
`requests` library with `auth=(login, password)`, a `json.dumps` body and
`Content-type: application/json`. On SQLite (one worker) and PostgreSQL + Redis (two workers),
with a one-second credential cache so that "within the cache time" is testable."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from compat_servers import PgDatabases, Server

CACHE_SECONDS = 1.0
SEED_003 = {"address1": "4300 E Pacific Coast Hwy"}
PASSWORD = "sample_password"
FRESH_CONNECTIONS = 12  # each request a new connection: with two workers, both see some


class SdkLikeClient:
    """What carrierx-python's ItemResource/ListResource send, without a token."""

    headers = {"Content-type": "application/json"}

    def __init__(self, base_url: str, login: str, password: str) -> None:
        self.base = f"{base_url}/core/v2"
        self.auth = (login, password)

    def list(self, **params: Any) -> requests.Response:
        query = {"offset": 0, "limit": 1000, "filter": None, "order": None, **params}
        return requests.get(
            f"{self.base}/partners", headers=self.headers, params=query, auth=self.auth, timeout=10
        )

    def get(self, sid: str) -> requests.Response:
        return requests.get(
            f"{self.base}/partners/{sid}", headers=self.headers, auth=self.auth, timeout=10
        )

    def create(self, **data: Any) -> requests.Response:
        return requests.post(
            f"{self.base}/partners",
            headers=self.headers,
            data=json.dumps(data),
            auth=self.auth,
            timeout=10,
        )

    def update(self, sid: str, **data: Any) -> requests.Response:
        return requests.patch(
            f"{self.base}/partners/{sid}",
            headers=self.headers,
            data=json.dumps(data),
            auth=self.auth,
            timeout=10,
        )

    def replace(self, sid: str, **data: Any) -> requests.Response:
        return requests.put(
            f"{self.base}/partners/{sid}",
            headers=self.headers,
            data=json.dumps(data),
            auth=self.auth,
            timeout=10,
        )

    def delete(self, sid: str) -> requests.Response:
        return requests.delete(
            f"{self.base}/partners/{sid}", headers=self.headers, auth=self.auth, timeout=10
        )


def _env() -> dict[str, str]:
    # Every request here comes from 127.0.0.1: the per-client budget is not what is tested.
    return {
        "PARTNERHUB_LOGIN_CACHE_SECONDS": str(CACHE_SECONDS),
        "PARTNERHUB_PASSWORD_CHECKS_PER_CLIENT_PER_MINUTE": "1000",
        "PARTNERHUB_PASSWORD_CHECK_REFUSAL_DELAY_SECONDS": "0",
    }


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(
    request: pytest.FixtureRequest,
    start_server: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("basic") / "partnerhub.db"
        started: Server = start_server(f"sqlite:///{path}", env=_env())
    else:
        databases: PgDatabases = request.getfixturevalue("pg_databases")
        redis_url: str = request.getfixturevalue("compat_redis_url")
        started = start_server(databases.create(), workers=2, redis_url=redis_url, env=_env())
    yield started
    started.stop()


def _bearer(server: Server) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"}


def _new_partner(server: Server, parent: SdkLikeClient | None = None) -> tuple[str, str]:
    """(login, partner_sid) of a new partner under the root (or under `parent`)."""
    login = f"cx-{uuid.uuid4().hex[:10]}"
    body = {
        "login": login,
        "password": PASSWORD,
        "name": "John Smith",
        "company_name": "ABC",
        "parent_sid": "",
    }
    if parent is None:
        response = requests.post(
            f"{server.base_url}/core/v2/partners", json=body, headers=_bearer(server), timeout=10
        )
    else:
        response = parent.create(**body)
    assert response.status_code == 200, response.text
    return login, response.json()["partner_sid"]


def _statuses(client: SdkLikeClient) -> set[int]:
    return {client.list(limit=1).status_code for _ in range(FRESH_CONNECTIONS)}


def _refused(statuses: set[int]) -> bool:
    """Refused on every worker: 401, or 429 once the burst of failed checks has spent the
    deployment's password-check budget (10 per second)."""
    return 401 in statuses and statuses <= {401, 429}


def _authentication(server: Server, sid: str, body: dict[str, Any]) -> requests.Response:
    return requests.patch(
        f"{server.base_url}/core/v2/partners/{sid}/authentication",
        json=body,
        headers=_bearer(server),
        timeout=10,
    )


def test_the_sdks_requests_with_login_and_password(server: Server) -> None:
    login, sid = _new_partner(server)
    sdk = SdkLikeClient(server.base_url, login, PASSWORD)
    patched = sdk.update(sid, **SEED_003)
    assert patched.status_code == 200, patched.text
    assert patched.json()["address1"] == SEED_003["address1"]
    assert len(patched.json()) == 31  # the full object
    listed = sdk.list()
    assert listed.status_code == 200 and listed.json()["total"] == 1
    assert sdk.get(sid).json()["login"] == login
    kid = sdk.create(login=f"{login}-kid", password=PASSWORD, name="Kid", parent_sid="")
    assert kid.status_code == 200, kid.text
    kid_sid = kid.json()["partner_sid"]
    assert kid.json()["parent_sid"] == sid
    full = {k: v for k, v in kid.json().items() if k in UPDATABLE}
    replaced = sdk.replace(kid_sid, **{**full, "city": "Long Beach"})
    assert replaced.status_code == 200, replaced.text
    assert sdk.delete(kid_sid).status_code == 204
    assert sdk.get(kid_sid).status_code == 404
    refused = SdkLikeClient(server.base_url, login, "not-the-password").get(sid)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'Basic realm="partnerhub"'
    assert list(refused.json()) == ["errors", "message"]


def test_turned_off_basic_refuses_while_tokens_work(server: Server) -> None:
    login, sid = _new_partner(server)
    sdk = SdkLikeClient(server.base_url, login, PASSWORD)
    assert _statuses(sdk) == {200}
    assert _authentication(server, sid, {"allow_basic_authentication": False}).status_code == 200
    time.sleep(CACHE_SECONDS + 0.5)
    assert _refused(_statuses(sdk))
    token = requests.post(
        f"{server.base_url}/core/v2/oauth/token",
        data={"grant_type": "password", "username": login, "password": PASSWORD},
        timeout=10,
    )
    assert token.status_code == 200, token.text
    listed = requests.get(
        f"{server.base_url}/core/v2/partners",
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        timeout=10,
    )
    assert listed.status_code == 200


def test_an_old_password_stops_on_every_worker_within_the_cache_time(server: Server) -> None:
    login, sid = _new_partner(server)
    old = SdkLikeClient(server.base_url, login, PASSWORD)
    assert _statuses(old) == {200}  # cached on every worker
    assert _authentication(server, sid, {"password": "a-new-password"}).status_code == 200
    time.sleep(CACHE_SECONDS + 0.5)
    assert _refused(_statuses(old))
    time.sleep(1.1)  # the budget's one-second window
    assert _statuses(SdkLikeClient(server.base_url, login, "a-new-password")) == {200}


def test_a_deleted_partners_credentials_stop(server: Server) -> None:
    login, sid = _new_partner(server)
    sdk = SdkLikeClient(server.base_url, login, PASSWORD)
    assert _statuses(sdk) == {200}
    deleted = requests.delete(
        f"{server.base_url}/core/v2/partners/{sid}", headers=_bearer(server), timeout=10
    )
    assert deleted.status_code == 204
    if server.workers == 1:  # the worker that deleted it: at once
        assert _refused(_statuses(sdk))
    time.sleep(CACHE_SECONDS + 0.5)
    assert _refused(_statuses(sdk))


UPDATABLE = (
    "acls", "address1", "address2", "attributes", "billing_email", "callbacks", "city",
    "company_name", "name", "owner_email", "parent_assigned_acls", "phonenumber", "tech_email",
    "transformations", "zip",
)  # fmt: skip
