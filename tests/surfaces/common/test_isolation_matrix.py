"""Tenant isolation over the app's own route table: for two accounts (alice, bob) and a Core tree
(root → parent → child, root → sibling) every route with an id answers another side's id with
the surface's not-found answer and changes nothing; every list, search and batch route answers
none of the other side's objects. Routes are walked, not listed: a new route is exercised
automatically when it has an id or is a list, and fails here until it has a way to be
exercised otherwise (FOREIGN_REFERENCES) or a reason it needs none (NO_FOREIGN_REFERENCE).

Every object of a tenant carries the tenant's name ("alice", "bob") in a field its list shows,
so "no list holds the other side's objects" is "bob does not occur in what alice is answered".
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from harness import Tenant, World, api_routes, suite_settings
from partnerhub.config import Settings
from partnerhub.storage.repos.changes import STORED
from provider_servers import HttpStub, http_stub, twilio_routes

SURFACES = ("/v1/hood", "/core/v2", "/crm/v3")
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
HOOD_UNKNOWN = re.compile(r"Unknown \w+ id\.")
MIN_ROUTES = 70  # the three surfaces' operations (74 when written): fewer, the walk lost some
SID, SECRET = "AC" + "1" * 32, "t" * 32
TWILIO = {"account_sid": SID, "auth_token": SECRET, "default_phone_number": "+14155550100"}


@pytest.fixture
def settings(database_url: str) -> Iterator[Settings]:
    """The suite's settings, with Twilio answered by a local server (validate passes)."""
    with http_stub(twilio_routes(SID, SECRET)) as twilio:
        yield _settings(database_url, twilio)


def _settings(database_url: str, twilio: HttpStub) -> Settings:
    return suite_settings(database_url, provider_twilio_base_url=twilio.url)


# Not owned by an account: the same for every caller.
GLOBAL = {
    ("GET", "/v1/hood/providers"): "providers are built into partnerhub (code, not data)",
    ("GET", "/v1/hood/providers/{provider_id}"): "providers are built into partnerhub",
}
# Routes with no id parameter that are not lists and name no object of anyone in their body.
NO_FOREIGN_REFERENCE = {
    ("POST", "/core/v2/oauth/token"): "logins are global (the token endpoint precedes accounts)",
    ("POST", "/v1/hood/integrations"): "settings name no object; the provider id is global",
}
# What a list must be asked for to show the field that names the side.
LIST_QUERIES = {"/crm/v3/objects/partner_clients": {"properties": "code,alice_prop,bob_prop"}}
# Bodies that pass validation, so an id route's answer is about its id.
BODIES: dict[tuple[str, str], Any] = {
    ("PATCH", "/v1/hood/partners/{partner_id}"): {"description": "x"},
    ("POST", "/v1/hood/partners/{partner_id}/contacts"): {
        "type": "phone",
        "value": "+38160333444",
    },
    ("PATCH", "/v1/hood/partners/{partner_id}/contacts/{contact_id}"): {"value": "+38160333555"},
    ("PATCH", "/v1/hood/integrations/{integration_id}"): {"name": "x"},
    ("PATCH", "/v1/hood/deals/{deal_id}"): {"name": "x"},
    ("PATCH", "/v1/hood/campaigns/{campaign_id}"): {"name": "x"},
    ("POST", "/v1/hood/campaigns/{campaign_id}/pause"): {"reason": "x"},
    ("POST", "/v1/hood/campaigns/{campaign_id}/resume"): {"run_immediately": True},
    ("POST", "/v1/hood/campaigns/{campaign_id}/cancel"): {"reason": "x"},
    ("PATCH", "/core/v2/partners/{partner_sid}"): {"name": "x"},
    ("PATCH", "/crm/v3/objects/partner_clients/{object_id}"): {"properties": {"code": "x"}},
    ("PATCH", "/crm/v3/properties/partner_clients/groups/{group_name}"): {"label": "x"},
    ("PATCH", "/crm/v3/properties/partner_clients/{property_name}"): {"label": "x"},
}


