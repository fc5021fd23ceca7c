"""A real `partnerhub serve` for a test session: a subprocess on a free loopback port with a
fresh database and the test-control API on, driven over HTTP (`partnerhub_server`), and the
per-test handle on it (`partnerhub`)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from partnerhub.pytest_plugin.control import Control, PartnerhubError
from partnerhub.pytest_plugin.credentials import (
    Credentials,
    environment,
    printed_login,
    printed_token,
)

READY_SECONDS = 60.0
CLI_SECONDS = 120.0
STOP_SECONDS = 15.0
ALREADY_SEEDED = "ignored: the database already has accounts"


class StartFailed(Exception):
    """The server did not come up; the message says why and shows its (redacted) log."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PartnerhubServer(Control):
    """A served partnerhub for the session. `token`: the account `default`'s token (every
    scope, no admin) for the code under test; `admin_token`: the test-control API's."""

    def __init__(
        self,
        *,
        workdir: Path,
        database_url: str,
        seed: Path | None,
        credentials: Credentials | None = None,
    ) -> None:
        self.credentials = credentials or Credentials()
        self.workdir = workdir
        self.database_url = database_url
        self.env = environment(database_url, self.credentials)
        self.log_path = workdir / "partnerhub.log"
        self.base_url = f"http://127.0.0.1:{_free_port()}"
        self.admin_token = self.credentials.admin_token
        self.account = self.credentials.account
        self.core_password = self.credentials.core_password
        self.core_login = ""
        self.token = ""
        self._seed = seed
        self._process: subprocess.Popen[bytes] | None = None
        super().__init__(
            httpx.Client(
                base_url=self.base_url,
                headers={"Authorization": f"Bearer {self.admin_token}"},
                timeout=30,
            )
        )

    @property
    def hood_url(self) -> str:
        return f"{self.base_url}/v1/hood"

    @property
    def core_url(self) -> str:
        return f"{self.base_url}/core/v2"

    @property
    def crm_url(self) -> str:
        return f"{self.base_url}/crm/v3"

    # Life

    def start(self) -> None:
        """Serve (migrate, bootstrap with the known credentials, seed, baseline), wait for
        /readyz, then add the account token and take the baseline again with it."""
        port = self.base_url.rsplit(":", 1)[1]
        args = ["serve", "--host", "127.0.0.1", "--port", port]
        if self._seed is not None:
            args += ["--seed", str(self._seed)]
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(  # noqa: S603 - this interpreter, our command
                [sys.executable, "-m", "partnerhub", *args],
                env=self.env,
                cwd=self.workdir,  # no .env file of the project under test is read
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stopped as one
            )
        self._wait_ready()
        log_text = self.log()
        if ALREADY_SEEDED in log_text:
            self.stop()
            raise StartFailed(
                f"partnerhub_database_url: {self.database_url} already has accounts. The "
                "plugin installs its known credentials on the first start of an empty "
                "database: give it a new, empty one (or leave the option unset for a fresh "
                "SQLite file)."
            )
        self.core_login = printed_login(log_text) or self.account
        created = self.cli("tokens", "create", "--account", self.account, "--name", "pytest")
        token = printed_token(created.stdout) if created.returncode == 0 else None
        if token is None:
            self.stop()
            raise StartFailed(f"partnerhub tokens create failed:\n{self._shown(created)}")
        self.token = token
        self.take_baseline()

    def _wait_ready(self) -> None:
        process = self._process
        assert process is not None
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise StartFailed(
                    f"partnerhub serve exited with {process.returncode}:\n{self.log(redacted=True)}"
                )
            try:
                if httpx.get(f"{self.base_url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise StartFailed(
            f"partnerhub serve was not ready within {READY_SECONDS:.0f} s:\n"
            f"{self.log(redacted=True)}"
        )

    def stop(self) -> None:
        """SIGTERM to the server's process group, SIGKILL if it is still up after 15 s."""
        self._http.close()
        process = self._process
        if process is None or process.poll() is not None:
            return
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait(timeout=STOP_SECONDS)

    def log(self, *, redacted: bool = False) -> str:
        """What the server wrote (stdout and stderr)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return self.credentials.redact(text) if redacted else text

    # Command line and data

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`partnerhub ARGS…` on the server's database and settings."""
        return subprocess.run(  # noqa: S603 - this interpreter, our command
            [sys.executable, "-m", "partnerhub", *args],
            env=self.env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=CLI_SECONDS,
            check=False,
        )

    def load(self, path: str | os.PathLike[str]) -> None:
        """`partnerhub seed PATH` into the running server's database (all or nothing)."""
        loaded = self.cli("seed", str(Path(path).resolve()))
        if loaded.returncode != 0:
            raise PartnerhubError(f"partnerhub seed {path}:\n{self._shown(loaded)}")

    def seed(self, path: str | os.PathLike[str]) -> None:
        """Load a seed file for the rest of the session: back to the baseline, load it, and take
        the baseline again, so every test from now on starts with it. For a session or module
        fixture; a test's own data is `partnerhub.seed`."""
        self.reset()
        self.load(path)
        self.take_baseline()

    def _shown(self, result: subprocess.CompletedProcess[str]) -> str:
        return self.credentials.redact(f"{result.stdout}\n{result.stderr}".strip())


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
        os.killpg(process.pid, sig)


class Partnerhub(Control):
    """One test's handle on the session's server, which was reset to the baseline (faults
    removed, journal emptied) just before the test."""

    def __init__(self, server: PartnerhubServer) -> None:
        super().__init__(server._http)
        self.server = server
        self.base_url = server.base_url
        self.hood_url, self.core_url = server.hood_url, server.core_url
        self.crm_url = server.crm_url
        self.token, self.admin_token = server.token, server.admin_token
        self.account = server.account
        self.core_login, self.core_password = server.core_login, server.core_password
        self._clients: list[httpx.Client] = []

    def begin(self) -> None:
        self.reset()
        self.clear_faults()
        self.clear_journal()

    def client(self, token: str | None = None, **options: Any) -> httpx.Client:
        """An httpx.Client on the server with `token` (default: the account token); closed
        after the test."""
        headers = {"Authorization": f"Bearer {token or self.token}", **options.pop("headers", {})}
        client = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=options.pop("timeout", 30), **options
        )
        self._clients.append(client)
        return client

    def seed(self, path: str | os.PathLike[str]) -> None:
        """Load a seed file (`partnerhub seed`) for this test only: the next test's reset
        removes it. State its tokens in the file to use them."""
        self.server.load(path)

    def close(self) -> None:
        for client in self._clients:
            client.close()
