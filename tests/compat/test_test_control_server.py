"""The test-control API on a real `partnerhub serve` process: two workers on PostgreSQL with
Redis, an admin token made with the CLI before the server started (so it is in the baseline),
HubSpot's own client retrying through an injected 429, and what the workers share: fault
countdowns, the journal, and resets that make every worker forget its cached tokens."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from compat_servers import PgDatabases, Server, base_env, ok, one_token, run_cli
from hubspot import HubSpot
from urllib3.util.retry import Retry

pytestmark = pytest.mark.slow
TEST = "/_partnerhub/test"
CRM = "/crm/v3/objects/partner_clients"
PROBES = 12  # requests over fresh connections: with two workers, both are all but sure to serve


@pytest.fixture(scope="module")
def control_server(
    start_server: Any,
    pg_databases: PgDatabases,
    spare_redis_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Server, str, str]]:
    """The server, an admin token and a CRM-capable account token, both made before it started."""
    url = pg_databases.create()
    settings = {"PARTNERHUB_SECRET_KEY": uuid.uuid4().hex}
    env = {**base_env(), "PARTNERHUB_DATABASE_URL": url, **settings}
    workdir = tmp_path_factory.mktemp("control-cli")
    account = one_token(ok(run_cli(env, workdir, "accounts", "create", "ci")))
    ok(run_cli(env, workdir, "accounts", "limits", "ci", "--hood-tier", "E"))
    admin = one_token(
        ok(
            run_cli(
                env,
                workdir,
                "tokens",
                "create",
                "--account",
                "ci",
                "--name",
                "ci-admin",
                "--scope",
                "partnerhub.admin",
            )
        )
    )
    server: Server = start_server(
        url,
        workers=2,
        redis_url=spare_redis_url,
        env={**settings, "PARTNERHUB_TEST_API": "true", "PARTNERHUB_TOKEN_CACHE_SECONDS": "60"},
        first_start=False,
    )
    server.secrets += [account, admin]
    yield server, admin, account
    server.stop()


def _fresh(server: Server, token: str, method: str, path: str, **kw: Any) -> httpx.Response:
    with server.client(token) as client:  # a new connection: any worker may take it
        return client.request(method, path, **kw)


def test_the_warning_is_logged(control_server: tuple[Server, str, str]) -> None:
    server, _, _ = control_server
    assert "test-control API is ON: anyone with an admin token can erase data" in server.stdout()


def test_hubspot_client_retries_through_an_injected_429(
    control_server: tuple[Server, str, str],
) -> None:
    server, admin, account = control_server
    assert _fresh(server, admin, "DELETE", f"{TEST}/journal").status_code == 204
    fault = _fresh(
        server,
        admin,
        "POST",
        f"{TEST}/faults",
        json={
            "surface": "crm",
            "method": "GET",
            "path": f"{CRM}*",
            "status": 429,
            "times": 1,
            "retry_after": 0,
        },
    ).json()
    retry = Retry(total=3, status_forcelist=(429,), allowed_methods=None, backoff_factor=0)
    client = HubSpot(access_token=account, host=server.base_url, retry=retry)

    page = client.crm.objects.basic_api.get_page("partner_clients", limit=5)

    assert page.results == []
    faults = _fresh(server, admin, "GET", f"{TEST}/faults").json()["results"]
    assert [(f["id"], f["fired"], f["remaining"]) for f in faults] == [(fault["id"], 1, 0)]
    journal = _fresh(server, admin, "GET", f"{TEST}/journal", params={"surface": "crm"})
    seen = [(e["status"], e["fault_id"]) for e in journal.json()["results"]]
    assert seen == [(429, fault["id"]), (200, None)]
    assert _fresh(server, admin, "DELETE", f"{TEST}/faults").status_code == 204


def test_times_counts_down_across_workers(control_server: tuple[Server, str, str]) -> None:
    server, admin, account = control_server
    _fresh(
        server, admin, "POST", f"{TEST}/faults", json={"surface": "hood", "status": 503, "times": 3}
    )
    statuses = [
        _fresh(server, account, "GET", "/v1/hood/partners").status_code for _ in range(PROBES)
    ]
    assert sorted(statuses) == [200] * (PROBES - 3) + [503] * 3
    assert _fresh(server, admin, "DELETE", f"{TEST}/faults").status_code == 204


def test_a_reset_makes_every_worker_forget_its_cached_tokens(
    control_server: tuple[Server, str, str],
) -> None:
    server, admin, _ = control_server
    _, later = server.create_token("ci", "later", "hood.partners.read")
    # Both workers look the token up and cache it for 60 s.
    assert {
        _fresh(server, later, "GET", "/v1/hood/partners").status_code for _ in range(PROBES)
    } == {200}

    assert _fresh(server, admin, "POST", f"{TEST}/reset").status_code == 200

    after = {_fresh(server, later, "GET", "/v1/hood/partners").status_code for _ in range(PROBES)}
    assert after == {401}