@dataclass
class Side:
    """One tenant's objects, by the path parameter that names them."""

    tenant: Tenant
    name: str
    ids: dict[str, list[str]] = field(default_factory=dict)
    core_login: dict[str, str] = field(default_factory=dict)
    put_body: dict[str, Any] = field(default_factory=dict)


def _routes(world: World) -> list[tuple[str, str]]:
    found = [
        (method, PARAM.sub(r"{\1}", route.path))  # without converters
        for route in api_routes(world, SURFACES)
        for method in sorted(route.methods)
    ]
    assert len(found) >= MIN_ROUTES, found
    return found


async def _ok(answer: Awaitable[httpx.Response]) -> Any:
    response = await answer
    assert response.status_code < 300, (response.request.url, response.text)
    return response.json() if response.content else None


async def _side(world: World, tenant: Tenant, name: str) -> Side:
    side = Side(tenant, name)
    c, h = world.client, tenant.headers()
    partner = await _ok(
        c.post(
            "/v1/hood/partners",
            headers=h,
            json={
                "manager_ids": [tenant.member_ids[0]],
                "name": f"{name} partner",
                "type": ["publisher"],
                "status": "active",
                "contacts": [{"type": "email", "value": f"{name}@example.com"}],
            },
        )
    )
    pid = str(partner["id"])
    contact = await _ok(
        c.post(
            f"/v1/hood/partners/{pid}/contacts",
            headers=h,
            json={"type": "email", "value": f"{name}.contact@example.com"},
        )
    )
    body = {"name": f"{name} sms", "provider_id": "1000", "settings": TWILIO}
    integration = await _ok(c.post("/v1/hood/integrations", headers=h, json=body))
    body = {"name": f"{name} deal", "partner_id": pid, "base_price": 1, "clickthrough": False}
    deal = await _ok(c.post("/v1/hood/deals", headers=h, json=body))
    body = {"name": f"{name} campaign", "deal_id": str(deal["id"]), "is_draft": True}
    campaign = await _ok(c.post("/v1/hood/campaigns", headers=h, json=body))
    side.ids.update(
        partner_id=[pid],
        contact_id=[str(contact["id"])],
        member_id=list(tenant.member_ids),
        integration_id=[str(integration["id"])],
        deal_id=[str(deal["id"])],
        campaign_id=[str(campaign["id"])],
    )
    # Core: root → parent → child, root → sibling.
    sids: dict[str, str] = {}
    for role, parent in (("parent", None), ("child", "parent"), ("sibling", None)):
        login = f"{name}_{role}_{uuid.uuid4().hex[:6]}"
        body = {"login": login, "password": "sample_password", "name": f"{name} {role}"}
        headers = h
        if parent:
            headers = {"Authorization": f"Bearer {await _core_token(world, side, parent)}"}
        created = await _ok(c.post("/core/v2/partners", headers=headers, json=body))
        sids[role], side.core_login[role] = created["partner_sid"], login
    listed = await _ok(c.get("/core/v2/partners", headers=h))
    root = [p["partner_sid"] for p in listed["items"] if p["parent_sid"] is None]
    side.ids["partner_sid"] = [*root, *sids.values()]
    side.ids.update({f"core_{role}": [sid] for role, sid in sids.items()})
    # CRM: a group, two properties (one unique, same name on both sides), a live object and an
    # archived one.
    props = "/crm/v3/properties/partner_clients"
    group = f"{name}_group"
    await _ok(c.post(f"{props}/groups", headers=h, json={"name": group, "label": group}))
    for prop, extra in ((f"{name}_prop", {"groupName": group}), ("code", {"hasUniqueValue": True})):
        body = {"name": prop, "label": prop, "type": "string", "fieldType": "text", **extra}
        await _ok(c.post(props, headers=h, json=body))
    objects = []
    for n in range(3):
        body = {"properties": {f"{name}_prop": f"{name} value", "code": f"{name}-code-{n}"}}
        objects.append(
            str((await _ok(c.post("/crm/v3/objects/partner_clients", headers=h, json=body)))["id"])
        )
    await _ok(c.delete(f"/crm/v3/objects/partner_clients/{objects[1]}", headers=h))
    side.ids.update(object_id=objects, group_name=[group], property_name=[f"{name}_prop"])
    # A whole partner for PUT: the sibling as its parent sees it.
    side.put_body = await _ok(c.get(f"/core/v2/partners/{sids['sibling']}", headers=h))
    side.ids["core_put"] = [
        {
            k: v
            for k, v in (
                await _ok(c.get(f"/core/v2/partners/{sids['sibling']}", headers=h))
            ).items()
        }
    ]  # type: ignore[list-item]
    return side


