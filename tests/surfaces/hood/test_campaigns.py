"""Hood campaigns through the HTTP API, on both databases: CRUD, list, merge patch, the state
machine (generated from its own table), messages, bounds, scopes and tenancy."""

from __future__ import annotations

from typing import Any

import pytest

from harness import World
from partnerhub.domain.hood_campaigns import PAST, STATUSES, TRANSITIONS
from surfaces.hood.campaign_kit import (
    AB_TEST,
    CAMPAIGNS,
    PUSH,
    UNKNOWN_CAMPAIGN,
    act,
    campaign_body,
    campaign_in,
    create_campaign,
    get_campaign,
    later,
    make_deal,
    make_integration,
    post,
)
from surfaces.hood.kit import (
    BODY_NOT_VALID,
    EMPTY_PATCH,
    HOOD_TIME,
    assert_error,
    etag_of,
    json_headers,
    list_items,
)

# One request per (action, requested status) the table can lead to; None: the current status.
REQUESTS: dict[tuple[str, str | None], Any] = {
    ("pause", "paused"): {"reason": "budget review"},
    ("resume", "running"): {"run_immediately": 1},
    ("resume", "scheduled"): "LATER",
    ("cancel", "canceled"): {"reason": "wrong audience"},
    ("archive", None): None,
    ("patch", None): {"name": "Renamed"},
    ("patch", "draft"): {"is_draft": True},
    ("patch", "scheduled"): "LATER",
    ("patch", "running"): {"run_immediately": True},
}


def _body(key: tuple[str, str | None]) -> Any:
    body = REQUESTS[key]
    return {"scheduled_time": later(3)} if body == "LATER" else body


def test_every_transition_of_the_table_has_a_request() -> None:
    """A transition added to TRANSITIONS without a request here fails."""
    for (action, current), targets in TRANSITIONS.items():
        for target in targets:
            key = (action, None if target == current else target)
            assert key in REQUESTS or (action, target) in REQUESTS, (action, current, target)


async def _deal(world: World) -> str:
    return await make_deal(world, world.alice)


async def _create(world: World, **overrides: Any) -> dict[str, Any]:
    created: dict[str, Any] = await create_campaign(
        world, world.alice, await _deal(world), **overrides
    )
    return created


class TestTransitions:
    @pytest.mark.parametrize("status", STATUSES)
    @pytest.mark.parametrize("key", list(REQUESTS), ids=lambda k: f"{k[0]}-{k[1] or 'same'}")
    async def test_allowed_exactly_as_the_table_says(
        self, world: World, key: tuple[str, str | None], status: str
    ) -> None:
        action, requested = key
        target = requested or status
        campaign = await campaign_in(world, world.alice, await _deal(world), status)
        response = await act(world, world.alice, campaign["id"], action, _body(key))
        after = await get_campaign(world, world.alice, campaign["id"])
        if target in TRANSITIONS.get((action, status), frozenset()):
            assert response.status_code == 204, response.text
            assert after["status"] == target
            assert after["effective_status"] == target
            assert after["archived"] == int(action == "archive")
            path = f"{CAMPAIGNS}/{campaign['id']}"
            assert response.headers["etag"] == await etag_of(world, world.alice, path)
        else:
            body = assert_error(response, 400, f"'{status}'", f"cannot be {PAST[action]}")
            if (action, status) not in TRANSITIONS:
                assert "is allowed from" in body["message"]
            else:
                assert f"'{target}'" in body["message"]
            assert after == campaign


