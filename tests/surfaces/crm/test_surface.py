"""CRM-wide behaviour: rate limits and headers, error envelope, OpenAPI."""

from __future__ import annotations

from crm.kit import OBJECTS, PROPERTIES, assert_crm_error, set_crm_limits
from harness import World


class TestRateLimits:
    async def test_headers_under_the_limit(self, world: World) -> None:
        response = await world.client.get(OBJECTS, headers=world.alice.headers())
        assert response.status_code == 200
        assert response.headers["x-hubspot-ratelimit-max"] == "190"
        assert response.headers["x-hubspot-ratelimit-remaining"] == "189"
        assert response.headers["x-hubspot-ratelimit-interval-milliseconds"] == "10000"
        assert response.headers["x-hubspot-ratelimit-daily"] == "650000"
        assert response.headers["x-hubspot-ratelimit-daily-remaining"] == "649999"

    async def test_over_the_ten_second_budget_is_429(self, world: World) -> None:
        await set_crm_limits(world, world.alice, crm=[[3, 10]])
        for remaining in ("2", "1", "0"):
            ok = await world.client.get(PROPERTIES, headers=world.alice.headers())
            assert ok.status_code == 200
            assert ok.headers["x-hubspot-ratelimit-remaining"] == remaining
        refused = await world.client.get(OBJECTS, headers=world.alice.headers())
        assert refused.status_code == 429, refused.text
        body = refused.json()
        assert body == {
            "status": "error",
            "message": body["message"],
            "errorType": "RATE_LIMIT",
            "correlationId": refused.headers["x-request-id"],
            "policyName": "TEN_SECONDLY_ROLLING",
            "category": "RATE_LIMITS",
        }
        assert 1 <= int(refused.headers["retry-after"]) <= 10
        assert refused.headers["x-hubspot-correlation-id"] == body["correlationId"]
        # Another account's budget is untouched.
        other = await world.client.get(OBJECTS, headers=world.bob.headers())
        assert other.status_code == 200

    async def test_daily_budget_is_429_daily(self, world: World) -> None:
        await set_crm_limits(world, world.alice, crm=[[100, 10], [2, 86400]])
        for _ in range(2):
            ok = await world.client.get(OBJECTS, headers=world.alice.headers())
            assert ok.headers["x-hubspot-ratelimit-daily"] == "2"
        refused = await world.client.get(OBJECTS, headers=world.alice.headers())
        assert refused.status_code == 429
        assert refused.json()["policyName"] == "DAILY"
        assert refused.json()["message"] == "You have reached your daily limit."

    async def test_search_has_its_own_per_second_budget(self, world: World) -> None:
        await set_crm_limits(world, world.alice, crm_search=[[1, 1]])
        first = await world.client.post(f"{OBJECTS}/search", json={}, headers=world.alice.headers())
        assert first.status_code == 200
        second = await world.client.post(
            f"{OBJECTS}/search", json={}, headers=world.alice.headers()
        )
        assert second.status_code == 429 and second.json()["policyName"] == "SECONDLY"
        assert (await world.client.get(OBJECTS, headers=world.alice.headers())).status_code == 200


class TestErrors:
    async def test_correlation_id_echoes_x_request_id(self, world: World) -> None:
        response = await world.client.get(
            f"{OBJECTS}/12345", headers=world.alice.headers(**{"X-Request-Id": "req-42"})
        )
        body = assert_crm_error(response, 404, "OBJECT_NOT_FOUND")
        assert body["correlationId"] == "req-42"

    async def test_invalid_token_and_unknown_route(self, world: World) -> None:
        response = await world.client.get(OBJECTS, headers={"Authorization": "Bearer nope"})
        assert_crm_error(response, 401, "INVALID_AUTHENTICATION")
        response = await world.client.get("/crm/v3/objects/contacts", headers=world.alice.headers())
        assert_crm_error(response, 404, "OBJECT_NOT_FOUND")

    async def test_wrong_content_type_and_non_object_body(self, world: World) -> None:
        response = await world.client.post(
            OBJECTS,
            content=b'{"properties": {}}',
            headers=world.alice.headers(**{"Content-Type": "text/plain"}),
        )
        assert_crm_error(response, 415, "VALIDATION_ERROR")
        response = await world.client.post(OBJECTS, json=[1], headers=world.alice.headers())
        assert_crm_error(response, 400, "VALIDATION_ERROR")
        response = await world.client.post(
            OBJECTS, json={"properties": {"a": "x\u0000"}}, headers=world.alice.headers()
        )
        assert_crm_error(response, 400, "VALIDATION_ERROR")


class TestOpenApi:
    async def test_every_crm_route_has_operation_id_and_errors(self, world: World) -> None:
        spec = (await world.client.get("/openapi.json")).json()
        crm = {p: ops for p, ops in spec["paths"].items() if p.startswith("/crm/v3")}
        assert "/crm/v3/objects/partner_clients/{object_id}/history" in crm
        count = 0
        for ops in crm.values():
            for op in ops.values():
                count += 1
                assert op["operationId"].startswith("crm_")
                assert "401" in op["responses"] and "429" in op["responses"]
        assert count == 23
        assert "CrmPropertyCreate" in spec["components"]["schemas"]
