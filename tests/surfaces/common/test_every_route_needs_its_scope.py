"""Every authenticated route of every surface refuses a valid token that lacks its scope with 403
in the surface's envelope — checked over the app's own route table, so a new route cannot forget
it — and a missing token with 401."""

from __future__ import annotations

import re
import uuid

from harness import World, api_routes

SURFACES = ("/v1/hood", "/core/v2", "/crm/v3")
# Needs no bearer token: the login and password authenticate (Core OAuth password grant).
PUBLIC = {("POST", "/core/v2/oauth/token")}
# A scope that no route of this build accepts.
UNRELATED = ["oauth.create"]
# Fewer than the three surfaces' operations: the walk missed the route table.
MIN_ROUTES = 45


def _routes(world: World) -> list[tuple[str, str]]:
    found = [
        (method, route.path)
        for route in api_routes(world, SURFACES)
        for method in sorted(route.methods)
        if (method, route.path) not in PUBLIC
    ]
    assert len(found) >= MIN_ROUTES, found
    return found


def _concrete(path: str) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match[1]
        if name.endswith("_sid") or name == "contact_id":
            return str(uuid.uuid4())
        return "property_x" if "name" in name else "1000000"

    return re.sub(r"\{(\w+)(?::\w+)?\}", fill, path)


async def test_every_route_answers_403_without_its_scope(world: World) -> None:
    token = await world.token(world.alice, UNRELATED)
    wrong = {}
    for method, path in _routes(world):
        response = await world.client.request(
            method, _concrete(path), json={}, headers=world.alice.headers(token)
        )
        if response.status_code != 403:
            wrong[f"{method} {path}"] = response.status_code
    assert wrong == {}


async def test_every_route_answers_401_without_a_token(world: World) -> None:
    wrong = {}
    for method, path in _routes(world):
        response = await world.client.request(method, _concrete(path), json={})
        if response.status_code != 401:
            wrong[f"{method} {path}"] = response.status_code
    assert wrong == {}
