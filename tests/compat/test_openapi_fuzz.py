"""Schemathesis generates requests from our own /openapi.json for every operation of the three
surfaces, valid and invalid alike, on SQLite and on PostgreSQL with two workers and Redis: none
may get a 5xx (SPEC §1: no input produces a 500), and every answer has a documented status and
matches its documented schema.

In `make test` this is a short fixed-seed run; `make fuzz FUZZ_CASES=10000` runs at least that
many cases per backend (FUZZ_BACKENDS picks the backends) and prints the count."""

from __future__ import annotations

from pathlib import Path

import pytest
from compat_servers import Server
from fuzz import fuzz, fuzz_account, requested_backends, requested_cases

pytestmark = pytest.mark.slow

# The three surfaces' operations (74 when this was written): fewer means the walk lost some.
MIN_OPERATIONS = 70
SERVERS = {"sqlite": "sqlite_server", "postgresql": "pg_redis_server"}


@pytest.mark.parametrize("backend", sorted(SERVERS))
def test_no_generated_request_gets_a_server_error_or_an_undocumented_answer(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> None:
    if backend not in requested_backends():
        pytest.skip(f"FUZZ_BACKENDS does not name {backend}")
    server: Server = request.getfixturevalue(SERVERS[backend])
    run = fuzz(server, fuzz_account(server), tmp_path, requested_cases())
    print(f"\n{run.summary(backend)}")
    detail = "\n".join([run.summary(backend), *run.failures, *run.errors, *run.outputs])
    assert run.operations >= MIN_OPERATIONS, detail
    assert run.cases >= requested_cases(), detail
    assert not run.failures and not run.errors, detail
