"""partnerhub as a stand-in in other projects' test suites (README "Use it as a stand-in in your
tests"): a pytest plugin, loaded by its `pytest11` entry point wherever partnerhub is installed.

Fixtures (none autouse; nothing is started or imported until a test asks for one):

* `partnerhub_server` (session): a real `partnerhub serve` on a free loopback port with a fresh
  database, the test-control API on, random known credentials and `--partnerhub-seed` loaded.
* `partnerhub_environment` (session): settings for that server beyond the plugin's own, as
  environment variables (`{"PARTNERHUB_SMTP_CA_FILE": …}`); empty unless a conftest.py
  overrides it.
* `partnerhub` (function): that server reset to its baseline before the test, with helpers:
  `client()`, `seed(path)`, `fault(...)` / `faulted(...)`, `journal(...)`,
  `snapshot(name)` / `restore(name)`, `reset()`.
* `partnerhub_app` (function): the app in this process on a copy of a prepared SQLite file,
  reached with httpx.AsyncClient (`client()`) and the same helpers, awaited. No sockets: for
  httpx-based code; clients that open their own connections (requests, urllib3: vendor SDKs)
  need `partnerhub_server`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from partnerhub.pytest_plugin.in_process import PartnerhubApp, Template
    from partnerhub.pytest_plugin.served import Partnerhub, PartnerhubServer

SEED = "partnerhub_seed"
DATABASE_URL = "partnerhub_database_url"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("partnerhub", "partnerhub stand-in (fixtures partnerhub, …)")
    group.addoption(
        "--partnerhub-seed",
        dest=SEED,
        metavar="PATH",
        help="seed file (.yaml, .json) or export (.jsonl) every test starts from "
        "[ini: partnerhub_seed]",
    )
    group.addoption(
        "--partnerhub-database-url",
        dest=DATABASE_URL,
        metavar="URL",
        help="an empty database for partnerhub_server (sqlite:///… or postgresql://…) "
        "[ini: partnerhub_database_url; default: a new SQLite file in a temporary directory]",
    )
    parser.addini(SEED, "seed file every partnerhub test starts from (relative to this file)")
    parser.addini(DATABASE_URL, "an empty database for partnerhub_server (default: new SQLite)")


def _seed_path(config: pytest.Config) -> Path | None:
    """The seed option: a command-line path is relative to the invocation directory, an ini
    one to the ini file's directory."""
    given: str | None = config.getoption(SEED)
    base = config.invocation_params.dir
    if not given:
        given = str(config.getini(SEED))
        base = config.inipath.parent if config.inipath else config.rootpath
    if not given:
        return None
    path = (base / given).resolve()
    if not path.is_file():
        pytest.fail(f"{SEED}: no file at {path}", pytrace=False)
    return path


def _database_url(config: pytest.Config) -> str | None:
    given: str | None = config.getoption(DATABASE_URL) or config.getini(DATABASE_URL)
    return given or None


@pytest.fixture(scope="session")
def partnerhub_environment() -> dict[str, str]:
    """Extra settings of `partnerhub_server` (environment variables); override it in a
    conftest.py to give the server e.g. `PARTNERHUB_SMTP_CA_FILE`."""
    return {}


@pytest.fixture(scope="session")
def partnerhub_server(
    pytestconfig: pytest.Config,
    tmp_path_factory: pytest.TempPathFactory,
    partnerhub_environment: dict[str, str],
) -> Iterator[PartnerhubServer]:
    """A real `partnerhub serve` for the session (stopped at its end)."""
    from partnerhub.pytest_plugin.served import PartnerhubServer, StartFailed

    workdir = tmp_path_factory.mktemp("partnerhub")
    url = _database_url(pytestconfig) or f"sqlite:///{workdir / 'partnerhub.db'}"
    server = PartnerhubServer(workdir=workdir, database_url=url, seed=_seed_path(pytestconfig))
    server.env.update(partnerhub_environment)
    try:
        server.start()
    except StartFailed as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def partnerhub(partnerhub_server: PartnerhubServer) -> Iterator[Partnerhub]:
    """The session's server, reset to its baseline (faults removed, journal emptied)."""
    from partnerhub.pytest_plugin.served import Partnerhub

    handle = Partnerhub(partnerhub_server)
    handle.begin()
    yield handle
    handle.close()


@pytest.fixture(scope="session")
def _partnerhub_app_template(
    pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Template:
    from partnerhub.pytest_plugin.in_process import prepare

    return prepare(tmp_path_factory.mktemp("partnerhub-app"), _seed_path(pytestconfig))


@pytest.fixture
def partnerhub_app(
    _partnerhub_app_template: Template, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PartnerhubApp]:
    """The app in this process, on a fresh copy of the session's prepared database."""
    from partnerhub.pytest_plugin.in_process import PartnerhubApp

    handle = PartnerhubApp(_partnerhub_app_template, tmp_path_factory.mktemp("partnerhub-app"))
    yield handle
    handle.close()
