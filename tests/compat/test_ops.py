"""Operations routes and request bookkeeping on a real server: health, readiness, Prometheus
metrics, OpenAPI and docs, X-Request-Id, and the JSON access log on stdout."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from compat_servers import PgDatabases, Server, free_port, metric_samples

from partnerhub.surfaces.hood import router as hood_router

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def wait_for_log(
    server: Server, request_ids: list[str], timeout: float = 5
) -> list[dict[str, Any]]:
    """The access-log records of these requests (the line is written as the response ends, so
    it may trail the client's receipt of the response by a moment)."""
    wanted = set(request_ids)
    deadline = time.monotonic() + timeout
    while True:
        records = [r for r in server.log_records() if r.get("request_id") in wanted]
        if {r["request_id"] for r in records} == wanted or time.monotonic() > deadline:
            return records
        time.sleep(0.05)


class TestHealth:
    def test_healthz(self, sqlite_server: Server) -> None:
        answer = httpx.get(f"{sqlite_server.base_url}/healthz")
        assert answer.status_code == 200
        assert answer.json() == {"status": "ok"}

    @pytest.mark.parametrize("server_fixture", ["sqlite_server", "pg_redis_server"])
    def test_readyz_checks_database_and_rate_limit_store(
        self, request: pytest.FixtureRequest, server_fixture: str
    ) -> None:
        server: Server = request.getfixturevalue(server_fixture)
        answer = httpx.get(f"{server.base_url}/readyz")
        assert answer.status_code == 200
        assert answer.json() == {"status": "ok", "checks": {"database": True, "ratelimit": True}}


@pytest.fixture(scope="module")
def redis_down_server(
    start_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    path = tmp_path_factory.mktemp("redis-down") / "partnerhub.db"
    closed = free_port()  # nothing listens there
    server: Server = start_server(
        f"sqlite:///{path}", redis_url=f"redis://127.0.0.1:{closed}/0", ready_path="/healthz"
    )
    yield server
    server.stop()


class TestRedisDown:
    """With PARTNERHUB_REDIS_URL pointing at nothing, the process is up but not ready, and Hood
    requests fail closed (503 in the Hood envelope) rather than going unlimited."""

    def test_readyz_is_503_naming_the_rate_limit_store(self, redis_down_server: Server) -> None:
        server = redis_down_server
        answer = httpx.get(f"{server.base_url}/readyz")
        assert answer.status_code == 503
        assert answer.json()["checks"] == {"database": True, "ratelimit": False}

    def test_hood_request_is_503_in_the_hood_envelope(self, redis_down_server: Server) -> None:
        server = redis_down_server
        with server.client(server.token) as client:
            answer = client.get("/v1/hood/partners")
        assert answer.status_code == 503, answer.text
        body = answer.json()
        assert body["code"] == 503
        assert "rate-limit" in body["message"]
        assert body["trace_id"] == answer.headers["x-request-id"]


@pytest.fixture(scope="module")
def database_down_server(start_server: Any, pg_databases: PgDatabases) -> Iterator[Server]:
    """A server whose PostgreSQL database is dropped under it after start."""
    url = pg_databases.create()
    server: Server = start_server(url)
    server.tracebacks_expected = True  # the server logs the failing requests' tracebacks
    pg_databases.drop(url)
    yield server
    server.stop()


class TestDatabaseDown:
    def test_readyz_is_503_naming_the_database(self, database_down_server: Server) -> None:
        answer = httpx.get(f"{database_down_server.base_url}/readyz")
        assert answer.status_code == 503
        assert answer.json()["checks"]["database"] is False

    def test_hood_error_carries_the_request_id(self, database_down_server: Server) -> None:
        """Even an unexpected failure answers in the Hood envelope, without a stack trace,
        with the request id as header and trace_id."""
        given = f"dbdown-{uuid.uuid4().hex}"
        with database_down_server.client(database_down_server.token) as client:
            answer = client.get("/v1/hood/partners", headers={"X-Request-Id": given})
        assert answer.status_code == 503, answer.text
        assert answer.headers.get("x-request-id") == given
        body = answer.json()
        assert body["code"] == answer.status_code
        assert body["trace_id"] == given
        assert "Traceback" not in answer.text and "SELECT" not in answer.text


class TestMetrics:
    def test_requests_by_surface_route_status_and_rejections(self, sqlite_server: Server) -> None:
        with sqlite_server.client(sqlite_server.token) as client:
            assert client.get("/v1/hood/partners").status_code == 200
            assert client.get("/v1/hood/partners/999999999").status_code == 400
            assert client.get("/v1/hood/no-such-route/xyz").status_code == 404
            text = client.get("/metrics").text

        def count(**labels: str) -> float:
            samples = metric_samples(text, "partnerhub_requests_total")
            return sum(v for have, v in samples if all(have.get(k) == x for k, x in labels.items()))

        assert count(surface="hood", route="/v1/hood/partners", method="GET", status="200") >= 1
        assert count(surface="hood", route="/v1/hood/partners/{partner_id}", status="400") >= 1
        # Labels carry route templates, never raw paths (bounded cardinality).
        routes = {have["route"] for have, _ in metric_samples(text, "partnerhub_requests_total")}
        assert not [r for r in routes if "999999999" in r or "xyz" in r], routes
        assert "# TYPE partnerhub_rate_limit_rejections_total counter" in text
        assert "# TYPE partnerhub_request_duration_seconds histogram" in text
        assert metric_samples(text, "partnerhub_request_duration_seconds_bucket")


@pytest.fixture(scope="module")
def spec(sqlite_server: Server) -> dict[str, Any]:
    answer = httpx.get(f"{sqlite_server.base_url}/openapi.json")
    assert answer.status_code == 200
    served: dict[str, Any] = answer.json()
    return served


class TestOpenAPI:
    def test_every_hood_route_has_an_operation_id_and_4xx_responses(
        self, spec: dict[str, Any]
    ) -> None:
        routes = {
            (route.path, method.lower())
            for route in hood_router.routes
            for method in getattr(route, "methods", ())
        }
        assert routes, "no Hood routes found"
        documented = {
            (path, method)
            for path, ops in spec["paths"].items()
            if path.startswith("/v1/hood")
            for method in ops
        }
        assert documented == routes
        operation_ids = []
        for path, method in routes:
            operation = spec["paths"][path][method]
            operation_ids.append(operation["operationId"])
            declared = set(operation["responses"])
            # Every Hood route authenticates, is rate limited, and can be sent a bad id or body.
            assert {"400", "401", "403", "429"} <= declared, (path, method, declared)
            error = operation["responses"]["401"]["content"]["application/json"]["schema"]
            assert error["$ref"].rsplit("/", 1)[1] in spec["components"]["schemas"]
        assert len(set(operation_ids)) == len(operation_ids), operation_ids

    def test_docs_page(self, sqlite_server: Server) -> None:
        answer = httpx.get(f"{sqlite_server.base_url}/docs")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/html")
        assert "/openapi.json" in answer.text


class TestRequestId:
    def test_sane_id_is_echoed_also_as_trace_id(self, sqlite_server: Server) -> None:
        given = f"compat-{uuid.uuid4().hex}.1:2"
        answer = httpx.get(
            f"{sqlite_server.base_url}/v1/hood/partners", headers={"X-Request-Id": given}
        )
        assert answer.status_code == 401
        assert answer.headers["x-request-id"] == given
        assert answer.json()["trace_id"] == given

    @pytest.mark.parametrize(
        "given",
        ["x" * 300, "has spaces in it", "semi;colon", ""],
        ids=["long", "spaces", "semicolon", "empty"],
    )
    def test_insane_id_is_replaced(self, sqlite_server: Server, given: str) -> None:
        answer = httpx.get(f"{sqlite_server.base_url}/healthz", headers={"X-Request-Id": given})
        assert answer.status_code == 200
        assert UUID_RE.fullmatch(answer.headers["x-request-id"]), answer.headers

    def test_generated_when_absent(self, sqlite_server: Server) -> None:
        ids = {httpx.get(f"{sqlite_server.base_url}/healthz").headers["x-request-id"] for _ in "ab"}
        assert len(ids) == 2 and all(UUID_RE.fullmatch(i) for i in ids), ids


class TestAccessLog:
    def test_one_json_line_per_request_without_secrets(self, sqlite_server: Server) -> None:
        server = sqlite_server
        account = server.create_account("ops-log")
        cases = [
            ("/healthz", None, "/healthz", 200),
            ("/v1/hood/partners", account.token, "/v1/hood/partners", 200),
            ("/v1/hood/partners/1", account.token, "/v1/hood/partners/{partner_id}", 400),
            ("/v1/hood/partners", "ph_" + "x" * 43, "/v1/hood/partners", 401),
            ("/v1/hood/partners?token=" + account.token, None, "/v1/hood/partners", 401),
        ]
        expected: dict[str, tuple[str, int, int | None]] = {}  # request id -> route, status, …
        for path, token, route, status in cases:
            rid = f"log-{uuid.uuid4().hex}"
            headers = {"X-Request-Id": rid}
            if token:
                headers["Authorization"] = f"Bearer {token}"
            answer = httpx.get(f"{server.base_url}{path}", headers=headers)
            assert answer.status_code == status, (path, answer.text)
            authenticated = token == account.token
            expected[rid] = (route, status, account.id if authenticated else None)

        records = wait_for_log(server, list(expected))
        assert sorted(r["request_id"] for r in records) == sorted(expected)  # one line each
        for record in records:
            route, status, account_id = expected[record["request_id"]]
            assert {k: record[k] for k in ("account_id", "route", "status")} == {
                "account_id": account_id,
                "route": route,
                "status": status,
            }
            assert isinstance(record["duration_ms"], int | float)
            # A request's own duration, not a clock reading: well under the test's minute.
            assert 0 <= record["duration_ms"] < 60_000

        logged = "\n".join(line for line in server.stdout().splitlines() if line.startswith("{"))
        for secret in [*server.secrets, "ph_" + "x" * 43]:
            assert secret not in logged
            assert secret not in server.stderr()
