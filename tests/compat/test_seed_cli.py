"""The stand-in kit's command line, run as a user runs it: known bootstrap credentials, `serve
--seed`, `seed`, `export` and `import` (the rules themselves: tests/services)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from compat_servers import Server
from typer.testing import CliRunner

from harness import EXAMPLE_SEED
from partnerhub import cli
from partnerhub.config import Settings
from partnerhub.ops import server

BOOTSTRAP_TOKEN = "ph_bootstrap_" + "k" * 40
BOOTSTRAP_PASSWORD = "bootstrap-root-password"
SEEDED_TOKEN = "ph_acme_test_token_0123456789abcdefghijklmnop"
SEEDED_PASSWORD = "acme-root-password"
SECRETS = (BOOTSTRAP_TOKEN, BOOTSTRAP_PASSWORD, SEEDED_TOKEN, SEEDED_PASSWORD)


@pytest.fixture
def invoke(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[Result, list[Settings]]]:
    """Runs the command line in-process on a SQLite file of its own (no start-up cost), with
    only the given PARTNERHUB_* settings; `serve` stops where it would start serving."""
    for name in [name for name in os.environ if name.startswith("PARTNERHUB_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    served: list[Settings] = []
    monkeypatch.setattr(server, "run", served.append)

    def run(
        *args: str, database: str = "partnerhub.db", **settings: str
    ) -> tuple[Result, list[Settings]]:
        env = {f"PARTNERHUB_{k.upper()}": v for k, v in settings.items()}
        env["PARTNERHUB_DATABASE_URL"] = f"sqlite:///{tmp_path / database}"
        return CliRunner().invoke(cli.app, list(args), env=env), served

    return run


@pytest.fixture(scope="module")
def seeded(start_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Server:
    """A first start with known credentials and the example seed."""
    path = tmp_path_factory.mktemp("seeded") / "partnerhub.db"
    server: Server = start_server(
        f"sqlite:///{path}",
        env={
            "PARTNERHUB_BOOTSTRAP_TOKEN": BOOTSTRAP_TOKEN,
            "PARTNERHUB_BOOTSTRAP_CORE_PASSWORD": BOOTSTRAP_PASSWORD,
        },
        args=("--seed", str(EXAMPLE_SEED)),
    )
    return server


class TestKnownCredentials:
    def test_bootstrap_token_works(self, seeded: Server) -> None:
        with seeded.client(BOOTSTRAP_TOKEN) as client:
            answer = client.get("/v1/hood/partners")
        assert answer.status_code == 200, answer.text

    def test_bootstrap_core_password_works(self, seeded: Server) -> None:
        with seeded.client() as client:
            answer = client.post(
                "/core/v2/oauth/token",
                data={
                    "grant_type": "password",
                    "username": "default",
                    "password": BOOTSTRAP_PASSWORD,
                },
            )
        assert answer.status_code == 200, answer.text

    def test_seeded_data_is_served_before_requests(self, seeded: Server) -> None:
        with seeded.client(SEEDED_TOKEN) as client:
            answer = client.get("/v1/hood/partners/1000200")
        assert answer.status_code == 200, answer.text
        assert "Hairdressing Claire" in answer.text

    def test_secrets_never_printed(self, seeded: Server) -> None:
        out = seeded.stdout() + seeded.stderr()
        assert "token from PARTNERHUB_BOOTSTRAP_TOKEN" in out
        assert "password from PARTNERHUB_BOOTSTRAP_CORE_PASSWORD" in out
        assert [s for s in SECRETS if s in out] == []


class TestRefusedAtStart:
    @pytest.mark.parametrize(
        ("setting", "value", "rule"),
        [
            ("bootstrap_token", "ph_" + "s" * 20, "must have 32 to 196 characters after ph_"),
            ("bootstrap_token", "Bearer-" + "x" * 40, "must be a token of the form ph_"),
            ("bootstrap_core_password", "short", "must have 8 to 128 characters (it has 5)"),
        ],
    )
    def test_nothing_created(
        self, invoke: Any, tmp_path: Path, setting: str, value: str, rule: str
    ) -> None:
        result, served = invoke("serve", **{setting: value})
        assert result.exit_code == 2, result.output
        assert f"PARTNERHUB_{setting.upper()} {rule}" in result.stderr
        assert value not in result.output
        assert not (tmp_path / "partnerhub.db").exists() and served == []

    def test_failing_seed_stops_serve(self, invoke: Any, tmp_path: Path) -> None:
        seed = tmp_path / "seed.json"
        seed.write_text('{"accounts": [{"name": "acme", "members": [{"email": "x"}]}]}')
        result, served = invoke("serve", "--seed", str(seed))
        assert result.exit_code == 2, result.output
        assert "error: accounts[0].members[0].name: must be a non-empty string." in result.stderr
        assert served == []
        listed, _ = invoke("accounts", "list")
        assert "default" in listed.stdout and "acme" not in listed.stdout  # bootstrap stays

    def test_ignored_once_accounts_exist(self, invoke: Any) -> None:
        first, _ = invoke("serve", bootstrap_token=BOOTSTRAP_TOKEN)
        assert "created with the token from PARTNERHUB_BOOTSTRAP_TOKEN" in first.stdout
        listed, _ = invoke("tokens", "list", "--account", "default")
        assert "partnerhub.admin" in listed.stdout  # the bootstrap token's extra scope
        again, served = invoke("serve", bootstrap_token=BOOTSTRAP_TOKEN)
        assert again.exit_code == 0, again.output
        notice = "info: PARTNERHUB_BOOTSTRAP_TOKEN ignored: the database already has accounts."
        assert notice in again.stdout
        assert "Account default" not in again.stdout and len(served) == 2


def test_seed_export_import_round_trip(invoke: Any) -> None:
    seeded, _ = invoke("seed", str(EXAMPLE_SEED), database="source.db")
    assert "Seeded account acme (id 1000000)" in seeded.stdout, seeded.output
    assert [s for s in SECRETS if s in seeded.output] == []
    exported, _ = invoke("export", database="source.db")
    assert exported.exit_code == 0, exported.output
    assert exported.stdout.startswith('{"kind":"partnerhub.export","format":1}\n')
    assert "record(s) exported" in exported.stderr  # progress and summary on stderr only
    dump = Path("dump.jsonl")
    dump.write_bytes(exported.stdout_bytes)
    imported, _ = invoke("import", str(dump), database="target.db")
    assert "Imported 2 account" in imported.stdout, imported.output
    assert invoke("export", database="target.db")[0].stdout_bytes == exported.stdout_bytes
    again, _ = invoke("import", str(dump), database="target.db")
    assert again.exit_code == 1
    assert "error: line 2: an account with id 1000000 exists already" in again.stderr
    as_seed, _ = invoke("seed", str(dump), database="third.db")  # an export seeds too
    assert as_seed.exit_code == 0, as_seed.output
    assert invoke("export", database="third.db")[0].stdout_bytes == exported.stdout_bytes
    missing, served = invoke("serve", "--seed", "absent.jsonl", database="third.db")
    assert missing.exit_code == 2 and "absent.jsonl: cannot be read" in missing.stderr
    assert served == []
