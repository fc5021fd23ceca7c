"""POST /v1/hood/partners: the created object, enums, required fields and the nested rules."""

from __future__ import annotations

from typing import Any

from harness import World
from surfaces.hood.kit import (
    HOOD_TIME,
    PARTNERS,
    UUID,
    assert_error,
    create_partner,
    get_partner,
    json_headers,
    partner_body,
    total,
)

LEGACY_CONTACT = {
    "email": "office@example.com",
    "phone": "+1 415 555 0100",
    "mobile": "+38160333444",
    "sip": "5259oskZYi9sw8",
    "skype": "dfa223ghjk",
    "website": "https://example.com/partners",
}
PAYMENT_TERMS_VALUES = {
    "payment_frequency": ("monthly", "quarterly", "annually"),
    "payment_method": ("bank-transfer", "card", "paypal"),
    "net_terms": ("net30", "net45", "net60", "net90"),
    "currency_code": ("usd", "eur"),
}
BAD_ENUMS: list[tuple[dict[str, Any], str]] = [
    ({"status": "deleted"}, "status"),
    ({"status": "Active"}, "status"),
    ({"type": ["reseller"]}, "type.0"),
    ({"type": "publisher"}, "type"),
    ({"payment_terms": {"payment_frequency": "weekly"}}, "payment_terms.payment_frequency"),
    ({"payment_terms": {"payment_method": "cash"}}, "payment_terms.payment_method"),
    ({"payment_terms": {"net_terms": "net15"}}, "payment_terms.net_terms"),
    ({"payment_terms": {"currency_code": "USD"}}, "payment_terms.currency_code"),
    ({"payment_terms": {"currency_code": "gbp"}}, "payment_terms.currency_code"),
]
BAD_CONTACTS: list[tuple[dict[str, Any], str]] = [
    ({"contact": {"email": "not-an-address"}}, "contact.email"),
    ({"contact": {"email": "a@b@example.com"}}, "contact.email"),
    ({"contact": {"phone": "12"}}, "contact.phone"),
    ({"contact": {"phone": "1234567890123456"}}, "contact.phone"),
    ({"contact": {"mobile": "+1-800-FLOWERS"}}, "contact.mobile"),
    ({"contact": {"website": "not a host"}}, "contact.website"),
    ({"contact": {"website": "ftp://example.com"}}, "contact.website"),
    ({"contact": {"sip": ""}}, "contact.sip"),
    ({"contact": {"skype": "s" * 256}}, "contact.skype"),
    ({"contacts": [{"type": "email", "value": "nope"}]}, "contacts.0.value"),
    ({"contacts": [{"type": "phone", "value": "call me"}]}, "contacts.0.value"),
    ({"contacts": [{"type": "fax", "value": "+123456"}]}, "contacts.0.type"),
    ({"contacts": [{"type": "email"}]}, "contacts.0.value"),
    ({"contacts": [{"value": "a@example.com"}]}, "contacts.0.type"),
    ({"contacts": [{"type": "sip", "value": 5}]}, "contacts.0.value"),
    ({"contacts": {"type": "sip", "value": "x"}}, "contacts"),
]


