"""The `partnerhub` command line, run as a user runs it (subprocesses), checked through a running
server (SQLite, one worker, token cache off so revocations and new tokens apply at once)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from compat_servers import (
    TOKEN_RE,
    Account,
    PgDatabases,
    Server,
    base_env,
    ok,
    one_token,
    run_cli,
)
from typer.testing import CliRunner

from partnerhub import cli
from partnerhub.config import Settings
from partnerhub.ops import server

DEV_KEY_WARNING = "warning: PARTNERHUB_SECRET_KEY is the development default"


@pytest.fixture(scope="module")
def account(sqlite_server: Server) -> Account:
    return sqlite_server.create_account("cli")


def assert_hood_error(answer_status: int, body: dict[str, object], status: int) -> None:
    assert answer_status == status, body
    assert body["code"] == status
    assert body["trace_id"]


class TestHelp:
    def test_lists_commands(self, tmp_path: Path) -> None:
        out = ok(run_cli(base_env(), tmp_path, "--help"))
        for command in ("serve", "migrate", "accounts", "tokens", "members", "demo"):
            assert command in out, command

    def test_serve_help_lists_every_setting(self, tmp_path: Path) -> None:
        out = ok(run_cli(base_env(), tmp_path, "serve", "--help"))
        for name in Settings.model_fields:
            assert f"PARTNERHUB_{name.upper()}" in out, name
        assert "change-me-partnerhub-secret" not in out


class TestFirstStart:
    def test_printed_token_works(self, sqlite_server: Server) -> None:
        with sqlite_server.client(sqlite_server.token) as client:
            answer = client.get("/v1/hood/partners")
        assert answer.status_code == 200, answer.text

    def test_banner_lines_are_whole_at_80_columns(self, sqlite_server: Server) -> None:
        """Under a supervisor (no terminal; rich assumes 80 columns) the token and the address
        line each stay one line, so log tools see them intact."""
        lines = sqlite_server.stdout().splitlines()
        assert sqlite_server.token in lines
        banner = re.compile(
            r"partnerhub on http://127\.0\.0\.1:\d+ \(1 worker\(s\), database sqlite:///\S+\)"
        )
        assert [line for line in lines if banner.fullmatch(line)], lines[:8]

    def test_development_secret_key_only_warns_on_sqlite(self, sqlite_server: Server) -> None:
        assert DEV_KEY_WARNING in sqlite_server.stderr()


class TestAccounts:
    def test_create_prints_a_working_token_and_list_shows_it(
        self, sqlite_server: Server, account: Account
    ) -> None:
        with sqlite_server.client(account.token) as client:
            answer = client.get("/v1/hood/partners")
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"total": 0, "items": []}  # a new tenant sees nothing
        out = ok(sqlite_server.cli("accounts", "list"))
        (row,) = [line for line in out.splitlines() if account.name in line]
        assert str(account.id) in row
        assert " C " in row  # default Hood tier
        assert [line for line in out.splitlines() if " default " in line]  # first start's

    def test_names_print_as_typed(self, sqlite_server: Server) -> None:
        """Rich markup in user input is text: `[/]` once crashed the print after the commit,
        leaving an account whose token nobody saw, and `accounts list` broken for good."""
        created = sqlite_server.create_account("brackets[/][bold]")  # asserts the name printed
        assert "[bold]" in created.name
        out = ok(sqlite_server.cli("accounts", "list"))
        assert created.name in out
        member = "[red]Boss[/red] [/]"
        args = ["--account", created.name, "--name", member, "--email", "boss@example.com"]
        done = ok(sqlite_server.cli("members", "create", *args))
        assert f": {member} <boss@example.com>" in done


class TestTokens:
    def test_scoped_token_reads_but_cannot_write(
        self, sqlite_server: Server, account: Account
    ) -> None:
        _, token = sqlite_server.create_token(account.name, "read-only", "hood.partners.read")
        with sqlite_server.client(token) as client:
            read = client.get("/v1/hood/partners")
            write = client.post("/v1/hood/partners", json={"name": "Nope"})
        assert read.status_code == 200, read.text
        assert_hood_error(write.status_code, write.json(), 403)

    def test_list_shows_the_prefix_never_the_secret(
        self, sqlite_server: Server, account: Account
    ) -> None:
        token_id, token = sqlite_server.create_token(account.name, "listed")
        out = ok(sqlite_server.cli("tokens", "list", "--account", account.name))
        (row,) = [line for line in out.splitlines() if f" {token_id} " in line]
        assert "listed" in row
        assert token[:10] in row
        for secret in sqlite_server.secrets:
            assert secret not in out
        assert all(len(shown) <= 10 for shown in TOKEN_RE.findall(out)), out

    def test_revoked_token_gets_401(self, sqlite_server: Server, account: Account) -> None:
        token_id, token = sqlite_server.create_token(account.name, "to-revoke")
        with sqlite_server.client(token) as client:
            assert client.get("/v1/hood/partners").status_code == 200
            out = ok(
                sqlite_server.cli("tokens", "revoke", str(token_id), "--account", account.name)
            )
            assert f"Token {token_id} revoked" in out
            answer = client.get("/v1/hood/partners")
        assert_hood_error(answer.status_code, answer.json(), 401)


class TestMembers:
    def test_create_rejects_a_bad_email(self, sqlite_server: Server, account: Account) -> None:
        done = sqlite_server.cli(
            "members",
            "create",
            "--account",
            account.name,
            "--name",
            "Bad",
            "--email",
            "not-an-email",
        )
        assert done.returncode == 1, done
        assert "email" in done.stderr.lower(), done.stderr
        with sqlite_server.client(account.token) as client:
            listed = client.get("/v1/hood/members")
        assert listed.status_code == 200, listed.text
        assert [m["name"] for m in listed.json()["items"]] == []


class TestDemo:
    def test_loads_data_visible_through_the_api(self, sqlite_server: Server) -> None:
        name = "demo-cli"
        out = ok(sqlite_server.cli("demo", "--account", name))
        assert f"Demo data in account {name}" in out
        token = one_token(out)  # the account did not exist: created, with a token
        sqlite_server.secrets.append(token)
        with sqlite_server.client(token) as client:
            partners = client.get("/v1/hood/partners", params={"view": "full"})
            members = client.get("/v1/hood/members")
        assert partners.status_code == 200, partners.text
        assert partners.json()["total"] > 0
        assert all(p["manager_ids"] for p in partners.json()["items"])
        assert members.json()["total"] > 0


class TestServe:
    def test_several_workers_need_redis(self, tmp_path: Path) -> None:
        env = base_env()
        db = tmp_path / "never.db"
        env["PARTNERHUB_DATABASE_URL"] = f"sqlite:///{db}"
        done = run_cli(env, tmp_path, "serve", "--port", "1", "--workers", "2")
        assert done.returncode == 2, done
        assert "PARTNERHUB_REDIS_URL" in done.stderr, done.stderr
        assert not db.exists()  # refused before touching the database

    def test_postgresql_refuses_the_development_secret_key(self, tmp_path: Path) -> None:
        env = base_env()
        env["PARTNERHUB_DATABASE_URL"] = "postgresql://partnerhub@127.0.0.1:1/none"  # no server
        done = run_cli(env, tmp_path, "serve", "--port", "1", timeout=30)
        assert done.returncode == 2, done
        assert "PARTNERHUB_SECRET_KEY" in done.stderr, done.stderr
        assert "--allow-dev-secret-key" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr  # refused before connecting to the database

    @pytest.mark.parametrize("allowed_by", ["flag", "setting"])
    def test_allowed_development_key_starts_on_postgresql(
        self,
        allowed_by: str,
        pg_databases: PgDatabases,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        url = pg_databases.create()
        for name in [name for name in os.environ if name.startswith("PARTNERHUB_")]:
            monkeypatch.delenv(name)
        monkeypatch.setenv("PARTNERHUB_DATABASE_URL", url)
        if allowed_by == "setting":
            monkeypatch.setenv("PARTNERHUB_ALLOW_DEV_SECRET_KEY", "true")
        monkeypatch.chdir(tmp_path)
        served: list[Settings] = []
        monkeypatch.setattr(server, "run", served.append)
        flags = ["--allow-dev-secret-key"] if allowed_by == "flag" else []
        result = CliRunner().invoke(cli.app, ["serve", *flags])
        assert result.exit_code == 0, result.output
        assert DEV_KEY_WARNING in result.stderr
        one_token(result.stdout)  # migrated and bootstrapped the new database
        assert len(served) == 1


class TestMigrate:
    def test_brings_a_new_database_up_to_date(self, tmp_path: Path) -> None:
        env = base_env()
        db = tmp_path / "new.db"
        env["PARTNERHUB_DATABASE_URL"] = f"sqlite:///{db}"
        out = ok(run_cli(env, tmp_path, "migrate"))
        assert "up to date" in out
        assert db.exists()
