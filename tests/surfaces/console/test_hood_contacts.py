"""A partner's contacts in the console: add, the contact page, edit, delete, history."""

from __future__ import annotations

import uuid

import pytest

from harness import Tenant, World
from surfaces.console import hood_kit as k
from surfaces.console.kit import Console, SignIn, field_errors, text_of

LIST = "/console/hood/partners"


async def _contacts(world: World, pid: str, tenant: Tenant | None = None) -> list[dict[str, str]]:
    found: list[dict[str, str]] = (await k.api(world, f"partners/{pid}", tenant))["contacts"]
    return found


async def _first(world: World, pid: str, tenant: Tenant | None = None) -> tuple[str, str]:
    """The partner's first contact's id and its page."""
    cid = (await _contacts(world, pid, tenant))[0]["id"]
    return cid, f"{LIST}/{pid}/contacts/{cid}"


class TestAdd:
    async def test_adds_a_contact(self, world: World, console: Console) -> None:
        pid = await k.partner(world)
        await console.get(f"{LIST}/{pid}")
        response = await console.post(
            f"{LIST}/{pid}/contacts", {"type": "email", "value": "desk@claire.example"}
        )
        assert response.status_code == 303, text_of(response.text)
        assert response.headers["location"] == f"{LIST}/{pid}?done=created"
        added = (await _contacts(world, pid))[-1]
        assert (added["type"], added["value"]) == ("email", "desk@claire.example")
        (entry,) = await k.api_history(world, f"partners/{pid}/contacts/{added['id']}")
        assert entry["surface"] == "console"
        page = await console.get(f"{LIST}/{pid}")
        assert k.row(page.text, f"contact-{added['id']}").startswith("email desk@claire.example")

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"type": "email", "value": ""}, "value", "value is required."),
            ({"type": "fax", "value": "123"}, "type", "type must be one of email, phone"),
            ({"type": "", "value": "x"}, "type", "type is required."),
            ({"type": "email", "value": "not-an-address"}, "", "value"),
            ({"type": "phone", "value": "²²²²²²"}, "", "value"),
            ({"type": "skype", "value": "s" * 256}, "", "value"),
        ],
    )
    async def test_the_apis_message_and_nothing_added(
        self, world: World, console: Console, data: dict[str, str], field: str, message: str
    ) -> None:
        pid = await k.partner(world)
        await console.get(f"{LIST}/{pid}")
        response = await console.post(f"{LIST}/{pid}/contacts", data)
        assert response.status_code == 422, text_of(response.text)
        if field:
            assert any(message in m for m in field_errors(response.text, field))
        else:  # the API names no field: the form's own summary shows it
            assert message in text_of(response.text.split('id="add-contact"')[1])
        assert 'id="add-contact"' in response.text
        assert len(await _contacts(world, pid)) == 1

    async def test_without_csrf_nothing_is_added(self, world: World, console: Console) -> None:
        pid = await k.partner(world)
        response = await console.post(
            f"{LIST}/{pid}/contacts", {"type": "email", "value": "a@b.example"}, csrf=False
        )
        assert response.status_code == 403
        assert len(await _contacts(world, pid)) == 1