async def _core_token(world: World, side: Side, role: str) -> str:
    form = {
        "grant_type": "password",
        "username": side.core_login[role],
        "password": "sample_password",
    }
    return str((await _ok(world.client.post("/core/v2/oauth/token", data=form)))["access_token"])


def _not_found(path: str, response: httpx.Response) -> bool:
    """The surface's own answer to an id that does not exist for the caller."""
    try:
        body = response.json()
    except ValueError:
        return False
    if path.startswith("/v1/hood"):
        return (
            response.status_code == 400
            and body.get("code") == 400
            and bool(HOOD_UNKNOWN.match(str(body.get("message"))))
        )
    if path.startswith("/core/v2"):
        return response.status_code == 404 and body.get("message") == "Cannot find item by SID"
    return response.status_code == 404 and body.get("category") == "OBJECT_NOT_FOUND"


def _variants(path: str, mine: Side, theirs: dict[str, list[str]]) -> list[str]:
    """`path` with each of its parameters in turn, then all of them, taken from `theirs`."""
    params = PARAM.findall(path)
    missing = [p for p in params if p not in theirs or p not in mine.ids]
    assert not missing, f"{path}: no objects for {missing}; add them to _side"
    chosen: list[dict[str, str]] = []
    for foreign in [*({p} for p in params), set(params)] if len(params) > 1 else [set(params)]:
        pools = [theirs[p] if p in foreign else mine.ids[p][:1] for p in params]
        chosen += [dict(zip(params, values, strict=True)) for values in itertools.product(*pools)]
    return [PARAM.sub(lambda m, v=values: v[m[1]], path) for values in chosen]  # type: ignore[misc]


async def _snapshot(world: World, *accounts: int) -> dict[tuple[str, str], int]:
    """Every versioned object of these accounts: its version (a changed object moves)."""
    found: dict[tuple[str, str], int] = {}
    async with world.runtime.db.transaction() as uow:
        for kind, stored in STORED.items():
            for account in accounts:
                rows = await uow.conn.execute(select(stored.table).where(*stored.where(account)))
                for row in rows:
                    found[(kind.value, str(getattr(row, stored.key)))] = row.version
    return found


def _body(method: str, path: str, mine: Side) -> Any:
    if method == "PUT" and path.startswith("/core/v2"):
        return mine.put_body
    if (method, path) in BODIES:
        return BODIES[(method, path)]
    return None if method in ("GET", "DELETE") else {}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


Answer = Callable[[httpx.Response], bool]
Check = Callable[[World, Side, Side], Awaitable[list[str]]]


async def _post(world: World, token: str, path: str, body: Any, what: str, ok: Answer) -> list[str]:
    """POST `body`: a problem unless `ok` holds of the answer."""
    response = await world.client.post(path, json=body, headers=_bearer(token))
    if ok(response):
        return []
    return [f"POST {path} ({what}): {response.status_code} {response.text[:300]}"]


def _hood_unknown(kind: str) -> Answer:
    def ok(r: httpx.Response) -> bool:
        message = str(r.json().get("message"))
        return r.status_code == 400 and message.startswith(f"Unknown {kind} id.")

    return ok


def _no_bob(ok: Answer) -> Answer:
    return lambda r: ok(r) and "bob" not in r.text.lower()


async def _hood_partner_create(world: World, a: Side, b: Side) -> list[str]:
    body = {
        "manager_ids": [b.ids["member_id"][0]],
        "name": "alice x",
        "type": ["publisher"],
        "status": "active",
    }
    ok = _no_bob(lambda r: r.status_code == 400 and "manager_ids" in r.text)
    return await _post(world, a.tenant.token, "/v1/hood/partners", body, "bob's manager", ok)


