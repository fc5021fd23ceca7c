"""The console's Core area: the partner tree, a partner's page and its edit form; the acting
partner's subtree, scopes, CSRF and hostile input."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from harness import World
from partnerhub.auth.scopes import ALL_SCOPES
from partnerhub.domain import core_partners as rules
from partnerhub.domain.accounts import Actor
from partnerhub.domain.core_query import CoreListQuery
from partnerhub.services import core_partners
from partnerhub.surfaces.console import core
from surfaces.console.kit import Console, SignIn, errors_of, text_of
from surfaces.core.kit import ACL, PARTNERS, create, get, headers, login, root

PAGE = "/console/core/partners"


async def _history(world: World, sid: str) -> list[dict[str, Any]]:
    response = await world.client.get(f"{PARTNERS}/{sid}/history", headers=world.alice.headers())
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _api_messages(world: World, sid: str, body: dict[str, Any]) -> list[str]:
    """What the Core API's PATCH answers for `body`: its messages."""
    response = await world.client.patch(
        f"{PARTNERS}/{sid}", json=body, headers=headers(world.alice)
    )
    assert response.status_code == 422, response.text
    return [item["message"] for item in response.json()["errors"]]


class TestTree:
    async def test_the_tree_nests_every_partner_with_a_link(
        self, world: World, console: Console
    ) -> None:
        me = await root(world, world.alice)
        child = await create(world, world.alice, name="Child partner")
        grandchild = await create(
            world, world.alice, name="Grandchild partner", parent_sid=child["partner_sid"]
        )
        page = await console.get("/console/core")
        assert page.status_code == 200
        html = page.text
        for partner in (me, child, grandchild):
            sid = partner["partner_sid"]
            assert f'id="partner-{sid}"' in html
            assert f'href="{PAGE}/{sid}"' in html
        # The grandchild's item is inside the child's (nested lists in <details>).
        child_item = html.index(f'id="partner-{child["partner_sid"]}"')
        assert child_item < html.index(f'id="partner-{grandchild["partner_sid"]}"')
        assert "<details open>" in html and "<summary>" in html
        text = text_of(html)
        assert "Child partner" in text and "1 sub-partner" in text
        assert 'id="tree-truncated"' not in html

    async def test_a_sub_partner_token_sees_only_its_subtree(
        self, world: World, console_as: SignIn
    ) -> None:
        me = await root(world, world.alice)
        branch = await create(world, world.alice, login="branch", name="Branch")
        leaf = await create(world, world.alice, name="Leaf", parent_sid=branch["partner_sid"])
        sibling = await create(world, world.alice, name="Sibling")
        branch_console = await console_as(await login(world, "branch"))
        html = (await branch_console.get("/console/core")).text
        assert f'id="partner-{branch["partner_sid"]}"' in html
        assert f'id="partner-{leaf["partner_sid"]}"' in html
        for hidden in (me, sibling):
            assert hidden["partner_sid"] not in html
            outside = f"{PAGE}/{hidden['partner_sid']}"
            assert (await branch_console.get(outside)).status_code == 404
            assert (await branch_console.post(outside, {"city": "X"})).status_code == 404
        own = await branch_console.get(f"{PAGE}/{branch['partner_sid']}")
        assert own.status_code == 200
        assert 'id="parent-link"' not in own.text  # its parent does not exist for it
        below = await branch_console.get(f"{PAGE}/{leaf['partner_sid']}")
        assert f'href="{PAGE}/{branch["partner_sid"]}" id="parent-link"' in below.text
        assert (await get(world, world.alice, me["partner_sid"]))["city"] is None

    async def test_the_tree_is_bounded_and_says_so(
        self, world: World, console: Console, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        first = await create(world, world.alice, name="First")
        await create(world, world.alice, name="Second", parent_sid=first["partner_sid"])
        monkeypatch.setattr(core, "TREE_LIMIT", 2)
        page = await console.get("/console/core")
        assert "shows the first 2 of 3 partners" in text_of(page.text)
        assert "Second" not in text_of(page.text)

    async def test_a_partner_whose_parent_is_not_shown_hangs_under_its_nearest_shown_ancestor(
        self, world: World
    ) -> None:
        a = await create(world, world.alice, name="A")
        b = await create(world, world.alice, name="B", parent_sid=a["partner_sid"])
        c = await create(world, world.alice, name="C", parent_sid=b["partner_sid"])
        actor = Actor(world.alice.account_id, None, frozenset(ALL_SCOPES))
        async with world.runtime.db.transaction() as uow:
            me = await core_partners.acting(uow, actor)
            _, found, _ = await core_partners.list(uow, actor, query=CoreListQuery(limit=10))
        by_sid = {p.partner_sid: p for p in found}
        loaded = [me, by_sid[a["partner_sid"]], by_sid[c["partner_sid"]]]
        tree, shown = core.build_tree(me, loaded)
        assert shown == 3
        [node_a] = tree.children
        [node_c] = node_a.children
        assert node_c.partner.partner_sid == c["partner_sid"] and node_c.detached
        assert not node_a.detached
        orphan, _ = core.build_tree(me, [me, by_sid[c["partner_sid"]]])
        assert [n.partner.partner_sid for n in orphan.children] == [c["partner_sid"]]


class TestPartnerPage:
    def test_the_form_offers_exactly_what_patch_may_change(self) -> None:
        assert sorted(core.FORM_FIELDS) == sorted(rules.UPDATABLE)

    async def test_the_page_shows_facts_a_form_and_history(
        self, world: World, console: Console
    ) -> None:
        partner = await create(world, world.alice, name="Acme", attributes={"tier": "gold"})
        page = await console.get(f"{PAGE}/{partner['partner_sid']}")
        assert page.status_code == 200
        html = page.text
        assert "<h1>Partner Acme" in html
        assert re.search(r'id="fact-login">' + partner["login"] + "<", html)
        assert 'id="partner-form"' in html and 'for="f-owner_email"' in html
        assert 'for="f-attributes"' in html and "&#34;tier&#34;: &#34;gold&#34;" in html
        assert 'name="version" value="1"' in html
        text = text_of(html)
        assert "History (1 change)" in text and "via core" in text

    async def test_a_saved_edit_reaches_the_api_and_history_says_console(
        self, world: World, console: Console
    ) -> None:
        partner = await create(world, world.alice, name="Acme", city="Long Beach")
        sid = partner["partner_sid"]
        await console.get(f"{PAGE}/{sid}")
        response = await console.post(
            f"{PAGE}/{sid}",
            {
                "version": "1",
                "name": "Acme Corp",
                "city": "",
                "zip": partner["zip"],
                "attributes": '{"tier": "silver"}',
                "callbacks": "",
            },
        )
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"{PAGE}/{sid}?done=saved"
        stored = await get(world, world.alice, sid)
        assert stored["name"] == "Acme Corp" and stored["city"] is None
        assert stored["attributes"] == {"tier": "silver"} and stored["zip"] == partner["zip"]
        [latest, _] = await _history(world, sid)
        assert latest["surface"] == "console"
        assert latest["changes"] == {
            "attributes": {"old": {}, "new": {"tier": "silver"}},
            "city": {"old": "Long Beach", "new": None},
            "name": {"old": "Acme", "new": "Acme Corp"},
        }
        page = await console.get(f"{PAGE}/{sid}?done=saved")
        text = text_of(page.text)
        assert "Saved." in text and "via console" in text
        assert "name Acme Acme Corp" in text and "city Long Beach ∅" in text

    async def test_the_whole_object_replaces_attributes(
        self, world: World, console: Console
    ) -> None:
        partner = await create(world, world.alice, attributes={"a": 1, "b": 2})
        sid = partner["partner_sid"]
        await console.get(f"{PAGE}/{sid}")
        response = await console.post(f"{PAGE}/{sid}", {"attributes": '{"a": 1}'})
        assert response.status_code == 303
        assert (await get(world, world.alice, sid))["attributes"] == {"a": 1}

    async def test_an_unchanged_form_writes_nothing(self, world: World, console: Console) -> None:
        partner = await create(world, world.alice, name="Same", acls=[])
        sid = partner["partner_sid"]
        page = await console.get(f"{PAGE}/{sid}")
        values = dict(
            re.findall(r'<input id="f-(\w+)" name="\w+" type="text" value="([^"]*)"', page.text)
        )
        assert values["name"] == "Same"
        response = await console.post(f"{PAGE}/{sid}", {"version": "1", **values, "acls": "[]"})
        assert response.status_code == 303
        assert len(await _history(world, sid)) == 1

    async def test_bad_fields_get_the_apis_own_messages_and_nothing_changes(
        self, world: World, console: Console
    ) -> None:
        partner = await create(world, world.alice, name="Acme")
        sid = partner["partner_sid"]
        bad: dict[str, Any] = {
            "owner_email": "not-an-email",
            "phonenumber": "call me",
            "city": "x" * 5000,
            "acls": [{"direction": "sideways"}],
            "callbacks": {"sms": "not a url"},
        }
        expected = await _api_messages(world, sid, bad)
        await console.get(f"{PAGE}/{sid}")
        form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in bad.items()}
        response = await console.post(f"{PAGE}/{sid}", {"version": "1", **form})
        assert response.status_code == 422
        shown = " ".join(
            errors_of(response.text, name)
            for name in ("owner_email", "phonenumber", "city", "acls", "callbacks")
        )
        for message in expected:
            assert message in shown, message
        assert 'aria-invalid="true"' in response.text
        assert "not-an-email" in response.text  # the posted values are shown again
        assert (await get(world, world.alice, sid)) == partner
        assert len(await _history(world, sid)) == 1

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("name", "", "name must not be null."),
            ("attributes", "{not json", "Invalid JSON in attributes"),
            ("attributes", "[1, 2]", "attributes must be an object."),
            ("transformations", '{"a": 1}', "transformations must be an array."),
            ("attributes", "[" * 40 + "]" * 40, "nests deeper than"),
            ("tech_email", "²@example.com" + "x" * 300, "tech_email"),
            ("version", "²", "version must be the version the form was loaded with."),
        ],
    )
    async def test_hostile_values_are_refused_by_field(
        self, world: World, console: Console, field: str, value: str, message: str
    ) -> None:
        partner = await create(world, world.alice)
        sid = partner["partner_sid"]
        await console.get(f"{PAGE}/{sid}")
        response = await console.post(f"{PAGE}/{sid}", {"city": "Changed", field: value})
        assert response.status_code == 422, response.text
        if field == "version":
            assert message in text_of(response.text)
        else:
            assert message in errors_of(response.text, field)
        assert (await get(world, world.alice, sid))["city"] == partner["city"]

    async def test_a_nul_is_refused(self, world: World, console: Console) -> None:
        partner = await create(world, world.alice)
        sid = partner["partner_sid"]
        await console.get(f"{PAGE}/{sid}")
        response = await console.post(f"{PAGE}/{sid}", {"city": "a\x00b"})
        assert response.status_code == 422
        assert (await get(world, world.alice, sid))["city"] == partner["city"]

    async def test_a_stale_form_is_refused_with_the_current_values(
        self, world: World, console: Console
    ) -> None:
        partner = await create(world, world.alice, name="Acme")
        sid = partner["partner_sid"]
        await console.get(f"{PAGE}/{sid}")
        changed = await world.client.patch(
            f"{PARTNERS}/{sid}", json={"city": "Elsewhere"}, headers=headers(world.alice)
        )
        assert changed.status_code == 200
        response = await console.post(f"{PAGE}/{sid}", {"version": "1", "name": "Mine"})
        assert response.status_code == 412
        assert (
            "This partner was changed since this form was loaded (it is now at version 2)"
            in text_of(response.text)
        )
        assert 'name="version" value="2"' in response.text
        assert (await get(world, world.alice, sid))["name"] == "Acme"

    async def test_acls_are_the_partners_own(self, world: World, console_as: SignIn) -> None:
        child = await create(world, world.alice, login="acl-child")
        sid = child["partner_sid"]
        alice = await console_as(world.alice.token)
        page = await alice.get(f"{PAGE}/{sid}")
        assert re.search(r'<textarea id="f-acls"[^>]*readonly', page.text)
        refused = await alice.post(f"{PAGE}/{sid}", {"acls": json.dumps([ACL])})
        assert refused.status_code == 403
        assert "acls can only be set by the partner itself" in text_of(refused.text)
        own = await console_as(await login(world, "acl-child"))
        assert not re.search(
            r'<textarea id="f-acls"[^>]*readonly', (await own.get(f"{PAGE}/{sid}")).text
        )
        saved = await own.post(f"{PAGE}/{sid}", {"acls": json.dumps([ACL])})
        assert saved.status_code == 303
        assert (await get(world, world.alice, sid))["acls"] == [ACL]

    async def test_post_without_csrf_is_refused(self, world: World, console: Console) -> None:
        partner = await create(world, world.alice, name="Acme")
        sid = partner["partner_sid"]
        await console.get(f"{PAGE}/{sid}")
        response = await console.post(f"{PAGE}/{sid}", {"name": "Forged"}, csrf=False)
        assert response.status_code == 403
        assert (await get(world, world.alice, sid))["name"] == "Acme"