class TestCreate:
    async def test_created_with_its_wire_fields(self, world: World) -> None:
        deal_id = await _deal(world)
        response = await post(world, world.alice, campaign_body(deal_id, labels="a, b,a"))
        assert response.status_code == 201, response.text
        created = response.json()
        assert response.headers["location"] == f"{CAMPAIGNS}/{created['id']}"
        assert response.headers["etag"] == '"1"'
        assert created["id"].isdigit() and created["deal_id"] == deal_id
        assert created["company_id"] == str(world.alice.account_id)
        assert created["labels"] == ["a", "b"]
        assert created["status"] == "draft"
        assert created["send_strategy"] == "manual"
        assert created["is_draft"] is True
        assert created["archived"] == 0
        assert created["was_launched"] is False and created["run_counter"] == 0
        assert HOOD_TIME.fullmatch(created["create_time"])
        (message,) = created["messages"]
        assert message["id"].isdigit() and message["campaign_id"] == created["id"]
        assert message["channel"] == "push"
        assert created == await get_campaign(world, world.alice, created["id"])

    async def test_run_immediately_runs_and_counts_a_run(self, world: World) -> None:
        created = await _create(world, run_immediately=True)
        assert created["status"] == "running"
        assert created["send_strategy"] == "immediate"
        assert created["was_launched"] is True and created["run_counter"] == 1

    async def test_scheduled_time_schedules(self, world: World) -> None:
        when = later()
        created = await _create(world, scheduled_time=when)
        assert created["status"] == "scheduled"
        assert created["scheduled_time"] == created["next_run_time"] == when
        assert created["send_strategy"] == "scheduled"

    async def test_is_draft_keeps_a_draft_whatever_the_execution(self, world: World) -> None:
        created = await _create(world, is_draft=True, scheduled_time=later())
        assert created["status"] == "draft"
        assert created["send_strategy"] == "scheduled"
        assert created["next_run_time"] is None

    async def test_a_running_campaign_needs_a_message(self, world: World) -> None:
        deal_id = await _deal(world)
        response = await post(
            world, world.alice, campaign_body(deal_id, messages=[], run_immediately=1)
        )
        assert_error(response, 400, "at least one message")

    async def test_effective_status_follows_the_deal(self, world: World) -> None:
        deal_id = await make_deal(world, world.alice, status="inactive")
        created = await create_campaign(world, world.alice, deal_id, run_immediately=1)
        assert created["status"] == "running"
        assert created["effective_status"] == "inactive"

    async def test_json_string_body_is_accepted(self, world: World) -> None:
        import orjson

        deal_id = await _deal(world)
        inner = orjson.dumps(campaign_body(deal_id)).decode()
        response = await world.client.post(
            CAMPAIGNS, content=orjson.dumps(inner), headers=json_headers(world.alice)
        )
        assert response.status_code == 201, response.text


BAD_CREATE: list[tuple[dict[str, Any], str]] = [
    ({"name": ""}, "name"),
    ({"name": "x" * 101}, "name must be at most 100"),
    ({"name": 5}, "name"),
    ({"description": "x" * 2001}, "description"),
    ({"labels": ["x"] * 51}, "labels must have at most 50"),
    ({"labels": ["x" * 101]}, "labels.0"),
    ({"labels": [""]}, "labels.0"),
    ({"labels": 7}, "labels"),
    ({"metadata": "text"}, "metadata must be an object"),
    ({"metadata": {"k": "x" * 9000}}, "metadata must be at most 8192 bytes"),
    ({"targeting": [1]}, "targeting"),
    ({"quiet_hours": {"k": "x" * 9000}}, "quiet_hours"),
    ({"is_draft": "yes"}, "is_draft must be a boolean"),
    ({"run_immediately": 2}, "run_immediately"),
    ({"send_in_profile_time_zone": None}, "send_in_profile_time_zone"),
    ({"scheduled_time": "2020-01-01 10:00:00"}, "scheduled_time must be in the future"),
    ({"scheduled_time": "2999-01-01 10:00:00"}, "at most 10 years"),
    ({"scheduled_time": "2030-02-30 10:00:00"}, "real date"),
    ({"scheduled_time": "２０３０-01-01 10:00:00"}, "scheduled_time"),
    ({"scheduled_time": "2030-01-01T10:00:00"}, "YYYY-MM-DD HH:MM:SS"),
    ({"scheduled_time": later(), "run_immediately": 1}, "exclude each other"),
    ({"deal_id": "١٢٣"}, "deal_id must be an id"),
    ({"deal_id": -1}, "deal_id must be an id"),
    ({"deal_id": True}, "deal_id must be an id"),
    ({"deal_id": "9" * 30}, "deal_id must be an id"),
    ({"deal_id": None}, "deal_id"),
    ({"messages": [{"channel": "fax"}]}, "messages.0.channel must be one of"),
    ({"messages": "push"}, "messages must be an array"),
    ({"messages": [{"channel": "push", "subject": "x" * 256}]}, "messages.0.subject"),
    ({"messages": [{"channel": "push", "primary_lang": "english!"}]}, "language code"),
    ({"messages": [{"channel": "push", "content": ""}]}, "messages.0.content"),
    ({"messages": [PUSH] * 21}, "messages must have at most 20"),
    ({"ab_test": {**AB_TEST, "test_split": 0}}, "ab_test.test_split must be an integer from 1"),
    ({"ab_test": {**AB_TEST, "test_split": 1.5}}, "ab_test.test_split"),
    ({"ab_test": {**AB_TEST, "evaluation_window": 10**12}}, "ab_test.evaluation_window"),
    ({"ab_test": {**AB_TEST, "winning_metric": "vibes"}}, "ab_test.winning_metric"),
    ({"ab_test": {**AB_TEST, "winner_delivery_mode": None}}, "ab_test.winner_delivery_mode"),
    ({"ab_test": {"name": "x"}}, "ab_test.test_split is required"),
]