async def _hood_deal_create(world: World, a: Side, b: Side) -> list[str]:
    body = {
        "name": "alice x",
        "partner_id": b.ids["partner_id"][0],
        "base_price": 1,
        "clickthrough": False,
    }
    ok = _no_bob(_hood_unknown("partner"))
    return await _post(world, a.tenant.token, "/v1/hood/deals", body, "bob's partner", ok)


async def _hood_campaign_create(world: World, a: Side, b: Side) -> list[str]:
    foreign_deal = {"name": "alice x", "deal_id": b.ids["deal_id"][0], "is_draft": True}
    foreign_integration = {
        "name": "alice x",
        "deal_id": a.ids["deal_id"][0],
        "is_draft": True,
        "messages": [
            {"channel": "sms", "integration_id": b.ids["integration_id"][0], "content": "Hi"}
        ],
    }
    path, token = "/v1/hood/campaigns", a.tenant.token
    return [
        *await _post(world, token, path, foreign_deal, "bob's deal", _hood_unknown("deal")),
        *await _post(
            world, token, path, foreign_integration, "bob's integration",
            _no_bob(_hood_unknown("integration")),
        ),
    ]  # fmt: skip


async def _hood_test_notification(world: World, a: Side, b: Side) -> list[str]:
    body = {"integration_id": b.ids["integration_id"][0], "recipient": "+38163123456"}
    ok = _no_bob(_hood_unknown("integration"))
    path = "/v1/hood/test-notification"
    return await _post(world, a.tenant.token, path, body, "bob's integration", ok)


async def _hood_validate(world: World, a: Side, b: Side) -> list[str]:
    """Passing settings that bob's integration also holds marks alice's integrations only (the
    snapshot of bob's versions shows none of his moved)."""
    body = {"name": "alice sms", "provider_id": "1000", "settings": TWILIO}
    path = "/v1/hood/integrations/validate"
    problems = await _post(
        world, a.tenant.token, path, body, "bob's settings", _no_bob(lambda r: r.status_code == 204)
    )
    mine = await world.client.get(
        f"/v1/hood/integrations/{a.ids['integration_id'][0]}", headers=a.tenant.headers()
    )
    if mine.json()["items"][0]["effective_status"] != "active":
        problems.append(f"POST {path} did not mark alice's own integration: {mine.text[:300]}")
    return problems


async def _core_create(world: World, a: Side, b: Side) -> list[str]:
    """A parent_sid the caller cannot see is not found, be it another account's or another
    branch of the caller's own tree."""
    child = await _core_token(world, a, "child")
    cases = [
        (a.tenant.token, b.ids["partner_sid"][0], "bob's root"),
        (child, a.ids["core_sibling"][0], "the child's parent's sibling"),
        (child, a.ids["core_parent"][0], "the child's parent"),
    ]
    problems = []
    for token, parent_sid, what in cases:
        body = {
            "login": f"x{uuid.uuid4().hex[:8]}",
            "password": "sample_password",
            "name": "x",
            "parent_sid": parent_sid,
        }
        ok = _no_bob(lambda r: r.status_code in (404, 422) and "Cannot find item by SID" in r.text)
        problems += await _post(world, token, "/core/v2/partners", body, what, ok)
    return problems


CRM = "/crm/v3/objects/partner_clients"
PROPS = "/crm/v3/properties/partner_clients"


def _none_of(b: Side, *statuses: int) -> Answer:
    """One of `statuses`, and none of bob's objects among the results (the answer may echo
    values alice sent, bob's code among them)."""

    def ok(r: httpx.Response) -> bool:
        if r.status_code not in statuses:
            return False
        results = r.json().get("results", []) if r.content else []
        return not {str(x.get("id")) for x in results} & set(b.ids["object_id"])

    return ok


