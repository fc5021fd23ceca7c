"""Every route of every surface, walked from the app's route table: a request leaves exactly one
history entry per object it changed, at that object's new version, and none for anything else.

What changed is read from the database itself, before and after the request, over every
versioned table of the change operation's registry: an object created, deleted or whose version
moved is a changed object. A new write route fails here until it has a scenario below.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from harness import World, api_routes, suite_settings
from partnerhub.config import Settings
from partnerhub.domain.objects import Kind
from partnerhub.storage.repos.changes import STORED
from partnerhub.storage.tables import history
from provider_servers import HttpStub, http_stub, twilio_routes

SURFACES = ("/v1/hood", "/core/v2", "/crm/v3")
WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}
# Routes that change no object (they read, or issue an OAuth token, which is no versioned
# object); the same check holds for them: no history entry, no version moved.
CHANGE_NOTHING = {
    ("POST", "/core/v2/oauth/token"),
    ("POST", "/crm/v3/objects/partner_clients/batch/read"),
    ("POST", "/crm/v3/objects/partner_clients/search"),
}
HOOD = "/v1/hood/partners"
CORE = "/core/v2/partners"
CRM = "/crm/v3/objects/partner_clients"
PROPS = "/crm/v3/properties/partner_clients"
Request = Callable[[], Awaitable[httpx.Response]]
# A scenario does its set-up and returns the one request whose history is checked.
Scenario = Callable[[World], Awaitable[Request]]
INTEGRATIONS = "/v1/hood/integrations"
DEALS = "/v1/hood/deals"
CAMPAIGNS = "/v1/hood/campaigns"
SID, TOKEN = "AC" + "1" * 32, "t" * 32
TWILIO = {"account_sid": SID, "auth_token": TOKEN, "default_phone_number": "+14155550100"}


@pytest.fixture
def twilio() -> Iterator[HttpStub]:
    with http_stub(twilio_routes(SID, TOKEN)) as stub:
        yield stub


@pytest.fixture
def settings(database_url: str, twilio: HttpStub) -> Settings:
    """The suite's settings, with Twilio answered by a local server (validate, test)."""
    return suite_settings(database_url, provider_twilio_base_url=twilio.url)


def _write_routes(world: World) -> set[tuple[str, str]]:
    return {
        (method, route.path)
        for route in api_routes(world, SURFACES)
        for method in route.methods & WRITE_METHODS
    }


# What history calls a row of each kind (its key, unless said here).
def _history_name(kind: Kind, row: Any) -> str:
    if kind is Kind.HOOD_CONTACT:
        return f"{row.partner_id}/{row.id}"
    if kind is Kind.CORE_PARTNER:
        return str(row.partner_sid)
    return str(getattr(row, STORED[kind].key))


async def _versions(world: World) -> dict[tuple[str, str], int]:
    """Every versioned object of the account: (kind, history name) → version."""
    found: dict[tuple[str, str], int] = {}
    async with world.runtime.db.transaction() as uow:
        for kind, stored in STORED.items():
            rows = await uow.conn.execute(
                select(stored.table).where(*stored.where(world.alice.account_id))
            )
            for row in rows:
                found[(kind.value, _history_name(kind, row))] = row.version
    return found


async def _last_history_id(world: World) -> int:
    async with world.runtime.db.transaction() as uow:
        return int(
            (await uow.conn.execute(select(func.coalesce(func.max(history.c.id), 0)))).scalar_one()
        )


async def _history_since(world: World, after: int) -> list[Any]:
    async with world.runtime.db.transaction() as uow:
        rows = await uow.conn.execute(
            select(history).where(history.c.id > after).order_by(history.c.id)
        )
        return list(rows)


# Set-up helpers (their own writes happen before the request under test).


async def _ok(response: Awaitable[httpx.Response]) -> dict[str, Any]:
    answer = await response
    assert answer.status_code < 300, answer.text
    return answer.json() if answer.content else {}


def _h(world: World) -> dict[str, str]:
    return world.alice.headers()


