"""Injected faults: the status in each surface's own envelope (HubSpot's exact 429 with
Retry-After on CRM), `times` counted down, delays that let the request through, probability 0,
and never on the test-control routes themselves."""

from __future__ import annotations

from typing import Any

from harness import World
from testing.kit import TEST

FAULTS = f"{TEST}/faults"
HOOD = "/v1/hood/partners"
CORE = "/core/v2/partners"
CRM = "/crm/v3/objects/partner_clients"


async def _fault(world: World, admin: dict[str, str], **body: Any) -> dict[str, Any]:
    answer = await world.client.post(FAULTS, json=body, headers=admin)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


class TestEnvelopes:
    async def test_crm_429_is_hubspots_rate_limit(
        self, world: World, admin: dict[str, str]
    ) -> None:
        await _fault(world, admin, surface="crm", method="GET", path=f"{CRM}*", status=429)
        answer = await world.client.get(CRM, headers=world.alice.headers())
        assert answer.status_code == 429
        assert answer.headers["retry-after"] == "1"
        rid = answer.headers["x-request-id"]
        assert answer.json() == {
            "status": "error",
            "message": "You have reached your secondly limit.",
            "errorType": "RATE_LIMIT",
            "correlationId": rid,
            "policyName": "TEN_SECONDLY_ROLLING",
            "category": "RATE_LIMITS",
        }
        assert answer.headers["x-hubspot-correlation-id"] == rid

    async def test_hood_and_core_429_are_their_own(
        self, world: World, admin: dict[str, str]
    ) -> None:
        await _fault(world, admin, surface="hood", status=429, retry_after=7)
        await _fault(world, admin, surface="core", status=429, retry_after=3)
        hood = await world.client.get(HOOD, headers=world.alice.headers())
        core = await world.client.get(CORE, headers=world.alice.headers())
        assert (hood.status_code, hood.headers["retry-after"]) == (429, "7")
        assert hood.json() == {
            "code": 429,
            "title": "Too many requests.",
            "message": "Rate limit exceeded (test-control-fault). Retry after 7 s.",
            "trace_id": hood.headers["x-request-id"],
        }
        assert (core.status_code, core.headers["retry-after"]) == (429, "3")
        message = "Rate limit exceeded (test-control-fault). Retry after 3 s."
        assert core.json() == {
            "errors": [{"field": None, "message": message, "reference_sid": None}],
            "message": "Too Many Requests",
        }

    async def test_server_errors(self, world: World, admin: dict[str, str]) -> None:
        for status in (500, 502, 503, 504):
            await world.client.delete(FAULTS, headers=admin)
            await _fault(world, admin, status=status)
            hood = await world.client.get(HOOD, headers=world.alice.headers())
            core = await world.client.get(CORE, headers=world.alice.headers())
            crm = await world.client.get(CRM, headers=world.alice.headers())
            assert (hood.status_code, core.status_code, crm.status_code) == (status,) * 3
            assert hood.json()["code"] == status and "trace_id" in hood.json()
            assert hood.json()["title"] != "Error."  # a title of Hood's own for each status
            assert core.json()["errors"][0]["field"] is None
            assert core.json()["message"] not in ("Error", "")
            category = "INTERNAL_ERROR" if status == 500 else "SERVICE_UNAVAILABLE"
            assert crm.json()["category"] == category
            assert crm.json()["correlationId"] == crm.headers["x-request-id"]

    async def test_client_errors(self, world: World, admin: dict[str, str]) -> None:
        categories = {
            400: "VALIDATION_ERROR",
            401: "INVALID_AUTHENTICATION",
            403: "MISSING_SCOPES",
            404: "OBJECT_NOT_FOUND",
            409: "CONFLICT",
        }
        for status, crm_category in categories.items():
            await world.client.delete(FAULTS, headers=admin)
            await _fault(world, admin, status=status)
            hood = await world.client.get(HOOD, headers=world.alice.headers())
            core = await world.client.get(CORE, headers=world.alice.headers())
            crm = await world.client.get(CRM, headers=world.alice.headers())
            assert (hood.status_code, core.status_code, crm.status_code) == (status,) * 3
            assert hood.json()["code"] == status
            assert set(core.json()) == {"errors", "message"}
            assert crm.json()["category"] == crm_category