class TestScopesAndTenancy:
    async def test_without_a_partners_scope_the_area_is_disabled_and_403(
        self, world: World, console_as: SignIn
    ) -> None:
        sid = (await root(world, world.alice))["partner_sid"]
        console = await console_as(await world.token(world.alice, ["hood.partners.read"]))
        home = await console.get("/console")
        assert re.search(
            r'<span class="disabled" aria-disabled="true"[^>]*>Core partner tree', home.text
        )
        assert (await console.get("/console/core")).status_code == 403
        assert (await console.get(f"{PAGE}/{sid}")).status_code == 403
        assert (await console.post(f"{PAGE}/{sid}", {"city": "X"})).status_code == 403
        assert (await get(world, world.alice, sid))["city"] is None

    async def test_read_only_token_sees_no_form_and_cannot_post(
        self, world: World, console_as: SignIn
    ) -> None:
        partner = await create(world, world.alice, name="Acme")
        sid = partner["partner_sid"]
        console = await console_as(await world.token(world.alice, ["partners.read"]))
        page = await console.get(f"{PAGE}/{sid}")
        assert page.status_code == 200
        assert 'id="partner-form"' not in page.text and 'id="read-only"' in page.text
        response = await console.post(f"{PAGE}/{sid}", {"name": "Forged"})
        assert response.status_code == 403
        assert (await get(world, world.alice, sid))["name"] == "Acme"

    async def test_another_accounts_and_malformed_sids_are_unknown(
        self, world: World, console: Console
    ) -> None:
        bob_root = await root(world, world.bob)
        await console.get("/console/core")
        for sid in (bob_root["partner_sid"], "not-a-sid", "²", "9" * 300):
            assert (await console.get(f"{PAGE}/{sid}")).status_code == 404, sid
            assert (await console.post(f"{PAGE}/{sid}", {"city": "X"})).status_code == 404, sid
        assert (await get(world, world.bob, bob_root["partner_sid"]))["city"] is None

    async def test_bad_history_page_is_422(self, world: World, console: Console) -> None:
        sid = (await root(world, world.alice))["partner_sid"]
        for page in ("0", "²", "x", "9" * 30):
            response = await console.get(f"{PAGE}/{sid}", page=page)
            assert response.status_code == 422, page
