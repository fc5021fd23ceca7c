"""The console's partner page: its facts and sections, the edit form (PATCH semantics, the
status cascade, stale versions), archive and unarchive, scopes and tenancy."""

from __future__ import annotations

from typing import Any

import pytest

from harness import World
from surfaces.console import hood_kit as k
from surfaces.console.kit import Console, SignIn, field_errors, text_of

LIST = "/console/hood/partners"


async def _edit_form(world: World, pid: str, **overrides: Any) -> dict[str, Any]:
    """The edit form as the page fills it, with `overrides`."""
    p = await k.api(world, f"partners/{pid}")
    terms, address = p["payment_terms"] or {}, p["billing_address"] or {}
    return {
        "version": str(await _version(world, pid)),
        "name": p["name"],
        "description": p["description"] or "",
        "status": p["status"],
        "manager_ids": ["", *p["manager_ids"]],
        **{
            f"payment_terms.{key}": terms.get(key, "")
            for key in ("payment_frequency", "payment_method", "net_terms", "currency_code")
        },
        **{
            f"billing_address.{key}": address.get(key, "")
            for key in ("street", "city", "post_code", "country")
        },
        **overrides,
    }


async def _version(world: World, pid: str) -> int:
    response = await world.client.get(f"/v1/hood/partners/{pid}", headers=world.alice.headers())
    return int(response.headers["etag"].strip('"'))


class TestPage:
    async def test_shows_the_partner_and_what_hangs_off_it(
        self, world: World, console: Console
    ) -> None:
        pid = await k.partner(world, name="Claire")
        did = await k.deal(world, pid, name="Claire's deal")
        cid = await k.campaign(world, did, name="Claire's campaign")
        iid = await k.integration(world)
        page = await console.get(f"{LIST}/{pid}")
        assert page.status_code == 200
        text = text_of(page.text)
        assert "<h1>Partner Claire</h1>" in page.text
        assert "status active" in text_of(page.text.split('id="partner-facts"')[1])
        contact = (await k.api(world, f"partners/{pid}"))["contacts"][0]
        assert k.row(page.text, f"contact-{contact['id']}").startswith("mobile +38160333444")
        assert k.row(page.text, f"deal-{did}").startswith(f"{did} Claire's deal active active no")
        assert (
            k.row(page.text, f"campaign-{cid}") == f"{cid} Claire's campaign {did} draft draft no"
        )
        assert k.row(page.text, f"integration-{iid}").startswith(f"{iid} Texts twilio sms")
        assert "History (1 change)" in text
        assert '<label for="f-status">Status</label>' in page.text
        assert f'<label for="deal-{did}-status" class="visually-hidden">' in page.text

    @pytest.mark.parametrize("raw", ["999999", "²", "1" * 30, "abc", "-1", "1e3"])
    async def test_unknown_ids_are_404(self, console: Console, raw: str) -> None:
        assert (await console.get(f"{LIST}/{raw}")).status_code == 404

    async def test_another_accounts_partner_is_unknown(
        self, world: World, console: Console
    ) -> None:
        bobs = await k.partner(world, world.bob, name="Bob's")
        page = await console.get(LIST)
        assert (await console.get(f"{LIST}/{bobs}")).status_code == 404
        response = await console.post(f"{LIST}/{bobs}", {"name": "taken over", "status": "active"})
        assert response.status_code == 404
        assert (await console.post(f"{LIST}/{bobs}/archive", {})).status_code == 404
        assert (await k.api(world, f"partners/{bobs}", world.bob))["name"] == "Bob's"
        assert page.status_code == 200

    async def test_history_pages(self, world: World, console: Console) -> None:
        pid = await k.partner(world)
        assert (await console.get(f"{LIST}/{pid}", page="²")).status_code == 422
        assert (await console.get(f"{LIST}/{pid}", page="2")).status_code == 200