# bob's codes: alice creates 0 and 1 for herself (unique within an account only) and only
# looks 2 up.
async def _crm_create(world: World, a: Side, b: Side) -> list[str]:
    body = {"properties": {"code": "bob-code-0"}}
    return await _post(world, a.tenant.token, CRM, body, "bob's unique value", _none_of(b, 201))


async def _crm_batch_create(world: World, a: Side, b: Side) -> list[str]:
    body = {"inputs": [{"properties": {"code": "bob-code-1"}}]}
    ok = _none_of(b, 200, 201)
    return await _post(world, a.tenant.token, f"{CRM}/batch/create", body, "bob's value", ok)


async def _crm_batch_read(world: World, a: Side, b: Side) -> list[str]:
    by_id = {"inputs": [{"id": i} for i in b.ids["object_id"]], "properties": ["code"]}
    by_code = {"inputs": [{"id": "bob-code-2"}], "idProperty": "code", "properties": ["code"]}
    path, ok = f"{CRM}/batch/read", _none_of(b, 200, 207, 404)
    return [
        *await _post(world, a.tenant.token, path, by_id, "bob's ids", ok),
        *await _post(world, a.tenant.token, path, by_code, "bob's code", ok),
    ]


async def _crm_batch_update(world: World, a: Side, b: Side) -> list[str]:
    body = {"inputs": [{"id": i, "properties": {"code": "x"}} for i in b.ids["object_id"]]}
    ok = _none_of(b, 207, 400, 404)
    return await _post(world, a.tenant.token, f"{CRM}/batch/update", body, "bob's ids", ok)


async def _crm_batch_upsert(world: World, a: Side, b: Side) -> list[str]:
    """Upserting by bob's unique value makes alice an object of her own, never touches bob's."""
    inputs = [{"idProperty": "code", "id": "bob-code-2", "properties": {"alice_prop": "x"}}]
    ok = _none_of(b, 200, 201)
    path = f"{CRM}/batch/upsert"
    return await _post(world, a.tenant.token, path, {"inputs": inputs}, "bob's code", ok)


async def _crm_batch_archive(world: World, a: Side, b: Side) -> list[str]:
    body = {"inputs": [{"id": i} for i in b.ids["object_id"]]}
    ok = _none_of(b, 204, 207, 404)
    return await _post(world, a.tenant.token, f"{CRM}/batch/archive", body, "bob's ids", ok)


async def _crm_search(world: World, a: Side, b: Side) -> list[str]:
    everything = {"properties": ["code"], "limit": 100}
    bobs = {
        "filterGroups": [{"filters": [{"propertyName": "bob_prop", "operator": "HAS_PROPERTY"}]}],
        "limit": 100,
    }
    path = f"{CRM}/search"

    def unknown_property(r: httpx.Response) -> bool:
        return r.status_code == 400 and "PROPERTY_DOESNT_EXIST" in r.text

    return [
        *await _post(world, a.tenant.token, path, everything, "no filter", _none_of(b, 200)),
        *await _post(world, a.tenant.token, path, bobs, "bob's property", unknown_property),
    ]


async def _crm_group_names(world: World, a: Side, b: Side) -> list[str]:
    """Group and property names are per account: bob's are free for alice."""
    body = {"name": "bob_group", "label": "alice's"}
    return await _post(
        world, a.tenant.token, f"{PROPS}/groups", body, "bob's name", _none_of(b, 201)
    )


async def _crm_property_names(world: World, a: Side, b: Side) -> list[str]:
    body = {"name": "bob_prop", "label": "alice's", "type": "string", "fieldType": "text"}
    return await _post(world, a.tenant.token, PROPS, body, "bob's name", _none_of(b, 201))


