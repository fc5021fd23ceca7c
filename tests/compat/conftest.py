"""Real `partnerhub serve` processes for the compatibility tests.

Each server is a subprocess on a free loopback port, with its own fresh database (an SQLite file
or a PostgreSQL database created for it and dropped afterwards) and, for the multi-worker
server, a Redis database index claimed for the session. Starting a server costs a few seconds,
so the compat suite shares two session-scoped ones (test_ops adds a short-lived third, whose
Redis is unreachable):

* `sqlite_server`: 1 worker, in-memory rate limits, token cache off;
* `pg_redis_server`: 2 workers on PostgreSQL, rate limits in Redis, token cache off.

Their stdout/stderr go to files (the JSON access log is read back from stdout), the first-start
token is parsed from stdout, and the CLI runs as subprocesses against the same environment.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from compat_servers import (
    COMPAT_REDIS_DBS,
    READY_TIMEOUT,
    REDIS_CLAIM_KEY,
    REDIS_CLAIM_SECONDS,
    PgDatabases,
    Server,
    base_env,
    free_port,
    ok,
    one_token,
    root_conftest,
)
from redis import Redis


def _wait_ready(server: Server, path: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"partnerhub serve exited with {server.process.returncode}\n"
                f"stdout:\n{server.stdout()}\nstderr:\n{server.stderr()}"
            )
        try:
            if httpx.get(f"{server.base_url}{path}", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(
        f"partnerhub serve not ready within {READY_TIMEOUT} s\n"
        f"stdout:\n{server.stdout()}\nstderr:\n{server.stderr()}"
    )


def _wait_second_worker(server: Server) -> None:
    """Return once two workers answer: /readyz proves one. Each worker counts the /metrics
    requests it served, so scrapes over fresh connections that all reach one worker read
    0, 1, 2, …; a count that does not grow by one comes from another worker."""
    deadline = time.monotonic() + READY_TIMEOUT
    seen: list[float] = []
    while time.monotonic() < deadline:
        seen += server.metric_values("partnerhub_requests_total", 1, route="/metrics")
        if len(seen) > 1 and seen[-1] != seen[-2] + 1:
            return
        time.sleep(0.05)
    pytest.fail(f"only one worker of {server.base_url} answers; /metrics counts: {seen}")


def _orphans_of(pgid: int) -> None:
    """Workers left in the group after the parent is gone (none expected) get SIGKILL."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return
    os.killpg(pgid, signal.SIGKILL)


@pytest.fixture(scope="session")
def start_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A factory: start_server(database_url, workers=1, redis_url=None, env=None) -> a Server
    whose `ready_path` (default /readyz) answers 200; `env` adds to its environment, `args` to
    its command line. Its token: PARTNERHUB_BOOTSTRAP_TOKEN's, or the one it printed.
    `restart_of=server` starts a new process on that server's database and settings (no
    first-start token: the database has its accounts); so does `first_start=False` on a
    database prepared beforehand."""
    started: list[Server] = []

    def start(
        database_url: str,
        *,
        workers: int = 1,
        redis_url: str | None = None,
        ready_path: str = "/readyz",
        env: dict[str, str] | None = None,
        restart_of: Server | None = None,
        args: tuple[str, ...] = (),
        first_start: bool = True,
    ) -> Server:
        workdir = tmp_path_factory.mktemp("server")
        port = free_port()
        extra = env or {}
        env = base_env()
        env.update(
            PARTNERHUB_DATABASE_URL=database_url,
            PARTNERHUB_TOKEN_CACHE_SECONDS="0",
            PARTNERHUB_LOG_LEVEL="info",
        )
        if database_url.startswith("postgresql"):
            env["PARTNERHUB_SECRET_KEY"] = uuid.uuid4().hex  # the development key is refused
        if redis_url:
            env["PARTNERHUB_REDIS_URL"] = redis_url
        env.update(extra)
        if restart_of is not None:
            env = {**restart_of.env}
        stdout_path, stderr_path = workdir / "stdout.log", workdir / "stderr.log"
        with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "partnerhub",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    str(workers),
                    *args,
                ],
                env=env,
                cwd=workdir,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        server = Server(
            f"http://127.0.0.1:{port}", env, workdir, stdout_path, stderr_path, process, workers
        )
        started.append(server)
        _wait_ready(server, ready_path)
        if workers > 1:
            _wait_second_worker(server)
        if restart_of is not None:
            server.token, server.secrets = restart_of.token, restart_of.secrets
            return server
        if not first_start:  # a database with accounts already: no first-start token
            return server
        server.token = env.get("PARTNERHUB_BOOTSTRAP_TOKEN") or one_token(server.stdout())
        server.secrets.append(server.token)
        return server

    yield start
    problems = []
    for server in started:
        server.stop()
        _orphans_of(server.process.pid)
        if "Traceback" in server.stderr() and not server.tracebacks_expected:
            problems.append(f"{server.base_url} stderr:\n{server.stderr()}")
    if problems:
        pytest.fail("server wrote a traceback:\n" + "\n".join(problems))


@pytest.fixture(scope="session")
def sqlite_server(start_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Server:
    """One worker, SQLite file, memory rate limits. The default account is put at Hood tier E
    so the tests sharing it do not run into its 10/s budget; rate-limit tests make their own
    tier-C accounts."""
    path = tmp_path_factory.mktemp("sqlite") / "partnerhub.db"
    server: Server = start_server(f"sqlite:///{path}")
    ok(server.cli("accounts", "limits", "default", "--hood-tier", "E"))
    return server


def _claimed_redis(pytestconfig: pytest.Config) -> Iterator[str]:
    """A Redis database index claimed for this session (SET NX of a marker key, expiring in case
    the session dies), emptied of earlier runs' keys first and flushed at the end."""
    root = root_conftest(pytestconfig)
    root.require_service("Redis", "127.0.0.1", 6379)
    base = root.REDIS_URL.rsplit("/", 1)[0]
    owner = uuid.uuid4().hex
    for index in COMPAT_REDIS_DBS:
        client = Redis.from_url(f"{base}/{index}", socket_connect_timeout=2)
        if client.set(REDIS_CLAIM_KEY, owner, nx=True, ex=REDIS_CLAIM_SECONDS):
            break
        client.close()
    else:
        pytest.fail(f"every Redis database in {list(COMPAT_REDIS_DBS)} is claimed by a session")
    stale = [key for key in client.scan_iter() if key != REDIS_CLAIM_KEY.encode()]
    if stale:
        client.delete(*stale)
    yield f"{base}/{index}"
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def compat_redis_url(pytestconfig: pytest.Config) -> Iterator[str]:
    yield from _claimed_redis(pytestconfig)


@pytest.fixture(scope="session")
def spare_redis_url(pytestconfig: pytest.Config) -> Iterator[str]:
    """A second claimed Redis database, for a server whose test-control resets empty its
    rate-limit keys (they must not touch the shared servers' budgets)."""
    yield from _claimed_redis(pytestconfig)


@pytest.fixture(scope="session")
def pg_databases(pytestconfig: pytest.Config) -> Iterator[PgDatabases]:
    databases = PgDatabases(root_conftest(pytestconfig))
    yield databases
    for name in databases.created:
        databases.drop(f"/{name}")


@pytest.fixture(scope="session")
def pg_redis_server(
    start_server: Any, compat_redis_url: str, pg_databases: PgDatabases
) -> Iterator[Server]:
    """Two workers on a fresh PostgreSQL database, rate limits in Redis."""
    server: Server = start_server(pg_databases.create(), workers=2, redis_url=compat_redis_url)
    yield server
    server.stop()
