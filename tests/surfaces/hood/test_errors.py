"""Body quirks and the Hood error envelope: double-encoded bodies, bad JSON, media types,
sizes, nesting, NUL bytes, and trace ids."""

from __future__ import annotations

import json
from typing import Any

import orjson

from harness import World
from surfaces.hood.kit import (
    BODY_NOT_VALID,
    HOOD,
    PARTNERS,
    assert_error,
    create_partner,
    get_partner,
    json_headers,
    partner_body,
    total,
)


def nested(depth: int) -> Any:
    """`depth` nested arrays around a number."""
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


class TestDoubleEncodedBody:
    async def test_create_and_patch_accept_a_json_string_holding_the_object(
        self, world: World
    ) -> None:
        raw = orjson.dumps(json.dumps(partner_body(world.alice), indent=1))
        response = await world.client.post(PARTNERS, content=raw, headers=json_headers(world.alice))
        assert response.status_code == 201, response.text
        assert response.json()["name"] == "Hairdressing Claire"
        created = await create_partner(world, world.alice)
        raw = orjson.dumps('{\n "name": "Renamed",\n "status": "pending"\n}')
        response = await world.client.patch(
            f"{PARTNERS}/{created['id']}", content=raw, headers=json_headers(world.alice)
        )
        assert response.status_code == 204, response.text
        got = await get_partner(world, world.alice, created["id"])
        assert (got["name"], got["status"]) == ("Renamed", "pending")

    async def test_string_holding_broken_json_or_an_array_refused(self, world: World) -> None:
        raw = orjson.dumps('{\n "name": "x",\n "status": }')
        response = await world.client.post(PARTNERS, content=raw, headers=json_headers(world.alice))
        body = assert_error(response, 400, BODY_NOT_VALID, "line 3", "column")
        assert body["message"].startswith(BODY_NOT_VALID)
        raw = orjson.dumps(json.dumps([partner_body(world.alice)]))
        response = await world.client.post(PARTNERS, content=raw, headers=json_headers(world.alice))
        assert_error(response, 400, BODY_NOT_VALID)
        assert await total(world, world.alice) == 0

    async def test_string_holding_deep_nesting_or_nul_byte_refused(self, world: World) -> None:
        body = partner_body(world.alice, extra=nested(40))
        raw = orjson.dumps(json.dumps(body))
        response = await world.client.post(PARTNERS, content=raw, headers=json_headers(world.alice))
        assert_error(response, 400, "32")
        assert await total(world, world.alice) == 0
        raw = orjson.dumps(json.dumps(partner_body(world.alice, description="a\u0000b")))
        response = await world.client.post(PARTNERS, content=raw, headers=json_headers(world.alice))
        assert_error(response, 400, "description", "NUL")


class TestInvalidBody:
    async def test_invalid_json_gives_location(self, world: World) -> None:
        raw = b'{\n  "name": "x",\n  "status" "active"\n}'
        response = await world.client.post(PARTNERS, content=raw, headers=json_headers(world.alice))
        body = assert_error(response, 400, "line 3", "column")
        assert body["message"].startswith(BODY_NOT_VALID)
        assert body["title"] == "Bad request."
        raw = b'{"name": "\xff\xfe"}'
        response = await world.client.post(PARTNERS, content=raw, headers=json_headers(world.alice))
        assert_error(response, 400, BODY_NOT_VALID)

    async def test_empty_array_number_and_null_bodies_refused(self, world: World) -> None:
        response = await world.client.post(PARTNERS, content=b"", headers=json_headers(world.alice))
        assert_error(response, 400, BODY_NOT_VALID)
        for raw in (b"[]", b"[{}]", b"42", b"null", b"true"):
            response = await world.client.post(
                PARTNERS, content=raw, headers=json_headers(world.alice)
            )
            assert_error(response, 400, BODY_NOT_VALID)
        created = await create_partner(world, world.alice)
        for raw in (b"[]", b"7"):
            response = await world.client.patch(
                f"{PARTNERS}/{created['id']}", content=raw, headers=json_headers(world.alice)
            )
            assert_error(response, 400, BODY_NOT_VALID)
        assert await total(world, world.alice) == 1