class TestCreateBounds:
    @pytest.mark.parametrize(("overrides", "needle"), BAD_CREATE)
    async def test_bad_input_names_the_field_and_changes_nothing(
        self, world: World, overrides: dict[str, Any], needle: str
    ) -> None:
        deal_id = await _deal(world)
        body = campaign_body(deal_id, **overrides)
        response = await post(world, world.alice, body)
        assert_error(response, 400, needle)
        total, _ = await list_items(world, world.alice, CAMPAIGNS)
        assert total == 0

    async def test_missing_name_and_deal(self, world: World) -> None:
        response = await post(world, world.alice, {"messages": []})
        assert_error(response, 400, "name is required", "deal_id is required")

    @pytest.mark.parametrize(
        "raw",
        [b'{"name": "x", "deal_id": NaN}', b'{"name": "x", "deal_id": 1e999}', b'{"name": "x"'],
    )
    async def test_unparseable_numbers_are_not_valid_json(self, world: World, raw: bytes) -> None:
        response = await world.client.post(
            CAMPAIGNS, content=raw, headers=json_headers(world.alice)
        )
        assert_error(response, 400)

    async def test_huge_integer(self, world: World) -> None:
        raw = b'{"name": "x", "deal_id": 1' + b"0" * 40 + b"}"
        response = await world.client.post(
            CAMPAIGNS, content=raw, headers=json_headers(world.alice)
        )
        assert_error(response, 400)

    async def test_nul_byte_is_refused(self, world: World) -> None:
        deal_id = await _deal(world)
        response = await post(world, world.alice, campaign_body(deal_id, name="a\x00b"))
        assert_error(response, 400, "NUL")


class TestDeals:
    async def test_unknown_deal(self, world: World) -> None:
        response = await post(world, world.alice, campaign_body("999999"))
        assert_error(response, 400, "Unknown deal id.")

    async def test_another_accounts_deal_is_unknown(self, world: World) -> None:
        bobs = await make_deal(world, world.bob)
        response = await post(world, world.alice, campaign_body(bobs))
        assert_error(response, 400, "Unknown deal id.")

    async def test_an_archived_deal_takes_no_campaign(self, world: World) -> None:
        archived = await make_deal(world, world.alice, archived=1)
        response = await post(world, world.alice, campaign_body(archived))
        assert_error(response, 400, "Unknown deal id.")

    async def test_deal_id_as_a_number(self, world: World) -> None:
        deal_id = await _deal(world)
        created = await create_campaign(world, world.alice, deal_id, deal_id=int(deal_id))
        assert created["deal_id"] == deal_id


