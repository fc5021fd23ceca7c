"""PARTNERHUB_TEST_API: off, the test-control API does not exist (404 like any unknown path, and
nothing else of the app differs); on, only admin tokens may call it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from harness import World, app_routes, suite_settings
from partnerhub.app import create_app
from partnerhub.auth.scopes import ALL_SCOPES
from partnerhub.services.runtime import Runtime
from partnerhub.surfaces.testing.install import WARNING
from testing.kit import TEST

ROUTES = [
    ("POST", f"{TEST}/reset"),
    ("POST", f"{TEST}/baseline"),
    ("POST", f"{TEST}/accounts/1/reset"),
    ("POST", f"{TEST}/snapshots"),
    ("GET", f"{TEST}/snapshots"),
    ("POST", f"{TEST}/snapshots/s1/restore"),
    ("DELETE", f"{TEST}/snapshots/s1"),
    ("GET", f"{TEST}/snapshots/s1/file"),
    ("PUT", f"{TEST}/snapshots/s1/file"),
    ("GET", f"{TEST}/journal"),
    ("DELETE", f"{TEST}/journal"),
    ("POST", f"{TEST}/faults"),
    ("GET", f"{TEST}/faults"),
    ("DELETE", f"{TEST}/faults/1"),
    ("DELETE", f"{TEST}/faults"),
]


async def _app_client(database_url: str, *, on: bool) -> tuple[httpx.AsyncClient, Runtime, Any]:
    settings = suite_settings(database_url, test_api=on)
    runtime = Runtime.build(settings)
    app = create_app(settings, runtime)
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://t.test"), runtime, app


def _shape(spec: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document without the test-control paths, tag and schemas."""
    paths = {p: v for p, v in spec["paths"].items() if not p.startswith(TEST)}
    schemas = spec.get("components", {}).get("schemas", {})
    mine = ("TestControl", "Reset", "Baseline", "Snapshot", "Journal", "Fault")
    kept = {k: v for k, v in schemas.items() if not k.startswith(mine)}
    return {**spec, "paths": paths, "components": {**spec["components"], "schemas": kept}}


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """Off or on, no request here reaches the database: one backend is enough."""
    path = tmp_path / "partnerhub.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


class TestOff:
    async def test_every_route_is_404_like_an_unknown_path(self, sqlite_url: str) -> None:
        client, runtime, _ = await _app_client(sqlite_url, on=False)
        async with client:
            unknown = await client.get("/no/such/path")
            for method, path in ROUTES:
                answer = await client.request(method, path, json={})
                assert answer.status_code == 404, (method, path)
                body = answer.json()
                assert body["status"] == 404
                assert set(body) == set(unknown.json()), (method, path)
        await runtime.close()

    async def test_only_the_prefix_differs_from_on(
        self, sqlite_url: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        off, off_rt, off_app = await _app_client(sqlite_url, on=False)
        assert WARNING not in capsys.readouterr().out
        on, on_rt, on_app = await _app_client(sqlite_url, on=True)
        line = next(x for x in capsys.readouterr().out.splitlines() if WARNING in x)
        assert orjson.loads(line)["level"] == "warning"
        async with off, on:
            off_spec = (await off.get("/openapi.json")).json()
            on_spec = (await on.get("/openapi.json")).json()
        await off_rt.close()
        await on_rt.close()

        assert not [p for p in off_spec["paths"] if p.startswith(TEST)]
        assert "test-control" not in str(off_spec)
        assert _shape(on_spec) == off_spec
        on_paths = {p for p in on_spec["paths"] if p.startswith(TEST)}
        assert on_paths == {
            p.replace("s1", "{name}")
            .replace("/1", "/{fault_id}")
            .replace("accounts/{fault_id}", "accounts/{account}")
            for _, p in ROUTES
        }
        for path in on_paths:
            for operation in on_spec["paths"][path].values():
                assert operation["tags"] == ["test-control"], path
                assert operation["operationId"].startswith("test_"), path
                assert {"401", "403"} <= set(operation["responses"]), path

        def routes(app: Any) -> list[tuple[str, tuple[str, ...]]]:
            return sorted((r.path, tuple(sorted(r.methods))) for r in app_routes(app, ("/",)))

        assert [r for r in routes(on_app) if not r[0].startswith(TEST)] == routes(off_app)
        assert len(off_app.user_middleware) == len(on_app.user_middleware) - 1


class TestAdminOnly:
    async def test_no_token_401_other_tokens_403_admin_200(
        self, world: World, admin: dict[str, str]
    ) -> None:
        every = await world.token(world.alice, list(ALL_SCOPES))
        for method, path in ROUTES:
            anonymous = await world.client.request(method, path)
            assert anonymous.status_code == 401, (method, path)
            body = anonymous.json()
            assert body["code"] == "INVALID_AUTHENTICATION"
            assert set(body) == {"status", "code", "message", "errors", "request_id"}
            other = await world.client.request(method, path, headers=world.alice.headers(every))
            assert other.status_code == 403, (method, path)
            assert other.json()["code"] == "MISSING_SCOPES"
            assert "partnerhub.admin" in other.json()["message"]
        answer = await world.client.get(f"{TEST}/snapshots", headers=admin)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"results": []}  # the baseline is not listed
