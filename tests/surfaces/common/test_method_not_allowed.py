"""405 answers name every method the path serves (RFC 9110 §15.5.6), in the surface's envelope."""

from __future__ import annotations

import pytest

from harness import World

CASES = [
    ("/v1/hood/partners", "GET, POST", "code"),
    (
        "/v1/hood/partners/1000000/contacts/cbc810b4-b0a2-40be-9b16-7a099161dabc",
        "DELETE, GET, PATCH",
        "code",
    ),
    ("/core/v2/partners/9c4bedee-99a3-41c9-a2be-8855b141f9e5", "DELETE, GET, PATCH, PUT", "errors"),
    ("/crm/v3/properties/partner_clients", "GET, POST", "category"),
]


@pytest.mark.parametrize(("path", "allow", "envelope_key"), CASES)
async def test_allow_lists_every_method_of_the_path(
    world: World, path: str, allow: str, envelope_key: str
) -> None:
    response = await world.client.request("OPTIONS", path, headers=world.alice.headers())
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert envelope_key in response.json()