class TestContactPage:
    async def test_shows_the_contact_and_its_history(self, world: World, console: Console) -> None:
        pid = await k.partner(world)
        cid, path = await _first(world, pid)
        page = await console.get(path)
        assert page.status_code == 200
        assert f"<dt>id</dt><dd>{cid}</dd>" in page.text
        assert "<h1>Contact mobile +38160333444</h1>" in page.text
        assert "History (1 change)" in text_of(page.text)
        assert '<label for="f-value">Contact value' in page.text

    async def test_edit_with_history(self, world: World, console: Console) -> None:
        pid = await k.partner(world)
        cid, path = await _first(world, pid)
        await console.get(path)
        response = await console.post(
            path, {"version": "1", "type": "phone", "value": "+38160999888"}
        )
        assert response.status_code == 303, text_of(response.text)
        assert response.headers["location"] == f"{path}?done=saved"
        assert (await _contacts(world, pid))[0] == {
            "id": cid,
            "type": "phone",
            "value": "+38160999888",
        }
        page = await console.get(path)
        assert k.timeline_surfaces(page.text) == ["console", "hood"]
        assert "type mobile phone value +38160333444 +38160999888" in text_of(page.text)

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"type": "phone", "value": ""}, "value", "value"),
            ({"type": "email", "value": "+38160333444"}, "value", "value"),
            ({"type": "pager", "value": "1"}, "type", "type must be one of"),
        ],
    )
    async def test_a_bad_edit_changes_nothing(
        self, world: World, console: Console, data: dict[str, str], field: str, message: str
    ) -> None:
        pid = await k.partner(world)
        _, path = await _first(world, pid)
        before = await _contacts(world, pid)
        await console.get(path)
        response = await console.post(path, {"version": "1", **data})
        assert response.status_code == 422, text_of(response.text)
        assert any(message in m for m in field_errors(response.text, field)), text_of(response.text)
        assert await _contacts(world, pid) == before

    async def test_a_stale_edit_is_412(self, world: World, console: Console) -> None:
        pid = await k.partner(world)
        _, path = await _first(world, pid)
        await console.get(path)
        response = await console.post(path, {"version": "9", "type": "mobile", "value": "+1555"})
        assert response.status_code == 412
        assert "This contact was changed since this form was loaded" in text_of(response.text)

    async def test_delete(self, world: World, console: Console) -> None:
        pid = await k.partner(world)
        cid, path = await _first(world, pid)
        await console.get(path)
        response = await console.post(f"{path}/delete", {"version": "1"})
        assert response.status_code == 303
        assert response.headers["location"] == f"{LIST}/{pid}?done=deleted"
        assert await _contacts(world, pid) == []
        assert (await console.get(path)).status_code == 404
        history = await k.api_history(world, f"partners/{pid}/contacts/{cid}")
        assert (history[0]["action"], history[0]["surface"]) == ("delete", "console")

    async def test_delete_without_csrf_is_refused(self, world: World, console: Console) -> None:
        pid = await k.partner(world)
        _, path = await _first(world, pid)
        assert (
            await console.post(f"{path}/delete", {"version": "1"}, csrf=False)
        ).status_code == 403
        assert len(await _contacts(world, pid)) == 1

    async def test_unknown_contacts_are_404(self, world: World, console: Console) -> None:
        pid = await k.partner(world)
        other = await k.partner(world)
        bobs = await k.partner(world, world.bob)
        cid, _ = await _first(world, other)
        bob_cid, _ = await _first(world, bobs, world.bob)
        await console.get(f"{LIST}/{pid}")
        for path in (
            f"{LIST}/{pid}/contacts/{cid}",  # another partner's contact
            f"{LIST}/{pid}/contacts/{uuid.uuid4()}",
            f"{LIST}/{pid}/contacts/not-a-uuid",
            f"{LIST}/{bobs}/contacts/{bob_cid}",
            f"{LIST}/²/contacts/{cid}",
        ):
            assert (await console.get(path)).status_code == 404, path
            response = await console.post(path, {"type": "email", "value": "x@y.example"})
            assert response.status_code == 404, path
            assert (await console.post(f"{path}/delete", {})).status_code == 404, path
        assert len(await _contacts(world, other)) == 1

    async def test_read_only(self, world: World, console_as: SignIn) -> None:
        pid = await k.partner(world)
        _, path = await _first(world, pid)
        console = await console_as(await world.token(world.alice, ["hood.partners.read"]))
        page = await console.get(path)
        assert page.status_code == 200 and 'id="edit-contact"' not in page.text
        assert (
            await console.post(path, {"type": "email", "value": "a@b.example"})
        ).status_code == 403
        assert (await console.post(f"{path}/delete", {})).status_code == 403
        assert len(await _contacts(world, pid)) == 1
