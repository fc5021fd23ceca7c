"""POST, GET and DELETE /core/v2/partners: hierarchy, scopes, tenancy, idempotency."""

from __future__ import annotations

import uuid

from harness import World
from surfaces.core.kit import (
    ACL,
    PARTNER_KEYS,
    PARTNERS,
    assert_error,
    bearer,
    create,
    get,
    headers,
    login,
    partner_body,
    root,
)


class TestCreatePartner:
    async def test_create_answers_200_with_the_caller_as_parent(self, world: World) -> None:
        t = world.alice
        me = await root(world, t)
        created = await create(world, t, payment_type="postpay")
        assert list(created) == PARTNER_KEYS
        assert created["parent_sid"] == me["partner_sid"]
        assert created["status"] == "active" and created["balance"] == "0"
        # CarrierX answers prepay_amount / charge_at as null for postpay partners.
        assert created["prepay_amount"] is None and created["charge_at"] is None
        assert "password" not in created

    async def test_parent_sid_may_name_a_managed_partner(self, world: World) -> None:
        t = world.alice
        child = await create(world, t)
        grandchild = await create(world, t, parent_sid=child["partner_sid"])
        assert grandchild["parent_sid"] == child["partner_sid"]
        unknown = await world.client.post(
            PARTNERS, json=partner_body(parent_sid=str(uuid.uuid4())), headers=headers(t)
        )
        assert_error(unknown, 422, "parent_sid")

    async def test_duplicate_login_is_409(self, world: World) -> None:
        t = world.alice
        await create(world, t, login="dup-login")
        again = await world.client.post(
            PARTNERS, json=partner_body(login="dup-login"), headers=headers(t)
        )
        assert_error(again, 409, "login")

    async def test_invalid_create_bodies_are_422(self, world: World) -> None:
        t = world.alice
        cases = [
            ({"country_code": "US"}, "country_code"),
            ({"payment_type": "credit"}, "payment_type"),
            ({"charge_at": "ten"}, "charge_at"),
            ({"login": None}, "login"),
            ({"balance": "100"}, "balance"),
            ({"password": "short"}, "password"),
            ({"callbacks": {"sms": "not a url"}}, "callbacks"),
        ]
        for overrides, field in cases:
            response = await world.client.post(
                PARTNERS, json=partner_body(**overrides), headers=headers(t)
            )
            assert_error(response, 422, field)
        missing = partner_body()
        del missing["login"]
        assert_error(
            await world.client.post(PARTNERS, json=missing, headers=headers(t)), 422, "login"
        )
        listed = await world.client.get(PARTNERS, headers=t.headers())
        assert listed.json()["total"] == 1  # only the root partner

    async def test_idempotency_key_replays_and_refuses_another_body(self, world: World) -> None:
        t = world.alice
        body = partner_body()
        key = {"Idempotency-Key": "create-1"}
        first = await world.client.post(PARTNERS, json=body, headers=headers(t, **key))
        again = await world.client.post(PARTNERS, json=body, headers=headers(t, **key))
        assert first.status_code == again.status_code == 200
        assert again.json() == first.json()
        assert again.headers["idempotent-replayed"] == "true"
        other = await world.client.post(
            PARTNERS, json={**body, "name": "Other"}, headers=headers(t, **key)
        )
        assert_error(other, 409, "Idempotency-Key")
        listed = await world.client.get(PARTNERS, headers=t.headers())
        assert listed.json()["total"] == 2

    async def test_scope_update_allows_patch_but_not_create(self, world: World) -> None:
        t = world.alice
        sid = (await create(world, t))["partner_sid"]
        token = await world.token(t, ["partners.update"])
        denied = await world.client.post(PARTNERS, json=partner_body(), headers=bearer(token))
        assert_error(denied, 403)
        allowed = await world.client.patch(
            f"{PARTNERS}/{sid}", json={"city": "Irvine"}, headers=bearer(token)
        )
        assert allowed.status_code == 200, allowed.text

    async def test_missing_token_is_401(self, world: World) -> None:
        response = await world.client.post(
            PARTNERS, json=partner_body(), headers={"Content-Type": "application/json"}
        )
        assert_error(response, 401)


