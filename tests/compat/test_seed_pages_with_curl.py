"""The seed pages' curl examples, run through the real `curl` against a real server.

The commands are copied character for character from the archived Ocamba pages
(seeds/000_bc043071b9752909.txt and seeds/001_5df822b139ba0835.txt); only the host, the token
and the ids are filled in, and output options are appended so the test can read the answer.
They run through `bash -c`, as a user pasting them into a shell would.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
from compat_servers import Server

# Seed 000, "Update Partner": the JSON object sent as a JSON string, missing its final `}`.
SEED_000_CURL = r"""curl -X PATCH \
"https://api.ocamba.com/v1/hood/partners/{id}" \
-H "Authorization: Bearer {TOKEN}" \
-H "Content-Type: application/json" \
-d '"{\n \"manager_ids\": [\n \"1000220\"\n ],\n \"name\": \"test \",\n \"description\": \"test description\",\n \"status\": \"inactive\",\n \"payment_terms\": {\n \"payment_frequency\": \"quarterly\",\n \"payment_method\": \"card\",\n \"net_terms\": \"net90\",\n \"currency_code\": \"eur\"\n },\n \"billing_address\": {\n \"street\": \"dddddd\",\n \"city\": \"test test\",\n \"post_code\": \"56-a\",\n \"country\": \"RS\"\n },\n \"contact\": {\n \"email\": \"fIS0C1guzHZ6jxidFyOXbFh47nYMzS3ZhUCvKCpwvfuY3s1G9ofAD8sJyjzdWG9J024HroFNBRDg7LNmHiycjBgeUAJ8S13Crgs@fafa.com\",\n \"mobile\": \"+785596522\",\n \"phone\": \"+1235165336\",\n \"sip\": \"5259oskZYi9sw8\",\n \"skype\": \"dfa223ghjk\",\n \"website\": \"fsf.com\"\n}"'"""  # noqa: E501

# Seed 001, "Update Partner contact": the page's e-mail protection replaced the address with
# "[email protected]" (with a no-break space, U+00A0, as the archived page has it).
PROTECTED = "[email\u00a0protected]"
SEED_001_CURL = """curl -X PATCH \\
 "https://api.ocamba.com/v1/hood/partners/{id}/contacts/{contact_id}" \\
  -H "Authorization: Bearer {TOKEN}" \\
  -H "Content-Type: application/json" \\
  -d '{
  "value": "[email\u00a0protected]",
  "type": "email"
}'"""

# The seed's 99-character local part (over RFC 5321's 64) must be accepted as sent.
LONG_EMAIL = (
    "fIS0C1guzHZ6jxidFyOXbFh47nYMzS3ZhUCvKCpwvfuY3s1G9ofAD8sJyjzdWG9J024HroFNBRDg7LNmHiycjBgeUAJ8S13Crgs"
    "@fafa.com"
)
SEED_000_SENT = {
    "name": "test ",
    "description": "test description",
    "status": "inactive",
    "payment_terms": {
        "payment_frequency": "quarterly",
        "payment_method": "card",
        "net_terms": "net90",
        "currency_code": "eur",
    },
    "billing_address": {
        "street": "dddddd",
        "city": "test test",
        "post_code": "56-a",
        "country": "RS",
    },
    "contact": {
        "email": LONG_EMAIL,
        "mobile": "+785596522",
        "phone": "+1235165336",
        "sip": "5259oskZYi9sw8",
        "skype": "dfa223ghjk",
        "website": "fsf.com",
    },
}


def fill(command: str, server: Server, **ids: str) -> str:
    command = command.replace("https://api.ocamba.com", server.base_url)
    command = command.replace("{TOKEN}", server.token)
    for name, value in ids.items():
        command = command.replace("{" + name + "}", value)
    return command


def run_curl(command: str, tmp_path: Path) -> tuple[int, bytes]:
    """Run the command as a shell would, appending only options that capture the answer."""
    body = tmp_path / "body"
    capture = f" -sS -o {shlex.quote(str(body))} -w '%{{http_code}}'"
    done = subprocess.run(
        ["bash", "-c", command + capture], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout), body.read_bytes() if body.exists() else b""


@pytest.fixture(scope="module")
def member_id(sqlite_server: Server) -> str:
    return sqlite_server.create_member("default", "Seed Manager", "seed.manager@example.com")