class TestMessages:
    async def test_sms_and_email_with_integrations_of_their_type(self, world: World) -> None:
        sms = await make_integration(world, world.alice, "sms")
        email = await make_integration(world, world.alice, "email")
        created = await _create(
            world,
            messages=[
                {"channel": "sms", "integration_id": sms, "content": "Hi ${name}"},
                {"channel": "email", "integration_id": int(email), "subject": "Hello"},
            ],
        )
        assert [m["integration_id"] for m in created["messages"]] == [sms, email]
        assert len({m["id"] for m in created["messages"]}) == 2

    @pytest.mark.parametrize("channel", ["sms", "email"])
    async def test_integration_is_required(self, world: World, channel: str) -> None:
        deal_id = await _deal(world)
        body = campaign_body(deal_id, messages=[{"channel": channel}])
        response = await post(world, world.alice, body)
        assert_error(response, 400, "messages.0.integration_id is required")

    async def test_unknown_integration(self, world: World) -> None:
        deal_id = await _deal(world)
        body = campaign_body(deal_id, messages=[{"channel": "sms", "integration_id": "424242"}])
        assert_error(await post(world, world.alice, body), 400, "Unknown integration id.")

    async def test_another_accounts_integration_is_unknown(self, world: World) -> None:
        bobs = await make_integration(world, world.bob, "sms")
        deal_id = await _deal(world)
        body = campaign_body(deal_id, messages=[{"channel": "sms", "integration_id": bobs}])
        assert_error(await post(world, world.alice, body), 400, "Unknown integration id.")

    async def test_integration_of_the_wrong_type(self, world: World) -> None:
        email = await make_integration(world, world.alice, "email")
        deal_id = await _deal(world)
        body = campaign_body(deal_id, messages=[{"channel": "sms", "integration_id": email}])
        assert_error(
            await post(world, world.alice, body), 400, "must name an sms integration", "email"
        )

    async def test_push_takes_no_integration(self, world: World) -> None:
        sms = await make_integration(world, world.alice, "sms")
        deal_id = await _deal(world)
        body = campaign_body(deal_id, messages=[{"channel": "push", "integration_id": sms}])
        assert_error(await post(world, world.alice, body), 400, "without an integration")

    async def test_sms_content_is_at_most_320(self, world: World) -> None:
        sms = await make_integration(world, world.alice, "sms")
        deal_id = await _deal(world)
        message = {"channel": "sms", "integration_id": sms, "content": "x" * 321}
        body = campaign_body(deal_id, messages=[message])
        assert_error(await post(world, world.alice, body), 400, "at most 320")

    async def test_several_on_one_channel_need_ab_test(self, world: World) -> None:
        deal_id = await _deal(world)
        body = campaign_body(deal_id, messages=[PUSH, PUSH])
        assert_error(await post(world, world.alice, body), 400, "need ab_test")
        created = await create_campaign(
            world, world.alice, deal_id, messages=[PUSH, PUSH], ab_test=AB_TEST
        )
        assert len(created["messages"]) == 2
        assert created["ab_test"] == AB_TEST

    async def test_at_most_four_per_channel(self, world: World) -> None:
        deal_id = await _deal(world)
        body = campaign_body(deal_id, messages=[PUSH] * 5, ab_test=AB_TEST)
        assert_error(await post(world, world.alice, body), 400, "at most 4", "push has 5")
        created = await create_campaign(
            world, world.alice, deal_id, messages=[PUSH] * 4, ab_test=AB_TEST
        )
        assert len(created["messages"]) == 4


async def _patch(world: World, campaign_id: str, body: Any, status: int = 204) -> Any:
    response = await act(world, world.alice, campaign_id, "patch", body)
    assert response.status_code == status, response.text
    return response


