"""Idempotency-Key on POST /partners and POST /partners/{id}/contacts."""

from __future__ import annotations

from harness import World
from surfaces.hood.kit import PARTNERS, assert_error, create_partner, partner_body, total


class TestIdempotentCreatePartner:
    async def test_same_key_same_body_replays_the_first_answer(self, world: World) -> None:
        headers = world.alice.headers(**{"Idempotency-Key": "create-1"})
        body = partner_body(world.alice)
        first = await world.client.post(PARTNERS, json=body, headers=headers)
        second = await world.client.post(PARTNERS, json=body, headers=headers)
        assert (first.status_code, second.status_code) == (201, 201), second.text
        assert second.content == first.content
        assert second.json()["id"] == first.json()["id"]
        assert "idempotent-replayed" not in first.headers
        assert second.headers["idempotent-replayed"] == "true"
        assert second.headers["location"] == first.headers["location"]
        assert second.headers["etag"] == first.headers["etag"]
        assert await total(world, world.alice) == 1

    async def test_same_key_other_body_is_422(self, world: World) -> None:
        headers = world.alice.headers(**{"Idempotency-Key": "create-1"})
        first = await world.client.post(PARTNERS, json=partner_body(world.alice), headers=headers)
        assert first.status_code == 201
        other = await world.client.post(
            PARTNERS, json=partner_body(world.alice, name="Other"), headers=headers
        )
        assert_error(other, 422, "Idempotency-Key")
        assert await total(world, world.alice) == 1

    async def test_accounts_use_keys_independently(self, world: World) -> None:
        mine = await world.client.post(
            PARTNERS,
            json=partner_body(world.alice),
            headers=world.alice.headers(**{"Idempotency-Key": "shared"}),
        )
        theirs = await world.client.post(
            PARTNERS,
            json=partner_body(world.bob),
            headers=world.bob.headers(**{"Idempotency-Key": "shared"}),
        )
        assert (mine.status_code, theirs.status_code) == (201, 201), theirs.text
        assert "idempotent-replayed" not in theirs.headers
        assert theirs.json()["company_id"] == str(world.bob.account_id)
        assert await total(world, world.alice) == 1
        assert await total(world, world.bob) == 1

    async def test_without_a_key_each_post_creates_and_oversized_key_is_refused(
        self, world: World
    ) -> None:
        body = partner_body(world.alice)
        for _ in range(2):
            response = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
            assert response.status_code == 201
        assert await total(world, world.alice) == 2
        headers = world.alice.headers(**{"Idempotency-Key": "k" * 256})
        response = await world.client.post(
            PARTNERS, json=partner_body(world.alice), headers=headers
        )
        assert_error(response, 400, "Idempotency-Key")
        assert await total(world, world.alice) == 2

    async def test_rejected_create_does_not_burn_the_key(self, world: World) -> None:
        headers = world.alice.headers(**{"Idempotency-Key": "retry-me"})
        bad = partner_body(world.alice, manager_ids=[world.bob.member_ids[0]])
        assert_error(await world.client.post(PARTNERS, json=bad, headers=headers), 400)
        good = await world.client.post(PARTNERS, json=partner_body(world.alice), headers=headers)
        assert good.status_code == 201, good.text
        assert "idempotent-replayed" not in good.headers


class TestIdempotentCreateContact:
    async def test_same_key_same_body_replays(self, world: World) -> None:
        created = await create_partner(world, world.alice, contacts=[])
        path = f"{PARTNERS}/{created['id']}/contacts"
        headers = world.alice.headers(**{"Idempotency-Key": "contact-1"})
        body = {"type": "skype", "value": "claire"}
        first = await world.client.post(path, json=body, headers=headers)
        second = await world.client.post(path, json=body, headers=headers)
        assert (first.status_code, second.status_code) == (201, 201)
        assert second.json() == first.json()
        assert second.headers["idempotent-replayed"] == "true"
        listed = await world.client.get(path, headers=world.alice.headers())
        assert listed.json()["total"] == 1
        other = await world.client.post(
            path, json={"type": "skype", "value": "other"}, headers=headers
        )
        assert_error(other, 422)