class TestEdit:
    async def test_saves_what_changed_with_history_via_console(
        self, world: World, console: Console
    ) -> None:
        pid = await k.partner(world, name="Before")
        await console.get(f"{LIST}/{pid}")
        form = await _edit_form(world, pid, name="After", description="")
        response = await console.post(f"{LIST}/{pid}", form)
        assert response.status_code == 303, text_of(response.text)
        assert response.headers["location"] == f"{LIST}/{pid}?done=saved"
        after = await k.api(world, f"partners/{pid}")
        assert after["name"] == "After" and after["description"] is None
        latest = (await k.api_history(world, f"partners/{pid}"))[0]
        assert latest["surface"] == "console"
        assert latest["changes"] == {
            "name": {"old": "Before", "new": "After"},
            "description": {"old": "test description", "new": None},
        }
        page = await console.get(f"{LIST}/{pid}")
        assert k.timeline_surfaces(page.text)[0] == "console"
        assert "name Before After" in text_of(page.text)

    async def test_status_change_cascades_to_the_deals_shown(
        self, world: World, console: Console
    ) -> None:
        pid = await k.partner(world)
        did = await k.deal(world, pid)
        cid = await k.campaign(world, did)
        await console.get(f"{LIST}/{pid}")
        response = await console.post(
            f"{LIST}/{pid}", await _edit_form(world, pid, status="suspended")
        )
        assert response.status_code == 303, text_of(response.text)
        page = await console.get(f"{LIST}/{pid}")
        assert k.row(page.text, f"deal-{did}").startswith(f"{did} Spring deal active inactive")
        assert k.row(page.text, f"campaign-{cid}").endswith("draft inactive no")
        assert (await k.api(world, f"deals/{did}"))["effective_status"] == "inactive"
        cause = (await k.api_history(world, f"deals/{did}"))[0]
        assert cause["surface"] == "console"
        assert cause["changes"]["effective_status"]["cause"] == f"partner {pid} status"
        await console.post(f"{LIST}/{pid}", await _edit_form(world, pid, status="active"))
        page = await console.get(f"{LIST}/{pid}")
        assert k.row(page.text, f"deal-{did}").startswith(f"{did} Spring deal active active")

    async def test_clearing_the_address_and_terms(self, world: World, console: Console) -> None:
        pid = await k.partner(world)
        await console.get(f"{LIST}/{pid}")
        cleared = {
            f"{group}.{key}": ""
            for group, keys in (
                (
                    "payment_terms",
                    ("payment_frequency", "payment_method", "net_terms", "currency_code"),
                ),
                ("billing_address", ("street", "city", "post_code", "country")),
            )
            for key in keys
        }
        response = await console.post(f"{LIST}/{pid}", await _edit_form(world, pid, **cleared))
        assert response.status_code == 303, text_of(response.text)
        after = await k.api(world, f"partners/{pid}")
        assert after["payment_terms"] is None and after["billing_address"] is None

    async def test_a_stale_form_is_412_and_changes_nothing(
        self, world: World, console: Console
    ) -> None:
        pid = await k.partner(world, name="Original")
        await console.get(f"{LIST}/{pid}")
        form = await _edit_form(world, pid, name="From the console")
        patched = await world.client.patch(
            f"/v1/hood/partners/{pid}", json={"name": "From the API"}, headers=world.alice.headers()
        )
        assert patched.status_code == 204
        response = await console.post(f"{LIST}/{pid}", form)
        assert response.status_code == 412
        text = text_of(response.text)
        assert (
            "This partner was changed since this form was loaded (it is now at version 2)" in text
        )
        assert 'value="From the console"' in response.text
        assert (await k.api(world, f"partners/{pid}"))["name"] == "From the API"

    @pytest.mark.parametrize("version", ["²", '1", *, "1', "x" * 30, "-1"])
    async def test_a_version_that_is_none_is_refused_and_changes_nothing(
        self, world: World, console: Console, version: str
    ) -> None:
        # A version list with `*` in it would match whatever the partner's version is now.
        pid = await k.partner(world, name="Original")
        form = await _edit_form(world, pid, name="From the console", version=version)
        patched = await world.client.patch(
            f"/v1/hood/partners/{pid}", json={"name": "From the API"}, headers=world.alice.headers()
        )
        assert patched.status_code == 204
        await console.get(f"{LIST}/{pid}")
        response = await console.post(f"{LIST}/{pid}", form)
        assert response.status_code == 422
        summary = response.text.split('id="edit-partner"')[1].split("</form>")[0]
        assert "version must be the version the form was loaded with." in text_of(summary)
        assert (await k.api(world, f"partners/{pid}"))["name"] == "From the API"

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"name": ""}, "name", "name must not be blank."),
            ({"name": "n" * 256}, "name", "name must be at most 255 characters."),
            ({"description": "d" * 2001}, "description", "description must be at most 2000"),
            ({"status": ""}, "status", "status must be one of"),
            ({"status": "sleeping"}, "status", "status must be one of"),
            ({"manager_ids": [""]}, "manager_ids", "manager_ids must have at least 1 item(s)."),
            ({"manager_ids": ["", "²"]}, "manager_ids", "manager_ids.0 must hold member ids"),
            (
                {"billing_address.street": ""},
                "billing_address.street",
                "billing_address.street is required once any field of billing_address is given.",
            ),
            (
                {"billing_address.country": "Narnia"},
                "billing_address.country",
                "billing_address.country",
            ),
            (
                {"payment_terms.currency_code": "gbp"},
                "payment_terms.currency_code",
                "payment_terms.currency_code must be one of usd, eur.",
            ),
        ],
    )
    async def test_the_apis_message_next_to_the_field_and_nothing_changed(
        self,
        world: World,
        console: Console,
        overrides: dict[str, Any],
        field: str,
        message: str,
    ) -> None:
        pid = await k.partner(world)
        before = await k.api(world, f"partners/{pid}")
        await console.get(f"{LIST}/{pid}")
        response = await console.post(f"{LIST}/{pid}", await _edit_form(world, pid, **overrides))
        assert response.status_code == 422, text_of(response.text)
        shown = field_errors(response.text, field)
        assert any(message in m for m in shown), (shown, text_of(response.text))
        assert await k.api(world, f"partners/{pid}") == before

    async def test_without_csrf_nothing_changes(self, world: World, console: Console) -> None:
        pid = await k.partner(world, name="Same")
        form = await _edit_form(world, pid, name="Changed")
        assert (await console.post(f"{LIST}/{pid}", form, csrf=False)).status_code == 403
        assert (await console.post(f"{LIST}/{pid}/archive", {}, csrf=False)).status_code == 403
        after = await k.api(world, f"partners/{pid}")
        assert after["name"] == "Same" and after["archived"] == 0