class TestPatch:
    async def test_absent_fields_stay(self, world: World) -> None:
        created = await _create(world, description="d", metadata={"a": 1}, labels=["x"])
        await _patch(world, created["id"], {"name": "Renamed"})
        after = await get_campaign(world, world.alice, created["id"])
        assert after["name"] == "Renamed"
        assert {k: after[k] for k in ("description", "metadata", "labels", "messages")} == {
            k: created[k] for k in ("description", "metadata", "labels", "messages")
        }

    async def test_null_clears(self, world: World) -> None:
        created = await _create(world, description="d", metadata={"a": 1}, labels=["x"])
        await _patch(
            world,
            created["id"],
            {"description": None, "metadata": None, "labels": None, "messages": None},
        )
        after = await get_campaign(world, world.alice, created["id"])
        assert after["description"] is None and after["metadata"] is None
        assert after["labels"] == [] and after["messages"] == []

    async def test_objects_merge_recursively(self, world: World) -> None:
        created = await _create(world, metadata={"a": {"b": 1, "c": 2}, "keep": True})
        await _patch(world, created["id"], {"metadata": {"a": {"c": None, "d": 3}, "e": [1]}})
        after = await get_campaign(world, world.alice, created["id"])
        assert after["metadata"] == {"a": {"b": 1, "d": 3}, "keep": True, "e": [1]}

    async def test_arrays_are_replaced_and_kept_message_ids_stay(self, world: World) -> None:
        created = await _create(world, labels=["a", "b"])
        kept = created["messages"][0]["id"]
        await _patch(
            world,
            created["id"],
            {"labels": ["c"], "messages": [{**PUSH, "id": kept}, {"channel": "in_app"}]},
        )
        after = await get_campaign(world, world.alice, created["id"])
        assert after["labels"] == ["c"]
        assert after["messages"][0]["id"] == kept
        assert after["messages"][1]["id"] != kept

    async def test_unknown_message_id(self, world: World) -> None:
        created = await _create(world)
        response = await _patch(
            world, created["id"], {"messages": [{**PUSH, "id": "123"}]}, status=400
        )
        assert_error(response, 400, "Unknown message id.")

    async def test_ab_test_merge_must_stay_complete(self, world: World) -> None:
        created = await _create(world, ab_test=AB_TEST)
        await _patch(world, created["id"], {"ab_test": {"test_split": 50}})
        after = await get_campaign(world, world.alice, created["id"])
        assert after["ab_test"] == {**AB_TEST, "test_split": 50}
        response = await _patch(world, created["id"], {"ab_test": {"name": None}}, status=400)
        assert_error(response, 400, "ab_test.name is required")

    async def test_removing_ab_test_under_several_messages_is_refused(self, world: World) -> None:
        created = await _create(world, messages=[PUSH, PUSH], ab_test=AB_TEST)
        response = await _patch(world, created["id"], {"ab_test": None}, status=400)
        assert_error(response, 400, "need ab_test")
        assert (await get_campaign(world, world.alice, created["id"]))["ab_test"] == AB_TEST

    async def test_is_draft_false_leaves_draft_by_the_stored_execution(self, world: World) -> None:
        when = later()
        created = await _create(world, is_draft=True, scheduled_time=when)
        await _patch(world, created["id"], {"is_draft": False})
        after = await get_campaign(world, world.alice, created["id"])
        assert after["status"] == "scheduled" and after["next_run_time"] == when

    async def test_is_draft_false_without_execution_is_refused(self, world: World) -> None:
        created = await _create(world)
        response = await _patch(world, created["id"], {"is_draft": False}, status=400)
        assert_error(response, 400, "is_draft false needs an execution option")

    async def test_clearing_the_time_of_a_scheduled_campaign_is_refused(self, world: World) -> None:
        created = await _create(world, scheduled_time=later())
        response = await _patch(world, created["id"], {"scheduled_time": None}, status=400)
        assert_error(response, 400, "'scheduled'", "'draft'")

    async def test_empty_patch(self, world: World) -> None:
        created = await _create(world)
        for body in ({}, {"unknown": 1}):
            response = await _patch(world, created["id"], body, status=400)
            assert_error(response, 400, EMPTY_PATCH)

    @pytest.mark.parametrize(
        ("body", "needle"),
        [
            ({"name": None}, "name must not be null"),
            ({"is_draft": None}, "is_draft must not be null"),
            ({"status": "running"}, "status cannot be changed"),
            ({"deal_id": "1"}, "deal_id cannot be changed"),
            ({"archived": 1}, "archived cannot be changed"),
            ({"name": "x" * 101}, "name"),
            ({"metadata": {"k": "x" * 9000}}, "metadata"),
            ({"ab_test": "x"}, "ab_test must be an object"),
            ({"scheduled_time": "yesterday"}, "scheduled_time"),
            ({"scheduled_time": later(), "run_immediately": True}, "exclude each other"),
        ],
    )
    async def test_bad_patch_names_the_field_and_changes_nothing(
        self, world: World, body: dict[str, Any], needle: str
    ) -> None:
        created = await _create(world)
        response = await _patch(world, created["id"], body, status=400)
        assert_error(response, 400, needle)
        assert await get_campaign(world, world.alice, created["id"]) == created

    async def test_if_match(self, world: World) -> None:
        created = await _create(world)
        response = await world.client.patch(
            f"{CAMPAIGNS}/{created['id']}",
            json={"name": "x"},
            headers=json_headers(world.alice, **{"If-Match": '"7"'}),
        )
        assert_error(response, 412)

    async def test_archived_campaign_cannot_be_changed(self, world: World) -> None:
        created = await _create(world)
        assert (await act(world, world.alice, created["id"], "archive")).status_code == 204
        response = await _patch(world, created["id"], {"name": "x"}, status=400)
        assert_error(response, 400, "archived campaign cannot be changed")


