"""Helpers for the compat tests: a running `partnerhub serve` process and its command line."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import asyncpg
import httpx
import pytest

TOKEN_RE = re.compile(r"ph_[A-Za-z0-9_-]+")
MEMBER_RE = re.compile(r"Member (\d+):")
ACCOUNT_RE = re.compile(r"Account (\S+) \(id (\d+)\)")
TOKEN_ID_RE = re.compile(r"Token (\d+) \(")
READY_TIMEOUT = 30.0
CLI_TIMEOUT = 60.0
# Redis database indexes this suite may claim, one per running session. A server needs a
# Redis database of its own: account ids restart at the same number in every fresh database, so
# two sessions (two developers, xdist workers) sharing one would share rate-limit budgets.
COMPAT_REDIS_DBS = range(15, 7, -1)
REDIS_CLAIM_KEY = "partnerhub-compat:claimed-by"
REDIS_CLAIM_SECONDS = 1800


def root_conftest(config: pytest.Config) -> ModuleType:
    """tests/conftest.py as a module (`require_service`, `in_thread`, `PG_ADMIN`, …).

    Both conftest files are imported under the name `conftest`, so `from conftest import …`
    here would import this file; pytest keeps each conftest registered under its path.
    """
    path = Path(__file__).resolve().parent.parent / "conftest.py"
    module = config.pluginmanager.get_plugin(str(path))
    assert isinstance(module, ModuleType), f"{path} is not loaded"
    return module


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def base_env() -> dict[str, str]:
    """The test process's environment without any PARTNERHUB_* setting or colour forcing."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PARTNERHUB_") and k not in ("FORCE_COLOR", "PY_COLORS", "COLUMNS")
    }
    # Plain output, as under a process supervisor: no escape codes, rich's default 80 columns.
    env.update(NO_COLOR="1", TERM="dumb")
    return env


def run_cli(
    env: dict[str, str], cwd: Path, *args: str, timeout: float = CLI_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "partnerhub", *args],
        # Wide enough that rich's tables neither wrap nor truncate names and prefixes.
        env={**env, "COLUMNS": "250"},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, (
        f"{result.args} exited {result.returncode}\nstdout:\n{result.stdout}\n"
        f"stderr:\n{result.stderr}"
    )
    return result.stdout


def member_id(result: subprocess.CompletedProcess[str]) -> str:
    """The id `partnerhub members create` printed."""
    out = ok(result)
    match = MEMBER_RE.search(out)
    assert match, out
    return match[1]


def one_token(text: str) -> str:
    found = TOKEN_RE.findall(text)
    assert len(found) == 1, f"expected one token in:\n{text}"
    return found[0]


def stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


@dataclass
class Account:
    name: str
    id: int
    token: str