async def _hood_partner(world: World) -> str:
    body = {
        "manager_ids": [world.alice.member_ids[0]],
        "name": "Walked",
        "type": ["publisher"],
        "status": "active",
        "contacts": [{"type": "email", "value": "one@example.com"}],
    }
    return str((await _ok(world.client.post(HOOD, json=body, headers=_h(world))))["id"])


async def _hood_contact(world: World) -> tuple[str, str]:
    pid = await _hood_partner(world)
    body = {"type": "phone", "value": "+38160333444"}
    created = await _ok(world.client.post(f"{HOOD}/{pid}/contacts", json=body, headers=_h(world)))
    return pid, created["id"]


_logins = iter(range(1_000_000))


def _core_body() -> dict[str, Any]:
    return {"login": f"walker{next(_logins)}", "password": "sample_password", "name": "W"}


async def _core_child(world: World) -> dict[str, Any]:
    return await _ok(world.client.post(CORE, json=_core_body(), headers=_h(world)))


async def _crm_object(world: World, **properties: str) -> str:
    body = {"properties": {"property_string": "v", **properties}}
    return str((await _ok(world.client.post(CRM, json=body, headers=_h(world))))["id"])


async def _crm_property(world: World, name: str, **extra: Any) -> None:
    body = {"name": name, "label": name, "type": "string", "fieldType": "text", **extra}
    await _ok(world.client.post(PROPS, json=body, headers=_h(world)))


async def _crm_group(world: World, name: str) -> None:
    body = {"name": name, "label": name, "displayOrder": 1}
    await _ok(world.client.post(f"{PROPS}/groups", json=body, headers=_h(world)))


async def _crm_ready(world: World) -> None:
    """The properties the object scenarios use, defined once for all of them."""
    found = await world.client.get(f"{PROPS}/code", headers=_h(world))
    if found.status_code == 404:
        await _crm_property(world, "property_string")
        await _crm_property(world, "code", hasUniqueValue=True)


def _fresh(prefix: str) -> str:
    return f"{prefix}_{next(_logins)}"


# One scenario per write route.


async def hood_create(world: World) -> Request:
    body = {
        "manager_ids": [world.alice.member_ids[0]],
        "name": "New",
        "type": ["publisher"],
        "status": "active",
        "contacts": [
            {"type": "email", "value": "a@example.com"},
            {"type": "mobile", "value": "+38160333444"},
        ],
    }
    return lambda: world.client.post(HOOD, json=body, headers=_h(world))


async def hood_patch(world: World) -> Request:
    pid = await _hood_partner(world)
    await _campaign(world, await _deal(world, pid))
    # The legacy contact object changes contacts too (an update, a create, a delete), and the
    # status cascades to the partner's deal and its campaign.
    body = {
        "description": "changed",
        "status": "inactive",
        "contact": {"email": "two@example.com", "skype": "walker", "mobile": None},
    }
    return lambda: world.client.patch(f"{HOOD}/{pid}", json=body, headers=_h(world))


async def hood_archive(world: World) -> Request:
    pid = await _hood_partner(world)
    await _campaign(world, await _deal(world, pid, status="inactive"), is_draft=True)
    return lambda: world.client.post(f"{HOOD}/{pid}/archive", headers=_h(world))


async def _deal(world: World, pid: str, **fields: Any) -> str:
    body = {"name": "D", "partner_id": pid, "base_price": 1, "clickthrough": False, **fields}
    return str((await _ok(world.client.post(DEALS, json=body, headers=_h(world))))["id"])