class TestArchive:
    async def test_archive_and_unarchive(self, world: World, console: Console) -> None:
        pid = await k.partner(world)
        page = await console.get(f"{LIST}/{pid}")
        assert 'id="archive-partner"' in page.text
        version = str(await _version(world, pid))
        response = await console.post(f"{LIST}/{pid}/archive", {"version": version})
        assert response.headers["location"] == f"{LIST}/{pid}?done=archived"
        assert (await k.api(world, f"partners/{pid}"))["archived"] == 1
        page = await console.get(response.headers["location"])
        assert "Archived." in text_of(page.text)
        assert 'id="unarchive-partner"' in page.text
        latest = (await k.api_history(world, f"partners/{pid}"))[0]
        assert (latest["action"], latest["surface"]) == ("archive", "console")
        response = await console.post(
            f"{LIST}/{pid}/unarchive", {"version": str(await _version(world, pid))}
        )
        assert response.status_code == 303
        assert (await k.api(world, f"partners/{pid}"))["archived"] == 0

    async def test_a_stale_archive_is_refused(self, world: World, console: Console) -> None:
        pid = await k.partner(world)
        await console.get(f"{LIST}/{pid}")
        response = await console.post(f"{LIST}/{pid}/archive", {"version": "7"})
        assert response.status_code == 412
        assert "was changed since this form was loaded" in text_of(response.text)
        assert (await k.api(world, f"partners/{pid}"))["archived"] == 0


class TestScopes:
    async def test_read_only_sees_no_forms_and_posts_are_403(
        self, world: World, console_as: SignIn
    ) -> None:
        pid = await k.partner(world, name="Looked at")
        console = await console_as(await world.token(world.alice, ["hood.partners.read"]))
        page = await console.get(f"{LIST}/{pid}")
        assert page.status_code == 200
        text = text_of(page.text)
        assert 'id="edit-partner"' not in page.text and 'id="add-contact"' not in page.text
        assert "Read only: changing this needs the scope hood.partners.write." in text
        for section, scope in (
            ("Deals", "hood.deals.read or hood.deals.write"),
            ("Campaigns", "hood.campaigns.read or hood.campaigns.write"),
            ("Integrations", "hood.integrations.read or hood.integrations.write"),
        ):
            assert (
                f"{section} This token cannot see this section: it needs the scope {scope}." in text
            )
        form = await _edit_form(world, pid, name="Not allowed")
        for path, data in (
            (f"{LIST}/{pid}", form),
            (f"{LIST}/{pid}/archive", {}),
            (f"{LIST}/{pid}/contacts", {"type": "email", "value": "a@b.example"}),
        ):
            response = await console.post(path, data)
            assert response.status_code == 403, path
            assert "hood.partners.write" in text_of(response.text)
        after = await k.api(world, f"partners/{pid}")
        assert after["name"] == "Looked at" and len(after["contacts"]) == 1

    async def test_each_section_opens_with_its_own_scope(
        self, world: World, console_as: SignIn
    ) -> None:
        pid = await k.partner(world)
        did = await k.deal(world, pid)
        token = await world.token(world.alice, ["hood.partners.read", "hood.deals.read"])
        console = await console_as(token)
        page = await console.get(f"{LIST}/{pid}")
        assert f'id="deal-{did}"' in page.text
        assert f'action="/console/hood/deals/{did}"' not in page.text
        assert "Read only: changing this needs the scope hood.deals.write." in text_of(page.text)
        assert "it needs the scope hood.campaigns.read" in text_of(page.text)
