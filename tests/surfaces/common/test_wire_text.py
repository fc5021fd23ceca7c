"""Text from the wire that Python would accept but the contract does not: Unicode digits
("²".isdigit() is True, int("٣") is 3) and NUL bytes (PostgreSQL text cannot hold them). Each
is the surface's 4xx envelope on both backends, never a 500, and changes nothing."""

from __future__ import annotations

import pytest

from harness import World
from surfaces.core import kit as core
from surfaces.crm import kit as crm
from surfaces.hood import kit as hood

SUPERSCRIPT_TWO = "\u00b2"
ARABIC_THREE = "\u0663"


@pytest.mark.parametrize("digit", [SUPERSCRIPT_TWO, ARABIC_THREE])
@pytest.mark.parametrize(
    ("path", "param"),
    [
        (crm.OBJECTS, "limit"),
        (crm.OBJECTS, "after"),
        (core.PARTNERS, "limit"),
        (core.PARTNERS, "offset"),
        (hood.PARTNERS, "page"),
    ],
)
async def test_non_ascii_digits_in_a_query_number_are_refused(
    world: World, path: str, param: str, digit: str
) -> None:
    value = f"1,{digit}" if param == "page" else digit
    response = await world.client.get(path, params={param: value}, headers=world.alice.headers())
    assert 400 <= response.status_code < 500, response.text
    assert param in response.text


@pytest.mark.parametrize("digit", [SUPERSCRIPT_TWO, ARABIC_THREE])
@pytest.mark.parametrize("field", ["limit", "after"])
async def test_non_ascii_digits_in_crm_search_numbers_are_refused(
    world: World, field: str, digit: str
) -> None:
    response = await world.client.post(
        crm.OBJECTS + "/search", json={field: digit}, headers=world.alice.headers()
    )
    body = crm.assert_crm_error(response, 400, "VALIDATION_ERROR")
    assert field in body["message"]


@pytest.mark.parametrize("digit", [SUPERSCRIPT_TWO, ARABIC_THREE])
async def test_crm_search_query_of_a_unicode_digit_is_answered(world: World, digit: str) -> None:
    await crm.define_seed(world, world.alice)
    response = await world.client.post(
        crm.OBJECTS + "/search", json={"query": digit}, headers=world.alice.headers()
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("digit", [SUPERSCRIPT_TWO, ARABIC_THREE])
@pytest.mark.parametrize("prop", ["property_date", "property_number"])
async def test_non_ascii_digits_in_crm_property_values_are_refused(
    world: World, prop: str, digit: str
) -> None:
    await crm.define_seed(world, world.alice)
    await crm.define(
        world,
        world.alice,
        {"name": "when", "label": "When", "type": "datetime", "fieldType": "date"},
    )
    for name in (prop, "when"):
        response = await world.client.post(
            crm.OBJECTS, json={"properties": {name: digit * 3}}, headers=world.alice.headers()
        )
        crm.assert_crm_error(response, 400, "VALIDATION_ERROR")


@pytest.mark.parametrize(
    "sent",
    ["12345678901234567890123", "-0.000000000000000000001", "3.14159265358979323846"],
)
async def test_crm_numbers_are_kept_exactly_as_sent(world: World, sent: str) -> None:
    await crm.define_seed(world, world.alice)
    created = await crm.create(world, world.alice, property_number=sent)
    found = await crm.read(world, world.alice, created["id"], properties="property_number")
    assert found["properties"]["property_number"] == sent


@pytest.mark.parametrize(
    "sent",
    ["12345678901234567890123", "-0.000000000000000000001", "3.14159265358979323846", "1e400"],
)
async def test_crm_numbers_sent_as_json_numbers_are_kept_as_sent(world: World, sent: str) -> None:
    """The JSON number itself, not a string: orjson would give a float (rounded, or infinite)."""
    await crm.define_seed(world, world.alice)
    body = b'{"properties": {"property_number": ' + sent.encode() + b"}}"
    response = await world.client.post(
        crm.OBJECTS,
        content=body,
        headers={**world.alice.headers(), "Content-Type": "application/json"},
    )
    if sent == "1e400":  # beyond a double: refused as JSON (HubSpot parses it as a double too)
        assert response.status_code == 400, response.text
        return
    assert response.status_code == 201, response.text
    assert response.json()["properties"]["property_number"] == sent
    found = await crm.read(world, world.alice, response.json()["id"], properties="property_number")
    assert found["properties"]["property_number"] == sent


async def test_nul_in_a_crm_path_parameter(world: World) -> None:
    response = await world.client.get(crm.PROPERTIES + "/%00", headers=world.alice.headers())
    crm.assert_crm_error(response, 400, "VALIDATION_ERROR")


async def test_nul_in_a_core_filter(world: World) -> None:
    response = await world.client.get(
        core.PARTNERS, params={"filter": "name eq '\x00'"}, headers=world.alice.headers()
    )
    core.assert_error(response, 422, "filter")


async def test_nul_in_a_hood_path_and_query(world: World) -> None:
    for path, params in [(hood.PARTNERS + "/%00", {}), (hood.PARTNERS, {"search": "\x00"})]:
        response = await world.client.get(path, params=params, headers=world.alice.headers())
        assert 400 <= response.status_code < 500, response.text
        hood.assert_error(response, response.status_code)


async def test_nul_in_a_json_string(world: World) -> None:
    body = core.partner_body(name="a\x00b")
    response = await world.client.post(core.PARTNERS, json=body, headers=core.headers(world.alice))
    core.assert_error(response, 422)