@pytest.fixture
def partner(sqlite_server: Server, member_id: str) -> dict[str, Any]:
    body = {
        "name": "Hairdressing Claire",
        "type": ["publisher"],
        "status": "active",
        "manager_ids": [member_id],
        "contacts": [
            {"type": "email", "value": "claire@hairdressing.example.com"},
            {"type": "mobile", "value": "+38160333444"},
        ],
    }
    with sqlite_server.client(sqlite_server.token) as client:
        created = client.post("/v1/hood/partners", json=body)
    assert created.status_code == 201, created.text
    partner: dict[str, Any] = created.json()
    return partner


def get_partner(server: Server, partner_id: str) -> tuple[dict[str, Any], str]:
    with server.client(server.token) as client:
        got = client.get(f"/v1/hood/partners/{partner_id}")
    assert got.status_code == 200, got.text
    item: dict[str, Any] = got.json()["items"][0]
    return item, got.headers["etag"]


def hood_error(status: int, raw: bytes, expected: int) -> dict[str, Any]:
    assert status == expected, raw
    body: dict[str, Any] = json.loads(raw)
    assert body["code"] == expected
    assert re.fullmatch(r"[0-9a-f-]{36}", body["trace_id"])
    return body


class TestSeed000UpdatePartner:
    def test_as_printed_is_invalid_json_with_its_location(
        self, sqlite_server: Server, partner: dict[str, Any], member_id: str, tmp_path: Path
    ) -> None:
        before, etag = get_partner(sqlite_server, partner["id"])
        command = fill(SEED_000_CURL, sqlite_server, id=partner["id"]).replace("1000220", member_id)
        status, raw = run_curl(command, tmp_path)
        body = hood_error(status, raw, 400)
        assert body["message"].startswith("The request body is not valid."), body
        assert re.search(r"line \d+ column \d+", body["message"]), body
        after, etag_after = get_partner(sqlite_server, partner["id"])
        assert (after, etag_after) == (before, etag)

    def test_mended_updates_every_sent_field(
        self, sqlite_server: Server, partner: dict[str, Any], member_id: str, tmp_path: Path
    ) -> None:
        printed = fill(SEED_000_CURL, sqlite_server, id=partner["id"]).replace("1000220", member_id)
        assert printed.endswith("\\n}\"'")
        mended = printed[: -len("\"'")] + "\\n}\"'"
        status, raw = run_curl(mended, tmp_path)
        assert (status, raw) == (204, b"")
        item, _ = get_partner(sqlite_server, partner["id"])
        assert item["manager_ids"] == [member_id]
        for key in ("name", "description", "status", "payment_terms", "billing_address"):
            assert item[key] == SEED_000_SENT[key], key
        assert item["contact"] == SEED_000_SENT["contact"]
        # The legacy object updated the existing email and mobile and added the other types.
        values = {(c["type"], c["value"]) for c in item["contacts"]}
        assert values == set(SEED_000_SENT["contact"].items())


class TestSeed001UpdatePartnerContact:
    def _contact_id(self, partner: dict[str, Any]) -> str:
        (email,) = [c for c in partner["contacts"] if c["type"] == "email"]
        contact_id: str = email["id"]
        return contact_id

    def test_as_printed_names_value(
        self, sqlite_server: Server, partner: dict[str, Any], tmp_path: Path
    ) -> None:
        contact_id = self._contact_id(partner)
        command = fill(SEED_001_CURL, sqlite_server, id=partner["id"], contact_id=contact_id)
        status, raw = run_curl(command, tmp_path)
        body = hood_error(status, raw, 400)
        assert "value" in body["message"], body
        item, _ = get_partner(sqlite_server, partner["id"])
        assert item["contacts"] == partner["contacts"]

    def test_with_a_real_address_reads_back(
        self, sqlite_server: Server, partner: dict[str, Any], tmp_path: Path
    ) -> None:
        contact_id = self._contact_id(partner)
        command = fill(SEED_001_CURL, sqlite_server, id=partner["id"], contact_id=contact_id)
        command = command.replace(PROTECTED, "claire.new@example.com")
        status, raw = run_curl(command, tmp_path)
        assert (status, raw) == (204, b"")
        with sqlite_server.client(sqlite_server.token) as client:
            got = client.get(f"/v1/hood/partners/{partner['id']}/contacts/{contact_id}")
        assert got.status_code == 200, got.text
        assert got.json() == {
            "total": 1,
            "items": [{"id": contact_id, "type": "email", "value": "claire.new@example.com"}],
        }