class TestMediaType:
    async def test_wrong_or_missing_content_type_is_415(self, world: World) -> None:
        raw = orjson.dumps(partner_body(world.alice))
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
            response = await world.client.post(
                PARTNERS, content=raw, headers=world.alice.headers(**{"Content-Type": content_type})
            )
            assert_error(response, 415, "Content-Type")
        assert await total(world, world.alice) == 0
        response = await world.client.post(
            PARTNERS, content=orjson.dumps(partner_body(world.alice)), headers=world.alice.headers()
        )
        assert_error(response, 415)
        created = await create_partner(world, world.alice)
        response = await world.client.patch(
            f"{PARTNERS}/{created['id']}",
            content=b'{"name": "x"}',
            headers=world.alice.headers(**{"Content-Type": "text/plain"}),
        )
        assert_error(response, 415)
        assert (await get_partner(world, world.alice, created["id"]))["name"] == created["name"]

    async def test_json_with_charset_is_accepted(self, world: World) -> None:
        response = await world.client.post(
            PARTNERS,
            content=orjson.dumps(partner_body(world.alice)),
            headers=world.alice.headers(**{"Content-Type": "application/json; charset=utf-8"}),
        )
        assert response.status_code == 201, response.text


class TestSizeAndShape:
    async def test_body_over_one_mebibyte_is_413(self, world: World) -> None:
        body = partner_body(world.alice, description="d" * (1 << 20))
        response = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        assert_error(response, 413)
        assert await total(world, world.alice) == 0
        chunk = b" " * 65536

        async def stream() -> Any:
            yield b'{"name": "x",'
            for _ in range(17):
                yield chunk
            yield b"}"

        response = await world.client.post(
            PARTNERS, content=stream(), headers=json_headers(world.alice)
        )
        assert "content-length" not in response.request.headers
        assert_error(response, 413)

    async def test_nesting_deeper_than_32_refused_within_the_limit_accepted(
        self, world: World
    ) -> None:
        body = partner_body(world.alice, extra=nested(40))
        response = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        assert_error(response, 400, "32")
        assert await total(world, world.alice) == 0
        # The object itself plus 30 arrays: 31 levels. Unknown fields are dropped.
        body = partner_body(world.alice, extra=nested(30))
        response = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        assert response.status_code == 201, response.text
        assert "extra" not in response.json()

    async def test_nul_byte_in_a_string_or_key_refused(self, world: World) -> None:
        response = await world.client.post(
            PARTNERS, json=partner_body(world.alice, name="a\u0000b"), headers=world.alice.headers()
        )
        assert_error(response, 400, "name", "NUL")
        contacts = [{"type": "sip", "value": "x\u0000"}]
        response = await world.client.post(
            PARTNERS,
            json=partner_body(world.alice, contacts=contacts),
            headers=world.alice.headers(),
        )
        assert_error(response, 400, "contacts.0.value")
        assert await total(world, world.alice) == 0
        body = {**partner_body(world.alice), "bad\u0000key": 1}
        response = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        assert_error(response, 400, "NUL")

    async def test_unknown_fields_are_ignored(self, world: World) -> None:
        body = partner_body(world.alice, colour="blue", id="1", system=1, archived=1)
        response = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        assert response.status_code == 201, response.text
        created = response.json()
        assert "colour" not in created
        assert created["id"] != "1"
        assert (created["system"], created["archived"]) == (0, 0)


class TestEnvelope:
    async def test_trace_id_is_the_request_id(self, world: World) -> None:
        response = await world.client.get(f"{PARTNERS}/abc", headers=world.alice.headers())
        body = assert_error(response, 400)
        assert len(body["trace_id"]) == 36
        response = await world.client.get(
            f"{PARTNERS}/abc", headers=world.alice.headers(**{"X-Request-Id": "req-42.a:b"})
        )
        assert assert_error(response, 400)["trace_id"] == "req-42.a:b"
        response = await world.client.get(
            f"{PARTNERS}/abc", headers=world.alice.headers(**{"X-Request-Id": "a b<script>"})
        )
        trace_id = assert_error(response, 400)["trace_id"]
        assert trace_id != "a b<script>"
        assert len(trace_id) == 36
        response = await world.client.get(PARTNERS, headers=world.alice.headers())
        assert response.status_code == 200
        assert response.headers["x-request-id"]

    async def test_unknown_route_and_wrong_method_use_the_hood_envelope(self, world: World) -> None:
        response = await world.client.get(f"{HOOD}/no-such-thing", headers=world.alice.headers())
        assert_error(response, 404)
        response = await world.client.delete(PARTNERS, headers=world.alice.headers())
        assert_error(response, 405)
