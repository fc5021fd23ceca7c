"""No log line carries a statement's parameter values; disconnects are not crashes."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from starlette.requests import ClientDisconnect

from harness import make_tenant
from partnerhub.app import create_app
from partnerhub.config import Settings
from partnerhub.ops import logging as ops_logging
from partnerhub.ops.metrics import Metrics
from partnerhub.ops.middleware import RequestMiddleware
from partnerhub.services import hood_partners
from partnerhub.services.runtime import Runtime
from partnerhub.storage.unit_of_work import UnitOfWork
from surfaces.hood.kit import partner_body

SECRET = "$argon2id$v=19$m=65536,t=3,p=4$c2VjcmV0LWxvb2tpbmc$SECRETSECRETSECRET"
EMAIL = "jane.private@example.org"


def _records(stream: io.StringIO) -> list[dict[str, Any]]:
    lines = [line for line in stream.getvalue().splitlines() if line]
    return [json.loads(line) for line in lines]  # every line is a JSON record


@pytest.fixture
def log_stream(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Every structlog event and standard-library record of the test, as written."""
    stream = io.StringIO()
    monkeypatch.setattr(
        "partnerhub.app.configure_logging", lambda level: ops_logging.configure(level, stream)
    )
    return stream


async def _failing_statement(uow: UnitOfWork, *_: Any, **__: Any) -> Any:
    # NOT NULL violated (status): PostgreSQL's DETAIL quotes the failing row, SQLAlchemy's
    # message its parameters; both would put the e-mail and the hash in a traceback.
    await uow.conn.execute(
        text("INSERT INTO members (account_id, name, email) VALUES (:account, :name, :email)"),
        {"account": 1, "name": SECRET, "email": EMAIL},
    )


class TestDatabaseErrorLog:
    async def test_crash_is_logged_without_parameter_values(
        self, settings: Settings, log_stream: io.StringIO, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        runtime = Runtime.build(settings)
        app = create_app(settings, runtime)
        alice = await make_tenant(runtime.db, "alice")
        monkeypatch.setattr(hood_partners, "create", _failing_statement)
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                answer = await client.post(
                    "/v1/hood/partners", json=partner_body(alice), headers=alice.headers()
                )
        finally:
            await runtime.close()
        assert answer.status_code == 500
        assert SECRET not in answer.text and EMAIL not in answer.text
        logging.getLogger("partnerhub.test").error("flush")  # the stdlib path writes too
        records = _records(log_stream)
        crashes = [r for r in records if r["event"] == "crash"]
        assert len(crashes) == 1, records
        assert crashes[0]["request_id"] == answer.headers["x-request-id"]
        assert "IntegrityError" in crashes[0]["exception"]
        assert "message withheld" in crashes[0]["exception"]
        assert any(r["event"] == "flush" for r in records)
        logged = log_stream.getvalue()
        for value in (SECRET, EMAIL, "c2VjcmV0LWxvb2tpbmc"):
            assert value not in logged


class TestFormatException:
    async def test_database_error_text_is_withheld(self, settings: Settings) -> None:
        runtime = Runtime.build(settings)
        try:
            async with runtime.db.transaction(write=True) as uow:
                await _failing_statement(uow)
        except Exception as exc:
            caught: BaseException = exc
        finally:
            await runtime.close()
        rendered = ops_logging.format_exception(caught)
        assert "Traceback (most recent call last)" in rendered
        assert "_failing_statement" in rendered  # the frames stay
        assert SECRET not in rendered and EMAIL not in rendered
        assert "[parameters" not in str(caught)  # hide_parameters on the engine

    def test_other_errors_keep_their_message(self) -> None:
        try:
            raise KeyError("the-missing-key")
        except KeyError as exc:
            assert "the-missing-key" in ops_logging.format_exception(exc)

    def test_stdlib_record_with_traceback(self) -> None:
        stream = io.StringIO()
        ops_logging.configure("info", stream)
        try:
            raise ValueError("plain")
        except ValueError:
            logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
        (record,) = _records(stream)
        assert record["event"] == "Exception in ASGI application"
        assert record["level"] == "error"
        assert "ValueError: plain" in record["exception"]


class TestClientDisconnect:
    async def test_disconnect_is_not_a_crash(self) -> None:
        stream = io.StringIO()
        ops_logging.configure("info", stream)

        async def reads_body(scope: Any, receive: Any, send: Any) -> None:
            raise ClientDisconnect  # what Request.stream() raises once the client has gone

        async def receive() -> dict[str, Any]:
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            raise AssertionError(f"nothing is sent to a gone client: {message}")

        scope = {"type": "http", "method": "POST", "path": "/v1/hood/partners", "headers": []}
        await RequestMiddleware(reads_body, Metrics())(scope, receive, send)
        (record,) = _records(stream)
        assert record["event"] == "request" and record["status"] == 499