async def _campaign(world: World, deal_id: str, **fields: Any) -> str:
    body = {
        "name": "C",
        "deal_id": deal_id,
        "scheduled_time": (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S"),
        "messages": [{"channel": "push", "content": "Hello"}],
        **fields,
    }
    return str((await _ok(world.client.post(CAMPAIGNS, json=body, headers=_h(world))))["id"])


async def deal_create(world: World) -> Request:
    pid = await _hood_partner(world)
    body = {"name": "D", "partner_id": pid, "base_price": 2.5, "clickthrough": True}
    return lambda: world.client.post(DEALS, json=body, headers=_h(world))


async def deal_patch(world: World) -> Request:
    did = await _deal(world, await _hood_partner(world))
    await _campaign(world, did)
    body = {"status": "inactive", "base_price": 3}  # the campaign follows
    return lambda: world.client.patch(f"{DEALS}/{did}", json=body, headers=_h(world))


async def deal_archive(world: World) -> Request:
    did = await _deal(world, await _hood_partner(world))
    await _campaign(world, did, is_draft=True)  # archived with its deal
    return lambda: world.client.post(f"{DEALS}/{did}/archive", headers=_h(world))


async def campaign_create(world: World) -> Request:
    did = await _deal(world, await _hood_partner(world))
    body = {"name": "C", "deal_id": did, "is_draft": True}
    return lambda: world.client.post(CAMPAIGNS, json=body, headers=_h(world))


async def campaign_patch(world: World) -> Request:
    cid = await _campaign(world, await _deal(world, await _hood_partner(world)))
    body = {"name": "Renamed", "labels": ["x"]}
    return lambda: world.client.patch(f"{CAMPAIGNS}/{cid}", json=body, headers=_h(world))


async def _campaign_action(world: World, action: str, body: Any, *before: str) -> Request:
    cid = await _campaign(world, await _deal(world, await _hood_partner(world)))
    for step, step_body in (("pause", {"reason": "set-up"}),) if before else ():
        await _ok(world.client.post(f"{CAMPAIGNS}/{cid}/{step}", json=step_body, headers=_h(world)))
    path = f"{CAMPAIGNS}/{cid}/{action}"
    return lambda: world.client.post(path, json=body, headers=_h(world))


async def campaign_pause(world: World) -> Request:
    return await _campaign_action(world, "pause", {"reason": "walked"})


async def campaign_resume(world: World) -> Request:
    return await _campaign_action(world, "resume", {"run_immediately": True}, "pause")


async def campaign_cancel(world: World) -> Request:
    return await _campaign_action(world, "cancel", {"reason": "walked"})


async def campaign_archive(world: World) -> Request:
    return await _campaign_action(world, "archive", None, "pause")


async def hood_unarchive(world: World) -> Request:
    pid = await _hood_partner(world)
    await _ok(world.client.post(f"{HOOD}/{pid}/archive", headers=_h(world)))
    return lambda: world.client.post(f"{HOOD}/{pid}/unarchive", headers=_h(world))


async def hood_contact_create(world: World) -> Request:
    pid = await _hood_partner(world)
    body = {"type": "phone", "value": "+38160333444"}
    return lambda: world.client.post(f"{HOOD}/{pid}/contacts", json=body, headers=_h(world))


async def hood_contact_patch(world: World) -> Request:
    pid, cid = await _hood_contact(world)
    body = {"value": "+38160333555"}
    return lambda: world.client.patch(f"{HOOD}/{pid}/contacts/{cid}", json=body, headers=_h(world))


async def hood_contact_delete(world: World) -> Request:
    pid, cid = await _hood_contact(world)
    return lambda: world.client.delete(f"{HOOD}/{pid}/contacts/{cid}", headers=_h(world))


async def _integration(world: World) -> str:
    body = {"name": "SMS", "provider_id": "1000", "settings": TWILIO}
    return str((await _ok(world.client.post(INTEGRATIONS, json=body, headers=_h(world))))["id"])


async def integration_create(world: World) -> Request:
    body = {"name": "SMS", "provider_id": "1000", "settings": TWILIO, "is_default": True}
    await _integration(world)
    return lambda: world.client.post(INTEGRATIONS, json=body, headers=_h(world))


async def integration_patch(world: World) -> Request:
    iid = await _integration(world)
    body = {"name": "Renamed", "settings": {"auth_token": "n" * 32}}
    return lambda: world.client.patch(f"{INTEGRATIONS}/{iid}", json=body, headers=_h(world))


async def integration_delete(world: World) -> Request:
    iid = await _integration(world)
    return lambda: world.client.delete(f"{INTEGRATIONS}/{iid}", headers=_h(world))


async def integration_validate(world: World) -> Request:
    # Settings of an integration already stored: passing makes it effectively active.
    await _integration(world)
    body = {"name": "SMS", "provider_id": "1000", "settings": TWILIO}
    return lambda: world.client.post(f"{INTEGRATIONS}/validate", json=body, headers=_h(world))


async def notification_test(world: World) -> Request:
    iid = await _integration(world)
    body = {"integration_id": iid, "recipient": "+38163123456"}
    return lambda: world.client.post("/v1/hood/test-notification", json=body, headers=_h(world))


async def core_token(world: World) -> Request:
    child = await _core_child(world)
    form = {"grant_type": "password", "username": child["login"], "password": "sample_password"}
    return lambda: world.client.post("/core/v2/oauth/token", data=form)


async def core_create(world: World) -> Request:
    return lambda: world.client.post(CORE, json=_core_body(), headers=_h(world))


async def core_patch(world: World) -> Request:
    sid = (await _core_child(world))["partner_sid"]
    body = {"address1": "1 Main St", "attributes": {"k": "v"}}
    return lambda: world.client.patch(f"{CORE}/{sid}", json=body, headers=_h(world))


async def core_put(world: World) -> Request:
    child = await _core_child(world)
    sid = child["partner_sid"]
    await _ok(world.client.patch(f"{CORE}/{sid}", json={"city": "Old"}, headers=_h(world)))
    full = await _ok(world.client.get(f"{CORE}/{sid}", headers=_h(world)))
    return lambda: world.client.put(
        f"{CORE}/{sid}", json={**full, "city": "New"}, headers=_h(world)
    )


async def core_authentication(world: World) -> Request:
    sid = (await _core_child(world))["partner_sid"]
    body = {"allow_basic_authentication": False, "password": "another-password"}
    return lambda: world.client.patch(f"{CORE}/{sid}/authentication", json=body, headers=_h(world))


async def core_delete(world: World) -> Request:
    sid = (await _core_child(world))["partner_sid"]
    return lambda: world.client.delete(f"{CORE}/{sid}", headers=_h(world))


async def crm_create(world: World) -> Request:
    await _crm_ready(world)
    body = {"properties": {"property_string": "v", "code": _fresh("code")}}
    return lambda: world.client.post(CRM, json=body, headers=_h(world))


async def crm_batch_read(world: World) -> Request:
    await _crm_ready(world)
    oid = await _crm_object(world)
    body = {"inputs": [{"id": oid}], "properties": ["property_string"]}
    return lambda: world.client.post(f"{CRM}/batch/read", json=body, headers=_h(world))


async def crm_batch_create(world: World) -> Request:
    await _crm_ready(world)
    body = {"inputs": [{"properties": {"property_string": s}} for s in ("a", "b")]}
    return lambda: world.client.post(f"{CRM}/batch/create", json=body, headers=_h(world))


async def crm_batch_update(world: World) -> Request:
    await _crm_ready(world)
    ids = [await _crm_object(world), await _crm_object(world)]
    inputs = [{"id": i, "properties": {"property_string": f"u{i}"}} for i in ids]
    return lambda: world.client.post(
        f"{CRM}/batch/update", json={"inputs": inputs}, headers=_h(world)
    )


async def crm_batch_upsert(world: World) -> Request:
    await _crm_ready(world)
    old, new = _fresh("code"), _fresh("code")
    await _crm_object(world, code=old)
    inputs = [
        {"id": code, "idProperty": "code", "properties": {"property_string": "up"}}
        for code in (old, new)
    ]
    return lambda: world.client.post(
        f"{CRM}/batch/upsert", json={"inputs": inputs}, headers=_h(world)
    )


async def crm_batch_archive(world: World) -> Request:
    await _crm_ready(world)
    ids = [await _crm_object(world), await _crm_object(world)]
    body = {"inputs": [{"id": i} for i in ids]}
    return lambda: world.client.post(f"{CRM}/batch/archive", json=body, headers=_h(world))


async def crm_search(world: World) -> Request:
    await _crm_ready(world)
    await _crm_object(world)
    return lambda: world.client.post(f"{CRM}/search", json={"limit": 5}, headers=_h(world))


async def crm_patch(world: World) -> Request:
    await _crm_ready(world)
    oid = await _crm_object(world, code=_fresh("code"))
    body = {"properties": {"property_string": "changed", "code": _fresh("code")}}
    return lambda: world.client.patch(f"{CRM}/{oid}", json=body, headers=_h(world))


async def crm_archive(world: World) -> Request:
    await _crm_ready(world)
    oid = await _crm_object(world)
    return lambda: world.client.delete(f"{CRM}/{oid}", headers=_h(world))


async def crm_restore(world: World) -> Request:
    await _crm_ready(world)
    oid = await _crm_object(world)
    await _ok(world.client.delete(f"{CRM}/{oid}", headers=_h(world)))
    return lambda: world.client.post(f"{CRM}/{oid}/restore", headers=_h(world))


async def crm_group_create(world: World) -> Request:
    body = {"name": _fresh("group"), "label": "Walked", "displayOrder": 2}
    return lambda: world.client.post(f"{PROPS}/groups", json=body, headers=_h(world))


async def crm_group_patch(world: World) -> Request:
    name = _fresh("group")
    await _crm_group(world, name)
    body = {"label": "Renamed"}
    return lambda: world.client.patch(f"{PROPS}/groups/{name}", json=body, headers=_h(world))


async def crm_group_archive(world: World) -> Request:
    name = _fresh("group")
    await _crm_group(world, name)
    return lambda: world.client.delete(f"{PROPS}/groups/{name}", headers=_h(world))


async def crm_property_create(world: World) -> Request:
    body = {"name": _fresh("prop"), "label": "W", "type": "string", "fieldType": "text"}
    return lambda: world.client.post(PROPS, json=body, headers=_h(world))


async def crm_property_patch(world: World) -> Request:
    name = _fresh("prop")
    await _crm_property(world, name)
    await _ok(world.client.patch(f"{PROPS}/{name}", json={"label": "1"}, headers=_h(world)))
    return lambda: world.client.patch(f"{PROPS}/{name}", json={"label": "2"}, headers=_h(world))


async def crm_property_archive(world: World) -> Request:
    name = _fresh("prop")
    await _crm_property(world, name)
    return lambda: world.client.delete(f"{PROPS}/{name}", headers=_h(world))


SCENARIOS: dict[tuple[str, str], Scenario] = {
    ("POST", HOOD): hood_create,
    ("PATCH", f"{HOOD}/{{partner_id}}"): hood_patch,
    ("POST", f"{HOOD}/{{partner_id}}/archive"): hood_archive,
    ("POST", f"{HOOD}/{{partner_id}}/unarchive"): hood_unarchive,
    ("POST", f"{HOOD}/{{partner_id}}/contacts"): hood_contact_create,
    ("PATCH", f"{HOOD}/{{partner_id}}/contacts/{{contact_id}}"): hood_contact_patch,
    ("DELETE", f"{HOOD}/{{partner_id}}/contacts/{{contact_id}}"): hood_contact_delete,
    ("POST", DEALS): deal_create,
    ("PATCH", f"{DEALS}/{{deal_id}}"): deal_patch,
    ("POST", f"{DEALS}/{{deal_id}}/archive"): deal_archive,
    ("POST", CAMPAIGNS): campaign_create,
    ("PATCH", f"{CAMPAIGNS}/{{campaign_id}}"): campaign_patch,
    ("POST", f"{CAMPAIGNS}/{{campaign_id}}/pause"): campaign_pause,
    ("POST", f"{CAMPAIGNS}/{{campaign_id}}/resume"): campaign_resume,
    ("POST", f"{CAMPAIGNS}/{{campaign_id}}/cancel"): campaign_cancel,
    ("POST", f"{CAMPAIGNS}/{{campaign_id}}/archive"): campaign_archive,
    ("POST", INTEGRATIONS): integration_create,
    ("PATCH", f"{INTEGRATIONS}/{{integration_id}}"): integration_patch,
    ("DELETE", f"{INTEGRATIONS}/{{integration_id}}"): integration_delete,
    ("POST", f"{INTEGRATIONS}/validate"): integration_validate,
    ("POST", "/v1/hood/test-notification"): notification_test,
    ("POST", "/core/v2/oauth/token"): core_token,
    ("POST", CORE): core_create,
    ("PATCH", f"{CORE}/{{partner_sid}}"): core_patch,
    ("PUT", f"{CORE}/{{partner_sid}}"): core_put,
    ("DELETE", f"{CORE}/{{partner_sid}}"): core_delete,
    ("PATCH", f"{CORE}/{{partner_sid}}/authentication"): core_authentication,
    ("POST", CRM): crm_create,
    ("POST", f"{CRM}/batch/read"): crm_batch_read,
    ("POST", f"{CRM}/batch/create"): crm_batch_create,
    ("POST", f"{CRM}/batch/update"): crm_batch_update,
    ("POST", f"{CRM}/batch/upsert"): crm_batch_upsert,
    ("POST", f"{CRM}/batch/archive"): crm_batch_archive,
    ("POST", f"{CRM}/search"): crm_search,
    ("PATCH", f"{CRM}/{{object_id:crm_object_id}}"): crm_patch,
    ("DELETE", f"{CRM}/{{object_id:crm_object_id}}"): crm_archive,
    ("POST", f"{CRM}/{{object_id:crm_object_id}}/restore"): crm_restore,
    ("POST", f"{PROPS}/groups"): crm_group_create,
    ("PATCH", f"{PROPS}/groups/{{group_name}}"): crm_group_patch,
    ("DELETE", f"{PROPS}/groups/{{group_name}}"): crm_group_archive,
    ("POST", PROPS): crm_property_create,
    ("PATCH", f"{PROPS}/{{property_name}}"): crm_property_patch,
    ("DELETE", f"{PROPS}/{{property_name}}"): crm_property_archive,
}


def test_every_write_route_has_a_scenario(world: World) -> None:
    routes = _write_routes(world)
    assert len(routes) >= 25  # the walk really found the surfaces' write routes
    assert routes - SCENARIOS.keys() == set(), "write routes without a history scenario"
    assert SCENARIOS.keys() - routes == set(), "scenarios of routes that no longer exist"


def _expected(
    before: dict[tuple[str, str], int], after: dict[tuple[str, str], int]
) -> dict[tuple[str, str], int]:
    """(kind, name) → the version its history entry must carry, for every changed object."""
    expected: dict[tuple[str, str], int] = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if new is None:
            expected[key] = (old or 0) + 1  # deleted: its last entry is one past its version
        elif old != new:
            expected[key] = new
    return expected


async def test_each_changed_object_gets_one_entry_at_its_new_version(world: World) -> None:
    wrong: dict[str, Any] = {}
    for (method, path), scenario in sorted(SCENARIOS.items(), key=lambda kv: kv[0][1]):
        name = f"{method} {re.sub(r':[a-z_]+', '', path)}"
        request = await scenario(world)
        last = await _last_history_id(world)
        before = await _versions(world)
        response = await request()
        if response.status_code >= 300:
            wrong[name] = f"answered {response.status_code}: {response.text[:200]}"
            continue
        expected = _expected(before, await _versions(world))
        got: dict[tuple[str, str], list[int]] = {}
        for e in await _history_since(world, last):
            got.setdefault((e.object_type, e.object_id), []).append(e.version)
        if got != {k: [v] for k, v in expected.items()}:
            wrong[name] = {"expected": expected, "got": got}
        elif (method, path) in CHANGE_NOTHING:
            if expected:
                wrong[name] = f"listed as changing nothing, changed {sorted(expected)}"
        elif not expected:
            wrong[name] = "changed nothing: the scenario does not exercise its route"
    assert wrong == {}
