"""Schemathesis over a real server's /openapi.json: every operation of every surface, all four
phases, three checks. Shared by the CI test (a short fixed-seed run) and `make fuzz` (as many
cases as FUZZ_CASES asks for)."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compat_servers import Account, Server, ok

SEED = 20261122
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
ALL_PHASES = "examples,coverage,fuzzing,stateful"
# Later passes only add random cases: examples and coverage are deterministic, a repeat of them
# would count the same requests twice.
MORE_PHASES = "fuzzing,stateful"
CI_EXAMPLES = 5  # per operation in the CI run (about 4,000 cases, most from the coverage phase)
RUN_TIMEOUT = 3600
# How often a generated id is replaced by one that exists (else the id routes would nearly always
# answer not-found and never reach their logic).
REAL_ID_PROBABILITY = 0.5
IDS_PER_KIND = 5
# Where each kind's ids are listed, the key of the list, and the key of an item's id.
LISTS = {
    "partner_id": ("/v1/hood/partners", "items", "id"),
    "member_id": ("/v1/hood/members", "items", "id"),
    "integration_id": ("/v1/hood/integrations", "items", "id"),
    "deal_id": ("/v1/hood/deals", "items", "id"),
    "campaign_id": ("/v1/hood/campaigns", "items", "id"),
    "provider_id": ("/v1/hood/providers", "items", "id"),
    "partner_sid": ("/core/v2/partners", "items", "partner_sid"),
    "object_id": ("/crm/v3/objects/partner_clients", "results", "id"),
    "property_name": ("/crm/v3/properties/partner_clients", "results", "name"),
    "group_name": ("/crm/v3/properties/partner_clients/groups", "results", "name"),
}
# Bodies that name objects, by the kind they name.
BODY_REFERENCES = {
    "body.partner_id": "partner_id",
    "body.deal_id": "deal_id",
    "body.integration_id": "integration_id",
    "body.provider_id": "provider_id",
    "body.manager_ids[*]": "member_id",
    "body.messages[*].integration_id": "integration_id",
    "body.groupName": "group_name",
    "body.inputs[*].id": "object_id",
}


def requested_cases() -> int:
    """FUZZ_CASES: the least number of cases a run must reach (0: one short CI pass)."""
    return int(os.environ.get("FUZZ_CASES", "0") or 0)


def requested_backends() -> set[str]:
    return set(os.environ.get("FUZZ_BACKENDS", "sqlite postgresql").split())


def fuzz_account(server: Server) -> Account:
    """An account whose limits the run does not exhaust, with the demo data set to hit."""
    account = server.create_account("fuzz", "--hood-tier", "E")
    limits = ["--core", "1000000/60", "--crm", "1000000/10,100000000/86400"]
    ok(server.cli("accounts", "limits", account.name, *limits, "--crm-search", "100000/1"))
    ok(server.cli("demo", "--account", account.name))
    return account


def _real_ids(server: Server, token: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with server.client(token) as client:
        for kind, (path, key, id_key) in LISTS.items():
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.text)
            found[kind] = [str(item[id_key]) for item in answer.json()[key][:IDS_PER_KIND]]
        partner = found["partner_id"][0]
        answer = client.get(f"/v1/hood/partners/{partner}/contacts")
        found["contact_id"] = [str(c["id"]) for c in answer.json()["items"][:IDS_PER_KIND]]
    assert all(found.values()), found  # the demo data set has objects of every kind
    return found


def write_config(server: Server, account: Account, workdir: Path) -> None:
    """schemathesis.toml in `workdir`: dictionaries of the account's real ids, bound to the path
    parameters and body fields that name objects, each used half of the time."""
    ids = _real_ids(server, account.token)
    lines = []
    for kind, values in ids.items():
        lines += [f"[dictionaries.{kind}]", f"values = {json.dumps(values)}", ""]
    lines.append("[parameters]")
    bindings = {f"path.{kind}": kind for kind in ids} | BODY_REFERENCES
    for key, kind in bindings.items():
        lines.append(f'"{key}" = {{ dictionary = "{kind}", probability = {REAL_ID_PROBABILITY} }}')
    (workdir / "schemathesis.toml").write_text("\n".join(lines) + "\n")


@dataclass
class FuzzRun:
    operations: int = 0
    cases: int = 0
    passes: int = 0
    failures: list[str] = field(default_factory=list)  # distinct: title, code, operations
    errors: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    def summary(self, backend: str) -> str:
        return (
            f"fuzz {backend}: {self.cases} cases over {self.operations} operations in "
            f"{self.passes} pass(es), {len(self.failures)} failures, {len(self.errors)} errors "
            f"(seed {SEED})"
        )


def _cli() -> str:
    cli = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert cli, "schemathesis is a test dependency (pip install -e '.[dev]')"
    return cli


def _one_pass(
    server: Server, token: str, workdir: Path, *, seed: int, examples: int, phases: str
) -> dict[str, Any]:
    report = workdir / f"schemathesis-{seed}.json"
    result = subprocess.run(
        [
            _cli(),
            "run",
            f"{server.base_url}/openapi.json",
            "--checks",
            CHECKS,
            "--phases",
            phases,
            "--header",
            f"Authorization: Bearer {token}",
            "--max-examples",
            str(examples),
            "--seed",
            str(seed),
            "--no-color",
            "--report",
            "json",
            "--report-json-path",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        cwd=workdir,
        check=False,
    )
    assert report.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    data: dict[str, Any] = json.loads(report.read_text())
    failures = result.stdout.find(" FAILURES ")  # each failure with its curl reproduction
    data["_output"] = result.stdout[failures : failures + 20000] if failures >= 0 else ""
    data["_output"] += result.stdout[-3000:]
    return data


def fuzz(server: Server, account: Account, workdir: Path, cases: int) -> FuzzRun:
    """One pass of every phase, then random-only passes (next seeds) until `cases` is reached;
    the distinct failures of all of them (a failure's reproduction is in its pass's output)."""
    run = FuzzRun()
    write_config(server, account, workdir)
    examples, phases, seed = CI_EXAMPLES, ALL_PHASES, SEED
    while True:
        data = _one_pass(
            server, account.token, workdir, seed=seed, examples=examples, phases=phases
        )
        run.passes += 1
        run.operations = max(run.operations, data["operations"]["tested"])
        run.cases += data["test_cases"]["generated"]
        for failure in data["failures"]:
            found = f"{failure['title']} ({failure['code']}): {', '.join(failure['operations'])}"
            if found not in run.failures:
                run.failures.append(found)
        run.errors += [json.dumps(e, default=str)[:2000] for e in data["errors"]]
        run.outputs.append(data["_output"])
        if run.cases >= cases:
            return run
        remaining = cases - run.cases
        examples = max(CI_EXAMPLES, math.ceil(remaining / max(run.operations, 1)))
        phases, seed = MORE_PHASES, seed + 1