class TestResume:
    @pytest.mark.parametrize(
        ("body", "needle"),
        [
            ({}, "exactly one"),
            ({"run_immediately": 1, "scheduled_time": later()}, "exactly one"),
            ({"run_immediately": 0}, "must be true"),
            ({"scheduled_time": "2001-01-01 00:00:00"}, "in the future"),
        ],
    )
    async def test_bad_resume(self, world: World, body: dict[str, Any], needle: str) -> None:
        campaign = await campaign_in(world, world.alice, await _deal(world), "paused")
        assert_error(await act(world, world.alice, campaign["id"], "resume", body), 400, needle)
        assert await get_campaign(world, world.alice, campaign["id"]) == campaign

    async def test_pause_keeps_its_reason_and_resume_clears_it(self, world: World) -> None:
        created = await _create(world, run_immediately=1)
        await act(world, world.alice, created["id"], "pause", {"reason": "budget"})
        paused = await get_campaign(world, world.alice, created["id"])
        assert paused["status_reason"] == "budget" and paused["next_run_time"] is None
        await act(world, world.alice, created["id"], "resume", {"run_immediately": True})
        resumed = await get_campaign(world, world.alice, created["id"])
        assert resumed["status"] == "running" and resumed["status_reason"] is None
        assert resumed["run_counter"] == 2

    async def test_pause_without_a_body(self, world: World) -> None:
        created = await _create(world, run_immediately=1)
        response = await world.client.post(
            f"{CAMPAIGNS}/{created['id']}/pause", headers=world.alice.headers()
        )
        assert response.status_code == 204, response.text

    async def test_reason_bounds(self, world: World) -> None:
        created = await _create(world, run_immediately=1)
        response = await act(world, world.alice, created["id"], "pause", {"reason": "x" * 501})
        assert_error(response, 400, "reason must be at most 500")


class TestList:
    async def test_default_page_is_ten_and_archived_are_hidden(self, world: World) -> None:
        deal_id = await _deal(world)
        made = [await create_campaign(world, world.alice, deal_id) for _ in range(12)]
        assert (await act(world, world.alice, made[0]["id"], "archive")).status_code == 204
        total, items = await list_items(world, world.alice, CAMPAIGNS)
        assert total == 11 and len(items) == 10
        total, _ = await list_items(world, world.alice, CAMPAIGNS, archived="1")
        assert total == 1
        _, rest = await list_items(world, world.alice, CAMPAIGNS, page="2")
        assert len(rest) == 1

    async def test_sort_search_and_filters(self, world: World) -> None:
        deal_id = await _deal(world)
        other_deal = await _deal(world)
        await create_campaign(world, world.alice, deal_id, name="Beta", description="winter")
        await create_campaign(world, world.alice, deal_id, name="Alpha", run_immediately=1)
        await create_campaign(world, world.alice, other_deal, name="Gamma")
        _, items = await list_items(world, world.alice, CAMPAIGNS, sort="-name")
        assert [i["name"] for i in items] == ["Gamma", "Beta", "Alpha"]
        _, items = await list_items(world, world.alice, CAMPAIGNS, sort="-run_counter,name")
        assert [i["name"] for i in items] == ["Alpha", "Beta", "Gamma"]
        _, items = await list_items(world, world.alice, CAMPAIGNS, q="alp")
        assert [i["name"] for i in items] == ["Alpha"]
        _, items = await list_items(world, world.alice, CAMPAIGNS, q="wint", q_fields="description")
        assert [i["name"] for i in items] == ["Beta"]
        _, items = await list_items(world, world.alice, CAMPAIGNS, status="running")
        assert [i["name"] for i in items] == ["Alpha"]
        _, items = await list_items(world, world.alice, CAMPAIGNS, deal_id=other_deal)
        assert [i["name"] for i in items] == ["Gamma"]
        _, items = await list_items(world, world.alice, CAMPAIGNS, fields="id,name")
        assert all(set(i) == {"id", "name"} for i in items)

    @pytest.mark.parametrize("params", [{"sort": "labels"}, {"colour": "red"}, {"page": "x"}])
    async def test_bad_list_query(self, world: World, params: dict[str, str]) -> None:
        response = await world.client.get(CAMPAIGNS, params=params, headers=world.alice.headers())
        assert_error(response, 400)

    async def test_another_accounts_campaigns_are_not_listed(self, world: World) -> None:
        await create_campaign(world, world.bob, await make_deal(world, world.bob))
        total, _ = await list_items(world, world.alice, CAMPAIGNS)
        assert total == 0