class TestCreatePartner:
    async def test_answers_201_with_the_full_object(self, world: World) -> None:
        alice = world.alice
        response = await world.client.post(
            PARTNERS, json=partner_body(alice), headers=alice.headers()
        )
        assert response.status_code == 201, response.text
        created = response.json()
        assert created["id"].isdigit()
        assert created["company_id"] == str(alice.account_id)
        assert created["manager_ids"] == [alice.member_ids[0]]
        assert created["managers"] == [
            {
                "id": alice.member_ids[0],
                "name": "alice manager 0",
                "email": "manager0@alice.example",
                "status": "active",
            }
        ]
        assert created["name"] == "Hairdressing Claire"
        assert created["description"] == "test description"
        assert created["type"] == ["publisher"]
        assert created["status"] == "active"
        assert created["payment_terms"] == partner_body(alice)["payment_terms"]
        assert created["billing_address"] == partner_body(alice)["billing_address"]
        assert created["contact"] == {"mobile": "+38160333444"}
        [contact] = created["contacts"]
        assert UUID.fullmatch(contact["id"])
        assert contact == {"id": contact["id"], "type": "mobile", "value": "+38160333444"}
        assert created["archived"] == 0
        assert created["system"] == 0
        assert HOOD_TIME.fullmatch(created["create_time"])
        assert HOOD_TIME.fullmatch(created["update_time"])
        assert response.headers["location"] == f"{PARTNERS}/{created['id']}"
        assert response.headers["etag"] == '"1"'

    async def test_get_answers_the_created_object_and_ids_are_distinct(self, world: World) -> None:
        first = await create_partner(world, world.alice)
        second = await create_partner(world, world.alice, name="Second")
        assert await get_partner(world, world.alice, first["id"]) == first
        assert int(second["id"]) > int(first["id"])

    async def test_every_documented_enum_value_accepted(self, world: World) -> None:
        for status in ("active", "inactive", "pending", "suspended", "terminated"):
            created = await create_partner(world, world.alice, status=status)
            assert created["status"] == status
        for types in (["advertiser"], ["publisher"], ["advertiser", "publisher"]):
            created = await create_partner(world, world.alice, type=types)
            assert created["type"] == types
        for field, values in PAYMENT_TERMS_VALUES.items():
            for value in values:
                terms = {**partner_body(world.alice)["payment_terms"], field: value}
                created = await create_partner(world, world.alice, payment_terms=terms)
                assert created["payment_terms"][field] == value

    async def test_unknown_enum_value_or_wrong_type_names_the_field(self, world: World) -> None:
        for override, field in BAD_ENUMS:
            body = partner_body(world.alice)
            for key, value in override.items():
                body[key] = {**body[key], **value} if isinstance(value, dict) else value
            response = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
            assert_error(response, 400, field)
        body = partner_body(world.alice, name=5, description=["x"], manager_ids="1")
        response = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        assert_error(response, 400, "name", "description", "manager_ids")
        assert await total(world, world.alice) == 0

    async def test_missing_or_null_required_fields_are_each_named(self, world: World) -> None:
        response = await world.client.post(
            PARTNERS, json={"description": "only"}, headers=world.alice.headers()
        )
        body = assert_error(response, 400)
        for field in ("name", "type", "status", "manager_ids"):
            assert f"{field} is required" in body["message"]
        for field in ("name", "type", "status", "manager_ids"):
            body = partner_body(world.alice)
            del body[field]
            response = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
            assert_error(response, 400, f"{field} is required")
            response = await world.client.post(
                PARTNERS, json={**body, field: None}, headers=world.alice.headers()
            )
            assert_error(response, 400, field)
        assert await total(world, world.alice) == 0

    async def test_empty_or_oversized_values_refused(self, world: World) -> None:
        overrides: list[dict[str, Any]] = [
            {"type": []},
            {"manager_ids": []},
            {"name": ""},
            {"name": "   "},
            {"name": "x" * 256},
            {"description": "d" * 2001},
        ]
        for override in overrides:
            [field] = override
            response = await world.client.post(
                PARTNERS, json=partner_body(world.alice, **override), headers=world.alice.headers()
            )
            assert_error(response, 400, field)
        assert await total(world, world.alice) == 0


class TestCreatePartnerNestedObjects:
    async def test_partial_object_names_its_missing_fields(self, world: World) -> None:
        body = partner_body(world.alice, payment_terms={"payment_frequency": "monthly"})
        response = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        error = assert_error(
            response,
            400,
            "payment_terms.payment_method",
            "payment_terms.net_terms",
            "payment_terms.currency_code",
        )
        assert "payment_terms.payment_frequency" not in error["message"]
        body = partner_body(world.alice, billing_address={"city": "Toronto"})
        response = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        error = assert_error(
            response,
            400,
            "billing_address.street",
            "billing_address.post_code",
            "billing_address.country",
        )
        assert "billing_address.city" not in error["message"]
        assert await total(world, world.alice) == 0

    async def test_absent_empty_or_null_objects_are_fine(self, world: World) -> None:
        body = partner_body(world.alice)
        del body["payment_terms"], body["billing_address"]
        response = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        assert response.status_code == 201, response.text
        assert (response.json()["payment_terms"], response.json()["billing_address"]) == (
            None,
            None,
        )
        created = await create_partner(world, world.alice, payment_terms={}, billing_address=None)
        assert (created["payment_terms"], created["billing_address"]) == (None, None)

    async def test_country_is_case_insensitive_in_and_upper_case_out(self, world: World) -> None:
        address = {**partner_body(world.alice)["billing_address"], "country": "rs"}
        created = await create_partner(world, world.alice, billing_address=address)
        assert created["billing_address"]["country"] == "RS"
        for country in ("XX", "USA", "u", "", "1A", "ÜS", 44):
            address = {**partner_body(world.alice)["billing_address"], "country": country}
            response = await world.client.post(
                PARTNERS,
                json=partner_body(world.alice, billing_address=address),
                headers=world.alice.headers(),
            )
            assert_error(response, 400, "billing_address.country")
        assert await total(world, world.alice) == 1

    async def test_postal_code_accepted_and_answered_as_post_code(self, world: World) -> None:
        address = {"street": "Victoria Park Ave", "city": "Toronto", "postal_code": "M4B 2J8"}
        address["country"] = "ca"
        created = await create_partner(world, world.alice, billing_address=address)
        assert created["billing_address"] == {
            "street": "Victoria Park Ave",
            "city": "Toronto",
            "post_code": "M4B 2J8",
            "country": "CA",
        }
        got = await get_partner(world, world.alice, created["id"])
        assert "postal_code" not in got["billing_address"]