@dataclass
class Server:
    base_url: str
    env: dict[str, str]
    workdir: Path
    stdout_path: Path
    stderr_path: Path
    process: subprocess.Popen[bytes]
    workers: int
    token: str = ""
    secrets: list[str] = field(default_factory=list)
    tracebacks_expected: bool = False  # else a traceback on stderr fails the session

    def stop(self) -> None:
        """SIGTERM to the process group (parent and workers), SIGKILL if still up after 15 s."""
        stop_process(self.process)

    # Output

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def log_text(self) -> str:
        """Everything the process logged: stderr, and stdout from the "partnerhub on …" line
        on (before it, a first start prints its token and root password once, by design)."""
        out = self.stdout()
        start = out.find("partnerhub on ")
        return (out[start:] if start >= 0 else out) + "\n" + self.stderr()

    def log_records(self) -> list[dict[str, Any]]:
        """Every complete JSON line of stdout (the access log), parsed."""
        *complete, _partial = self.stdout().split("\n")  # a line being written has no "\n" yet
        return [json.loads(line) for line in complete if line.startswith("{")]

    # Command line (same environment, same database)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(self.env, self.workdir, *args)

    def cli_parallel(self, *commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
        """Several commands at once (each start costs about a second of imports). PostgreSQL
        only: concurrent writers on one SQLite file may find it locked."""
        with ThreadPoolExecutor(len(commands)) as pool:
            return list(pool.map(lambda args: self.cli(*args), commands))

    def create_account(self, prefix: str, *extra: str) -> Account:
        name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        out = ok(self.cli("accounts", "create", name, *extra))
        match = ACCOUNT_RE.search(out)
        assert match and match[1] == name, out
        account = Account(name, int(match[2]), one_token(out))
        self.secrets.append(account.token)
        return account

    def create_member(self, account: str, name: str, email: str) -> str:
        return member_id(
            self.cli("members", "create", "--account", account, "--name", name, "--email", email)
        )

    def create_token(self, account: str, name: str, *scopes: str) -> tuple[int, str]:
        args = [arg for scope in scopes for arg in ("--scope", scope)]
        out = ok(self.cli("tokens", "create", "--account", account, "--name", name, *args))
        match = TOKEN_ID_RE.search(out)
        assert match, out
        secret = one_token(out)
        self.secrets.append(secret)
        return int(match[1]), secret

    # HTTP

    def client(self, token: str | None = None, **kw: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=10, **kw)

    def metric_values(self, name: str, probes: int, **labels: str) -> list[float]:
        """The value of the `name` sample with `labels`, as each of `probes` scrapes over fresh
        connections sees it (0 when absent). Metrics are per worker process, so with several
        workers the scrapes sample the workers' own counters."""
        seen = []
        for _ in range(probes):
            with httpx.Client(base_url=self.base_url, timeout=10) as client:
                text = client.get("/metrics").text
            seen.append(metric_value(text, name, **labels))
        return seen


_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def metric_samples(text: str, name: str) -> list[tuple[dict[str, str], float]]:
    """The samples of metric `name` in Prometheus text format: (labels, value) pairs."""
    samples = []
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match and match[1] == name:
            samples.append((dict(_LABEL.findall(match[2] or "")), float(match[3])))
    return samples


def metric_value(text: str, name: str, **labels: str) -> float:
    """The value of the one sample of `name` whose labels include `labels` (0 when absent)."""
    found = [
        value
        for have, value in metric_samples(text, name)
        if all(have.get(k) == v for k, v in labels.items())
    ]
    assert len(found) <= 1, f"{name} {labels} matches several samples"
    return found[0] if found else 0.0


async def _pg_rows(url: str) -> list[str]:
    conn = await asyncpg.connect(url.replace("postgresql://", "postgres://"))
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        rows = [f"table {t['tablename']}" for t in tables]
        for t in tables:
            rows += [repr(tuple(r)) for r in await conn.fetch(f'SELECT * FROM "{t["tablename"]}"')]
        return rows
    finally:
        await conn.close()


def dump_database(database_url: str) -> str:
    """Every row of every table, one `repr` a line (after a `table <name>` line per table)."""
    if database_url.startswith("sqlite:///"):
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            rows = []
            for table in tables:
                rows.append(f"table {table}")
                rows += [repr(row) for row in conn.execute(f'SELECT * FROM "{table}"')]
        finally:
            conn.close()
        return "\n".join(rows)
    with ThreadPoolExecutor(1) as pool:
        return "\n".join(pool.submit(lambda: asyncio.run(_pg_rows(database_url))).result())


async def _pg(admin: str, sql: str) -> None:
    conn = await asyncpg.connect(admin.replace("postgresql://", "postgres://"))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


class PgDatabases:
    """New, empty PostgreSQL databases, dropped WITH (FORCE) (servers may still hold
    connections) when asked or at the end of the session."""

    def __init__(self, root: ModuleType) -> None:
        self.root = root
        self.admin: str = root.PG_ADMIN
        self.created: list[str] = []

    def _run(self, sql: str) -> None:
        self.root.in_thread(lambda: asyncio.run(_pg(self.admin, sql)))

    def create(self) -> str:
        self.root.require_service("PostgreSQL", "127.0.0.1", 5432)
        name = f"partnerhub_compat_{uuid.uuid4().hex[:10]}"
        self._run(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self.admin.rsplit("/", 1)[0] + f"/{name}"

    def drop(self, url: str) -> None:
        self._run(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