class TestHistory:
    async def test_history_shows_status_and_effective_status(self, world: World) -> None:
        created = await _create(world, run_immediately=1)
        await act(world, world.alice, created["id"], "pause", {"reason": "r"})
        response = await world.client.get(
            f"{CAMPAIGNS}/{created['id']}/history", headers=world.alice.headers()
        )
        assert response.status_code == 200
        newest, first = response.json()["items"]
        assert first["action"] == "create" and first["version"] == 1
        assert newest["version"] == 2
        assert newest["changes"]["status"] == {"old": "running", "new": "paused"}
        assert newest["changes"]["effective_status"] == {"old": "running", "new": "paused"}


class TestTenancyAndScopes:
    @pytest.mark.parametrize("path", ["1000000", "abc", "١٢٣", "9" * 30])
    async def test_unknown_campaign_id(self, world: World, path: str) -> None:
        response = await world.client.get(f"{CAMPAIGNS}/{path}", headers=world.alice.headers())
        assert_error(response, 400, UNKNOWN_CAMPAIGN)

    async def test_another_accounts_campaign_is_unknown(self, world: World) -> None:
        bobs = await create_campaign(world, world.bob, await make_deal(world, world.bob))
        cid = bobs["id"]
        for method, path, body in [
            ("GET", f"{CAMPAIGNS}/{cid}", None),
            ("GET", f"{CAMPAIGNS}/{cid}/history", None),
            ("PATCH", f"{CAMPAIGNS}/{cid}", {"name": "mine"}),
            ("POST", f"{CAMPAIGNS}/{cid}/archive", None),
            ("POST", f"{CAMPAIGNS}/{cid}/cancel", {}),
        ]:
            response = await world.client.request(
                method, path, json=body, headers=json_headers(world.alice)
            )
            assert_error(response, 400, UNKNOWN_CAMPAIGN)
        assert await get_campaign(world, world.bob, cid) == bobs

    async def test_read_scope_reads_but_cannot_write(self, world: World) -> None:
        created = await _create(world)
        token = await world.token(world.alice, ["hood.campaigns.read"])
        response = await world.client.get(CAMPAIGNS, headers=world.alice.headers(token))
        assert response.status_code == 200
        for response in [
            await world.client.post(
                CAMPAIGNS, json=created, headers=json_headers(world.alice, token)
            ),
            await world.client.post(
                f"{CAMPAIGNS}/{created['id']}/archive", headers=world.alice.headers(token)
            ),
        ]:
            assert_error(response, 403)

    async def test_missing_scope(self, world: World) -> None:
        token = await world.token(world.alice, ["hood.partners.read"])
        response = await world.client.get(CAMPAIGNS, headers=world.alice.headers(token))
        assert_error(response, 403, "hood.campaigns.read")

    async def test_bad_body_is_not_valid(self, world: World) -> None:
        response = await world.client.post(
            CAMPAIGNS, content=b"{", headers=json_headers(world.alice)
        )
        assert_error(response, 400, BODY_NOT_VALID)


class TestEffectiveStatus:
    async def test_partner_status_moves_the_campaigns_effective_status(self, world: World) -> None:
        from surfaces.hood.kit import PARTNERS

        deal_id = await _deal(world)
        created = await create_campaign(world, world.alice, deal_id, run_immediately=1)
        async with world.runtime.db.transaction() as uow:
            deal = await uow.hood_deals.get(world.alice.account_id, int(deal_id))
        assert deal is not None
        partner = f"{PARTNERS}/{deal.partner_id}"
        for status, effective in (("suspended", "inactive"), ("active", "running")):
            response = await world.client.patch(
                partner, json={"status": status}, headers=json_headers(world.alice)
            )
            assert response.status_code == 204, response.text
            after = await get_campaign(world, world.alice, created["id"])
            assert (after["status"], after["effective_status"]) == ("running", effective)

    async def test_a_transition_under_an_inactive_deal_stays_inactive(self, world: World) -> None:
        deal_id = await make_deal(world, world.alice, status="inactive")
        created = await create_campaign(world, world.alice, deal_id, run_immediately=1)
        await act(world, world.alice, created["id"], "pause", {})
        after = await get_campaign(world, world.alice, created["id"])
        assert (after["status"], after["effective_status"]) == ("paused", "inactive")
