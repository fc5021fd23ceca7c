"""Schemathesis generates requests from our own /openapi.json for every operation of the three
surfaces, valid and invalid alike; none may get a 5xx (SPEC §1: no input produces a 500)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from compat_servers import Server, ok

SEED = "20261122"


def test_no_generated_request_gets_a_server_error(sqlite_server: Server, tmp_path: Path) -> None:
    account = sqlite_server.create_account("fuzz", "--hood-tier", "E")
    ok(
        sqlite_server.cli(
            "accounts",
            "limits",
            account.name,
            "--core",
            "100000/60",
            "--crm",
            "100000/10,10000000/86400",
            "--crm-search",
            "10000/1",
        )
    )
    ok(sqlite_server.cli("demo", "--account", account.name))
    cli = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    if cli is None:
        pytest.fail("schemathesis is a test dependency (pip install -e '.[dev]')")
    result = subprocess.run(
        [
            cli,
            "run",
            f"{sqlite_server.base_url}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--header",
            f"Authorization: Bearer {account.token}",
            "--max-examples",
            "15",
            "--seed",
            SEED,
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        check=False,
    )
    summary = result.stdout[-3000:]
    assert result.returncode == 0, summary
    tested = re.search(r"Tested: (\d+)", result.stdout)
    assert tested and int(tested[1]) >= 45, summary  # every operation of the three surfaces
    assert " passed" in summary and "failure" not in summary.lower(), summary