class TestCreatePartnerManagers:
    async def test_managers_resolved_and_ids_answered_as_strings(self, world: World) -> None:
        created = await create_partner(world, world.alice, manager_ids=world.alice.member_ids)
        assert created["manager_ids"] == world.alice.member_ids
        assert [m["id"] for m in created["managers"]] == world.alice.member_ids
        member = world.alice.member_ids[0]
        created = await create_partner(world, world.alice, manager_ids=[int(member), member])
        assert created["manager_ids"] == [member]

    async def test_non_member_or_another_accounts_member_refused(self, world: World) -> None:
        managers: list[Any] = ["999999999", "abc", "", "1.5", 0, None, "1" * 30]
        for manager in [*managers, world.bob.member_ids[0]]:
            response = await world.client.post(
                PARTNERS,
                json=partner_body(world.alice, manager_ids=[manager]),
                headers=world.alice.headers(),
            )
            assert_error(response, 400, "manager_ids")
        assert await total(world, world.alice) == 0
        assert await total(world, world.bob) == 0


class TestCreatePartnerContacts:
    async def test_contacts_list_and_legacy_contact_both_work(self, world: World) -> None:
        contacts = [
            {"type": "email", "value": "a@example.com"},
            {"type": "email", "value": "b@example.com"},
            {"type": "website", "value": "example.com"},
        ]
        created = await create_partner(world, world.alice, contacts=contacts)
        assert [{"type": c["type"], "value": c["value"]} for c in created["contacts"]] == contacts
        assert created["contact"] == {"email": "a@example.com", "website": "example.com"}

        body = partner_body(world.alice, contact=LEGACY_CONTACT)
        del body["contacts"]
        response = await world.client.post(PARTNERS, json=body, headers=world.alice.headers())
        assert response.status_code == 201, response.text
        created = response.json()
        assert created["contact"] == LEGACY_CONTACT
        assert {(c["type"], c["value"]) for c in created["contacts"]} == set(LEGACY_CONTACT.items())

        created = await create_partner(world, world.alice, contact={"skype": "live:claire"})
        assert created["contact"] == {"skype": "live:claire", "mobile": "+38160333444"}
        assert len(created["contacts"]) == 2

        created = await create_partner(world, world.alice, contacts=[])
        assert (created["contacts"], created["contact"]) == ([], {})

    async def test_invalid_contact_names_the_field(self, world: World) -> None:
        for override, field in BAD_CONTACTS:
            response = await world.client.post(
                PARTNERS, json=partner_body(world.alice, **override), headers=world.alice.headers()
            )
            assert_error(response, 400, field)
        assert await total(world, world.alice) == 0

    async def test_long_local_part_accepted_but_not_over_254_characters(self, world: World) -> None:
        address = "x" * 99 + "@example.com"
        created = await create_partner(world, world.alice, contact={"email": address})
        assert created["contact"]["email"] == address
        address = "x" * 64 + "@" + ".".join(["d" * 60] * 3) + ".example.com"
        assert len(address) > 254
        response = await world.client.post(
            PARTNERS,
            json=partner_body(world.alice, contact={"email": address}),
            headers=world.alice.headers(),
        )
        assert_error(response, 400, "contact.email")


class TestCreatePartnerRejectsCreateNothing:
    async def test_rejected_requests_leave_no_partner_and_no_contact(self, world: World) -> None:
        alice = world.alice
        bad_bodies: list[Any] = [
            {},
            partner_body(alice, status="nope"),
            partner_body(alice, manager_ids=["1"]),
            partner_body(alice, payment_terms={"net_terms": "net30"}),
            partner_body(alice, contacts=[{"type": "email", "value": "x"}]),
            partner_body(alice, name="a\u0000b"),
            [partner_body(alice)],
        ]
        for body in bad_bodies:
            response = await world.client.post(PARTNERS, json=body, headers=alice.headers())
            assert response.status_code == 400, (body, response.text)
        bad_raw = [b"{", b'"{"', b"", b"null"]
        for raw in bad_raw:
            response = await world.client.post(PARTNERS, content=raw, headers=json_headers(alice))
            assert response.status_code == 400, (raw, response.text)
        assert await total(world, alice) == 0
        assert await total(world, alice, archived="1") == 0