# Routes without an id whose body may name another side's object: how each is exercised.
FOREIGN_REFERENCES: dict[tuple[str, str], Check] = {
    ("POST", "/v1/hood/partners"): _hood_partner_create,
    ("POST", "/v1/hood/deals"): _hood_deal_create,
    ("POST", "/v1/hood/campaigns"): _hood_campaign_create,
    ("POST", "/v1/hood/test-notification"): _hood_test_notification,
    ("POST", "/v1/hood/integrations/validate"): _hood_validate,
    ("POST", "/core/v2/partners"): _core_create,
    ("POST", CRM): _crm_create,
    ("POST", f"{CRM}/batch/read"): _crm_batch_read,
    ("POST", f"{CRM}/batch/create"): _crm_batch_create,
    ("POST", f"{CRM}/batch/update"): _crm_batch_update,
    ("POST", f"{CRM}/batch/upsert"): _crm_batch_upsert,
    ("POST", f"{CRM}/batch/archive"): _crm_batch_archive,
    ("POST", f"{CRM}/search"): _crm_search,
    ("POST", f"{PROPS}/groups"): _crm_group_names,
    ("POST", PROPS): _crm_property_names,
}


async def _two_sides(world: World) -> tuple[Side, Side]:
    return await _side(world, world.alice, "alice"), await _side(world, world.bob, "bob")


async def test_every_id_route_answers_the_other_sides_id_as_not_found(world: World) -> None:
    alice, bob = await _two_sides(world)
    before = await _snapshot(world, world.alice.account_id, world.bob.account_id)
    # alice with bob's ids; alice's Core child with the sids of its parent, its parent's
    # sibling and the account's root (none of them itself or below it).
    above = [alice.ids["partner_sid"][0], *alice.ids["core_parent"], *alice.ids["core_sibling"]]
    callers = [
        ("alice", world.alice.token, bob.ids),
        ("core child", await _core_token(world, alice, "child"), {"partner_sid": above}),
    ]
    problems, calls = [], 0
    for method, path in _routes(world):
        if (method, path) in GLOBAL or not PARAM.search(path):
            continue
        for who, token, theirs in callers:
            if who == "core child" and not path.startswith("/core/v2"):
                continue
            for concrete in _variants(path, alice, theirs):
                response = await world.client.request(
                    method, concrete, json=_body(method, path, alice), headers=_bearer(token)
                )
                calls += 1
                # (A not-found answer may name the id it was asked for: bob's name and all.)
                if not _not_found(path, response):
                    problems.append(
                        f"{who}: {method} {concrete}: {response.status_code} {response.text[:300]}"
                    )
    assert problems == [], "\n".join(problems)
    assert await _snapshot(world, world.alice.account_id, world.bob.account_id) == before
    assert calls >= 50, calls


async def test_no_list_holds_the_other_sides_objects(world: World) -> None:
    alice, _ = await _two_sides(world)
    problems, lists = [], 0
    for method, path in _routes(world):
        if method != "GET" or PARAM.search(path) or (method, path) in GLOBAL:
            continue
        lists += 1
        response = await world.client.get(
            path, params=LIST_QUERIES.get(path), headers=_bearer(world.alice.token)
        )
        text = response.text.lower()
        # alice's own objects are listed: the list shows the field that names the side.
        if response.status_code != 200 or "alice" not in text or "bob" in text:
            problems.append(f"GET {path}: {response.status_code} {response.text[:300]}")
    child = await _core_token(world, alice, "child")
    listed = (await _ok(world.client.get("/core/v2/partners", headers=_bearer(child))))["items"]
    if {p["partner_sid"] for p in listed} != set(alice.ids["core_child"]):
        problems.append(f"core child: GET /core/v2/partners lists {listed}")
    assert problems == [], "\n".join(problems)
    assert lists >= 9, lists


async def test_no_body_reaches_the_other_sides_objects(world: World) -> None:
    alice, bob = await _two_sides(world)
    before = await _snapshot(world, world.bob.account_id)
    problems, unexercised = [], []
    for method, path in _routes(world):
        if method == "GET" or PARAM.search(path) or (method, path) in NO_FOREIGN_REFERENCE:
            continue
        check = FOREIGN_REFERENCES.get((method, path))
        if check is None:
            unexercised.append(f"{method} {path}")
        else:
            problems += await check(world, alice, bob)
    assert not unexercised, f"add how to exercise these to FOREIGN_REFERENCES: {unexercised}"
    assert problems == [], "\n".join(problems)
    assert await _snapshot(world, world.bob.account_id) == before