class TestMatching:
    async def test_times_counts_down_then_requests_pass(
        self, world: World, admin: dict[str, str]
    ) -> None:
        fault = await _fault(
            world, admin, surface="hood", method="GET", path=HOOD, status=503, times=2
        )
        assert fault["remaining"] == 2
        statuses = [
            (await world.client.get(HOOD, headers=world.alice.headers())).status_code
            for _ in range(3)
        ]
        assert statuses == [503, 503, 200]
        listed = (await world.client.get(FAULTS, headers=admin)).json()["results"]
        assert [(f["id"], f["remaining"], f["fired"]) for f in listed] == [(fault["id"], 0, 2)]
        journal = (await world.client.get(f"{TEST}/journal", headers=admin)).json()["results"]
        faulted = [(e["path"], e["status"]) for e in journal if e["fault_id"] == fault["id"]]
        assert faulted == [(HOOD, 503), (HOOD, 503)]

    async def test_only_matching_requests(self, world: World, admin: dict[str, str]) -> None:
        await _fault(world, admin, surface="crm", method="POST", path=f"{CRM}/*/x", status=409)
        alice = world.alice.headers()
        assert (await world.client.get(CRM, headers=alice)).status_code == 200
        assert (await world.client.post(f"{CRM}/search", json={}, headers=alice)).status_code != 409
        assert (await world.client.post(f"{CRM}/a/b/x", json={}, headers=alice)).status_code == 409
        assert (await world.client.get(HOOD, headers=alice)).status_code == 200

    async def test_a_delay_alone_lets_the_request_through_and_is_journaled(
        self, world: World, admin: dict[str, str]
    ) -> None:
        fault = await _fault(world, admin, surface="hood", delay_ms=20, times=1)
        answer = await world.client.get(HOOD, headers=world.alice.headers())
        assert answer.status_code == 200
        journal = (await world.client.get(f"{TEST}/journal", headers=admin)).json()["results"]
        faulted = [e for e in journal if e["fault_id"] == fault["id"]]
        assert [(e["path"], e["status"]) for e in faulted] == [(HOOD, 200)]

    async def test_probability_zero_never_fires(self, world: World, admin: dict[str, str]) -> None:
        await _fault(world, admin, status=500, probability=0)
        for _ in range(20):
            assert (await world.client.get(HOOD, headers=world.alice.headers())).status_code == 200
        assert (await world.client.get(FAULTS, headers=admin)).json()["results"][0]["fired"] == 0

    async def test_test_control_routes_are_never_faulted(
        self, world: World, admin: dict[str, str]
    ) -> None:
        await _fault(world, admin, status=503)
        await _fault(world, admin, path="/_partnerhub/*", status=500)
        assert (await world.client.get(FAULTS, headers=admin)).status_code == 200
        assert (await world.client.get("/healthz")).status_code == 503  # "other" is faulted


class TestManaging:
    async def test_delete_one_and_clear(self, world: World, admin: dict[str, str]) -> None:
        first = await _fault(world, admin, status=500)
        await _fault(world, admin, status=503)
        assert (
            await world.client.delete(f"{FAULTS}/{first['id']}", headers=admin)
        ).status_code == 204
        assert (
            await world.client.delete(f"{FAULTS}/{first['id']}", headers=admin)
        ).status_code == 404
        assert (await world.client.get(HOOD, headers=world.alice.headers())).status_code == 503
        assert (await world.client.delete(FAULTS, headers=admin)).status_code == 204
        assert (await world.client.get(FAULTS, headers=admin)).json() == {"results": []}
        assert (await world.client.get(HOOD, headers=world.alice.headers())).status_code == 200
        huge = await world.client.delete(f"{FAULTS}/{'9' * 30}", headers=admin)
        assert huge.status_code == 422

    async def test_bad_faults_name_the_field_and_change_nothing(
        self, world: World, admin: dict[str, str]
    ) -> None:
        cases: list[tuple[dict[str, Any], str | None]] = [
            ({"status": 418}, "status"),
            ({"status": "429"}, "status"),
            ({"surface": "test", "status": 500}, "surface"),
            ({"method": "FETCH", "status": 500}, "method"),
            ({"path": "no-slash", "status": 500}, "path"),
            ({"path": "/" + "x" * 1000, "status": 500}, "path"),  # one past its column
            ({"delay_ms": -1}, "delay_ms"),
            ({"status": 500, "times": 0}, "times"),
            ({"status": 500, "probability": 1.5}, "probability"),
            ({"status": 429, "retry_after": True}, "retry_after"),
            ({"status": 500, "colour": "red"}, "colour"),
            ({}, None),
        ]
        for body, field in cases:
            answer = await world.client.post(FAULTS, json=body, headers=admin)
            assert answer.status_code == 422, (body, answer.text)
            assert answer.json()["errors"][0]["field"] == field, body
        assert (await world.client.get(FAULTS, headers=admin)).json() == {"results": []}
