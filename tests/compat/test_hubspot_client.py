"""HubSpot's own Python client (`hubspot-api-client`) against a real `partnerhub serve` process.

Runs on the shared SQLite server and on the PostgreSQL + Redis (two workers) server, each test
in an account of its own with raised CRM limits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from compat_servers import Account, Server, ok
from hubspot import HubSpot
from hubspot.crm.objects import (
    BatchInputSimplePublicObjectBatchInput,
    BatchInputSimplePublicObjectBatchInputForCreate,
    BatchInputSimplePublicObjectBatchInputUpsert,
    BatchInputSimplePublicObjectId,
    BatchReadInputSimplePublicObjectId,
    PublicObjectSearchRequest,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.objects.exceptions import (
    ApiException,
    ForbiddenException,
    NotFoundException,
    UnauthorizedException,
)
from hubspot.crm.properties import Option, PropertyCreate

T = "partner_clients"
SEED_VALUES = {
    "property_checkbox": "false",
    "property_date": "1572480000000",
    "property_dropdown": "choice_b",
    "property_multiple_checkboxes": "chocolate;strawberry",
    "property_number": "17",
    "property_radio": "option_1",
    "property_string": "value",
}

pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite", "postgres"])
def server(request: pytest.FixtureRequest) -> Server:
    name = "sqlite_server" if request.param == "sqlite" else "pg_redis_server"
    found: Server = request.getfixturevalue(name)
    return found


@pytest.fixture
def account(server: Server) -> Account:
    created = server.create_account("crm")
    ok(
        server.cli(
            "accounts",
            "limits",
            created.name,
            "--crm",
            "1000/10,1000000/86400",
            "--crm-search",
            "100/1",
        )
    )
    return created


def client(server: Server, token: str) -> Any:
    return HubSpot(access_token=token, host=server.base_url)


def _options(*values: str) -> list[Option]:
    return [
        Option(label=v.title(), value=v, hidden=False, display_order=i)
        for i, v in enumerate(values)
    ]


def define_seed_properties(hs: Any) -> None:
    api = hs.crm.properties.core_api
    group = "partner_client_information"
    specs = [
        ("property_checkbox", "bool", "booleancheckbox", _options("true", "false")),
        ("property_date", "date", "date", None),
        ("property_dropdown", "enumeration", "select", _options("choice_a", "choice_b")),
        (
            "property_multiple_checkboxes",
            "enumeration",
            "checkbox",
            _options("chocolate", "strawberry"),
        ),
        ("property_number", "number", "number", None),
        ("property_radio", "enumeration", "radio", _options("option_1", "option_2")),
        ("property_string", "string", "text", None),
    ]
    for name, type_, field_type, options in specs:
        created = api.create(
            T,
            PropertyCreate(
                name=name,
                label=name.replace("_", " "),
                type=type_,
                field_type=field_type,
                group_name=group,
                options=options,
            ),
        )
        assert created.name == name and created.type == type_
    api.create(
        T,
        PropertyCreate(
            name="domain",
            label="Domain",
            type="string",
            field_type="text",
            group_name=group,
            has_unique_value=True,
        ),
    )


class TestHubSpotClient:
    def test_objects_properties_batches_and_search(self, server: Server, account: Account) -> None:
        hs = client(server, account.token)
        define_seed_properties(hs)
        listed = hs.crm.properties.core_api.get_all(T, archived=False)
        names = {p.name for p in listed.results}
        assert set(SEED_VALUES) | {"domain", "hs_object_id"} <= names

        basic = hs.crm.objects.basic_api
        created = basic.create(
            T,
            SimplePublicObjectInputForCreate(
                properties={"property_string": "first", "domain": "a.example"}
            ),
        )
        assert created is not None and created.id.isdigit()
        assert isinstance(created.created_at, datetime)
        updated = basic.update(T, created.id, SimplePublicObjectInput(properties=SEED_VALUES))
        assert updated is not None
        assert {k: updated.properties[k] for k in SEED_VALUES} == SEED_VALUES

        got = basic.get_by_id(
            T,
            created.id,
            properties=["property_number", "property_string"],
            properties_with_history=["property_string"],
            archived=False,
        )
        assert got.properties["property_number"] == "17"
        history = got.properties_with_history["property_string"]
        assert [h.value for h in history] == ["value", "first"]
        assert isinstance(history[0].timestamp, datetime) and history[0].source_type == "API"
        by_domain = basic.get_by_id(T, "a.example", id_property="domain")
        assert by_domain.id == created.id

        batch = hs.crm.objects.batch_api
        made = batch.create(
            T,
            BatchInputSimplePublicObjectBatchInputForCreate(
                inputs=[{"properties": {"property_number": str(i)}} for i in range(100)]
            ),
        )
        assert made is not None and len(made.results) == 100 and made.status == "COMPLETE"
        more = batch.create(
            T,
            BatchInputSimplePublicObjectBatchInputForCreate(
                inputs=[{"properties": {"property_number": str(100 + i)}} for i in range(4)]
                + [{"properties": {"domain": "a.example"}, "objectWriteTraceId": "dup"}]
            ),
        )
        assert more.num_errors == 1 and len(more.results) == 4
        assert more.errors[0].category == "CONFLICT"

        everything = hs.crm.objects.get_all(T, properties=["property_number"])
        assert len(everything) == 105
        page = basic.get_page(T, limit=2, properties=["property_number"], archived=False)
        assert len(page.results) == 2 and page.paging.next.after

        ids = [r.id for r in made.results[:3]]
        read = batch.read(
            T,
            BatchReadInputSimplePublicObjectId(
                inputs=[{"id": i} for i in [*ids, "999999"]],
                properties=["property_number"],
                properties_with_history=[],
            ),
            archived=False,
        )
        assert read.num_errors == 1 and {r.id for r in read.results} == set(ids)
        assert read.errors[0].category == "OBJECT_NOT_FOUND"

        upd = batch.update(
            T,
            BatchInputSimplePublicObjectBatchInput(
                inputs=[{"id": ids[0], "properties": {"property_string": "batched"}}]
            ),
        )
        assert upd.results[0].properties["property_string"] == "batched"
        ups = batch.upsert(
            T,
            BatchInputSimplePublicObjectBatchInputUpsert(
                inputs=[
                    {
                        "id": "b.example",
                        "idProperty": "domain",
                        "properties": {"property_string": "upserted"},
                    },
                    {
                        "id": "a.example",
                        "idProperty": "domain",
                        "properties": {"property_number": "18"},
                    },
                ]
            ),
        )
        assert sorted(r.properties.get("domain") or "" for r in ups.results) == [
            "a.example",
            "b.example",
        ]

        found = hs.crm.objects.search_api.do_search(
            T,
            PublicObjectSearchRequest(
                filter_groups=[
                    {
                        "filters": [
                            {
                                "propertyName": "property_number",
                                "operator": "BETWEEN",
                                "value": "10",
                                "highValue": "12",
                            }
                        ]
                    }
                ],
                sorts=[{"propertyName": "property_number", "direction": "DESCENDING"}],
                properties=["property_number"],
                limit=2,
            ),
        )
        assert found.total == 3
        assert [r.properties["property_number"] for r in found.results] == ["12", "11"]
        assert found.paging.next.after == "2"

        assert batch.archive(T, BatchInputSimplePublicObjectId(inputs=[{"id": ids[1]}])) is None
        assert basic.archive(T, ids[2]) is None
        archived = basic.get_page(T, archived=True, limit=10)
        assert {r.id for r in archived.results} == {ids[1], ids[2]}
        assert all(r.archived and r.archived_at for r in archived.results)

    def test_exceptions_carry_the_status(self, server: Server, account: Account) -> None:
        hs = client(server, account.token)
        with pytest.raises(NotFoundException) as missing:
            hs.crm.objects.basic_api.get_by_id(T, "424242")
        assert missing.value.status == 404 and "OBJECT_NOT_FOUND" in missing.value.body
        with pytest.raises(UnauthorizedException) as unauthorized:
            client(
                server, "ph_not_a_real_token_at_all_000000000000000"
            ).crm.objects.basic_api.get_page(T)
        assert unauthorized.value.status == 401
        _, read_only = server.create_token(account.name, "ro", "crm.objects.partner-clients.read")
        with pytest.raises(ForbiddenException) as forbidden:
            client(server, read_only).crm.objects.basic_api.create(
                T, SimplePublicObjectInputForCreate(properties={})
            )
        assert forbidden.value.status == 403 and "MISSING_SCOPES" in forbidden.value.body
        hs.crm.properties.core_api.create(
            T,
            PropertyCreate(
                name="domain",
                label="Domain",
                type="string",
                field_type="text",
                group_name="partner_client_information",
                has_unique_value=True,
            ),
        )
        basic = hs.crm.objects.basic_api
        basic.create(T, SimplePublicObjectInputForCreate(properties={"domain": "x.example"}))
        with pytest.raises(ApiException) as conflict:
            basic.create(T, SimplePublicObjectInputForCreate(properties={"domain": "x.example"}))
        assert conflict.value.status == 409 and "CONFLICT" in conflict.value.body
        with pytest.raises(ApiException) as invalid:
            basic.create(T, SimplePublicObjectInputForCreate(properties={"nope": "1"}))
        assert invalid.value.status == 400 and "PROPERTY_DOESNT_EXIST" in invalid.value.body