class TestGetPartner:
    async def test_foreign_account_and_malformed_sid_are_404(self, world: World) -> None:
        theirs = await create(world, world.bob)
        response = await world.client.get(
            f"{PARTNERS}/{theirs['partner_sid']}", headers=world.alice.headers()
        )
        assert_error(response, 404, message="Cannot find item by SID")
        patch = await world.client.patch(
            f"{PARTNERS}/{theirs['partner_sid']}", json={"city": "x"}, headers=headers(world.alice)
        )
        assert_error(patch, 404)
        malformed = await world.client.get(f"{PARTNERS}/not-a-uuid", headers=world.alice.headers())
        assert_error(malformed, 404, message="Cannot find item by SID")
        assert (await get(world, world.bob, theirs["partner_sid"]))["city"] is None

    async def test_any_uuid_spelling_of_a_sid_finds_the_partner(self, world: World) -> None:
        t = world.alice
        rule = str(uuid.uuid4())
        created = await create(
            world, t, parent_assigned_acls=[{**ACL, "access_control_rules": [rule.upper()]}]
        )
        sid = created["partner_sid"]
        assert created["parent_assigned_acls"][0]["access_control_rules"] == [rule]
        for spelling in (sid.upper(), sid.replace("-", "")):
            assert (await get(world, t, spelling))["partner_sid"] == sid

    async def test_field_filtering_on_get(self, world: World) -> None:
        t = world.alice
        sid = (await create(world, t))["partner_sid"]
        response = await world.client.get(
            f"{PARTNERS}/{sid}", params={"include_fields": "zip,name"}, headers=t.headers()
        )
        assert response.json() == {"name": "John Smith", "zip": "90804"}
        response = await world.client.get(
            f"{PARTNERS}/{sid}", params={"excludeFields": "acls"}, headers=t.headers()
        )
        assert "acls" not in response.json() and "zip" in response.json()
        assert response.headers["etag"] == '"1"'


class TestHierarchy:
    async def test_child_sees_itself_and_descendants_only(self, world: World) -> None:
        t = world.alice
        me = await root(world, t)
        child = await create(world, t, login="child-a")
        sibling = await create(world, t, login="child-b")
        grandchild = await create(world, t, parent_sid=child["partner_sid"])
        token = await login(world, "child-a")
        for hidden in (me, sibling):
            response = await world.client.get(
                f"{PARTNERS}/{hidden['partner_sid']}", headers=bearer(token)
            )
            assert_error(response, 404)
        listed = await world.client.get(PARTNERS, params={"limit": "100"}, headers=bearer(token))
        sids = {p["partner_sid"] for p in listed.json()["items"]}
        assert sids == {child["partner_sid"], grandchild["partner_sid"]}
        # It manages its descendants.
        response = await world.client.patch(
            f"{PARTNERS}/{grandchild['partner_sid']}",
            json={"parent_assigned_acls": [ACL]},
            headers=bearer(token),
        )
        assert response.status_code == 200, response.text
        assert response.json()["parent_assigned_acls"] == [ACL]

    async def test_acl_ownership(self, world: World) -> None:
        t = world.alice
        child = await create(world, t, login="acl-child")
        path = f"{PARTNERS}/{child['partner_sid']}"
        token = await login(world, "acl-child")
        own_parent_acls = await world.client.patch(
            path, json={"parent_assigned_acls": [ACL]}, headers=bearer(token)
        )
        assert_error(own_parent_acls, 403, "parent_assigned_acls")
        own_acls = await world.client.patch(path, json={"acls": [ACL]}, headers=bearer(token))
        assert own_acls.status_code == 200 and own_acls.json()["acls"] == [ACL]
        parent_sets_acls = await world.client.patch(path, json={"acls": []}, headers=headers(t))
        assert_error(parent_sets_acls, 403, "acls")
        parent_assigns = await world.client.patch(
            path, json={"parent_assigned_acls": [ACL]}, headers=headers(t)
        )
        assert parent_assigns.status_code == 200
        assert (await get(world, t, child["partner_sid"]))["acls"] == [ACL]


class TestDeletePartner:
    async def test_delete_leaf_then_404(self, world: World) -> None:
        t = world.alice
        sid = (await create(world, t))["partner_sid"]
        response = await world.client.delete(f"{PARTNERS}/{sid}", headers=t.headers())
        assert response.status_code == 204 and response.content == b""
        assert_error(await world.client.get(f"{PARTNERS}/{sid}", headers=t.headers()), 404)
        history = await world.client.get(f"{PARTNERS}/{sid}/history", headers=t.headers())
        assert_error(history, 404)

    async def test_partner_with_sub_partners_is_409_and_self_403(self, world: World) -> None:
        t = world.alice
        child = await create(world, t)
        await create(world, t, parent_sid=child["partner_sid"])
        response = await world.client.delete(
            f"{PARTNERS}/{child['partner_sid']}", headers=t.headers()
        )
        assert_error(response, 409)
        me = await root(world, t)
        self_delete = await world.client.delete(
            f"{PARTNERS}/{me['partner_sid']}", headers=t.headers()
        )
        assert_error(self_delete, 403)

    async def test_deleted_partner_tokens_stop_working(self, world: World) -> None:
        t = world.alice
        child = await create(world, t, login="leaving")
        token = await login(world, "leaving")
        assert (await world.client.get(PARTNERS, headers=bearer(token))).status_code == 200
        deleted = await world.client.delete(
            f"{PARTNERS}/{child['partner_sid']}", headers=t.headers()
        )
        assert deleted.status_code == 204
        assert_error(await world.client.get(PARTNERS, headers=bearer(token)), 401)
