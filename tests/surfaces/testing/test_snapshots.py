"""Reset and snapshots: every data table row-for-row and every id sequence back, one account
without touching the others, and snapshot files that round-trip and are checked on upload."""

from __future__ import annotations

import base64

import orjson

from harness import World
from partnerhub.ratelimit import Policy, Window
from partnerhub.services import accounts, test_snapshots
from testing.kit import TEST, Tables, hood_partner, populate, raw_tables

SNAPSHOTS = f"{TEST}/snapshots"
HOOD = "/v1/hood/partners"
CORE = "/core/v2/partners"


def _url(world: World) -> str:
    return world.runtime.settings.database_url


async def _new_ids(world: World) -> dict[str, object]:
    """Ids the next creates on every surface are given."""
    headers = world.bob.headers()
    hood = await world.client.post(
        "/v1/hood/partners", json=hood_partner("Next", world.bob), headers=headers
    )
    crm = await world.client.post(
        "/crm/v3/objects/partner_clients", json={"properties": {}}, headers=headers
    )
    async with world.runtime.db.transaction() as uow:
        sequences = await uow.table_data.sequences()
    return {"hood": hood.json()["id"], "crm": crm.json()["id"], "sequences": sequences}


def _differing(before: Tables, after: Tables) -> set[str]:
    return {name for name in before if before[name] != after[name]}


class TestSnapshotRestore:
    async def test_restore_gives_back_every_table_and_the_next_ids(
        self, world: World, admin: dict[str, str]
    ) -> None:
        await populate(world, world.alice)
        before = await raw_tables(_url(world))
        assert all(before.values()), [name for name, rows in before.items() if not rows]
        taken = await world.client.post(SNAPSHOTS, json={"name": "full"}, headers=admin)
        assert taken.status_code == 201, taken.text
        assert taken.json()["name"] == "full"
        ids_then = await _new_ids(world)
        await populate(world, world.bob)
        await world.token(world.bob, ["hood.partners.read"])
        await world.set_tier(world.alice, "A")
        changed = await raw_tables(_url(world))
        assert set(before) - _differing(before, changed) == set()  # every table changed

        restored = await world.client.post(f"{SNAPSHOTS}/full/restore", headers=admin)

        assert restored.status_code == 200, restored.text
        assert await raw_tables(_url(world)) == before
        assert await _new_ids(world) == ids_then

    async def test_list_delete_and_bad_names(self, world: World, admin: dict[str, str]) -> None:
        for name in ("b-2", "a.1"):
            await world.client.post(SNAPSHOTS, json={"name": name}, headers=admin)
        listed = (await world.client.get(SNAPSHOTS, headers=admin)).json()["results"]
        assert [s["name"] for s in listed] == ["a.1", "b-2"]
        assert all(s["size_bytes"] > 0 for s in listed)
        gone = await world.client.delete(f"{SNAPSHOTS}/a.1", headers=admin)
        assert gone.status_code == 204
        again = await world.client.delete(f"{SNAPSHOTS}/a.1", headers=admin)
        assert again.status_code == 404
        assert again.json()["code"] == "NOT_FOUND"
        missing = await world.client.post(f"{SNAPSHOTS}/a.1/restore", headers=admin)
        assert missing.status_code == 404

        await world.client.delete(f"{SNAPSHOTS}/b-2", headers=admin)
        too_long = {"name": "a" * 101}  # one past its column
        bad = ({"name": ""}, {"name": "@baseline"}, {"name": "a/b"}, {"name": 3}, too_long, {})
        for body in bad:
            answer = await world.client.post(SNAPSHOTS, json=body, headers=admin)
            assert answer.status_code == 422, body
            assert answer.json()["errors"][0]["field"] == "name", body
        extra = await world.client.post(SNAPSHOTS, json={"name": "x", "y": 1}, headers=admin)
        assert extra.status_code == 422
        assert extra.json()["errors"][0]["field"] == "y"
        assert (await world.client.get(SNAPSHOTS, headers=admin)).json() == {"results": []}


class TestReset:
    async def test_reset_all_goes_back_to_the_baseline(
        self, world: World, admin: dict[str, str]
    ) -> None:
        baseline = await raw_tables(_url(world))
        await populate(world, world.bob)
        answer = await world.client.post(f"{TEST}/reset", headers=admin)
        assert answer.status_code == 200, answer.text
        assert answer.json()["generation"] >= 1
        assert await raw_tables(_url(world)) == baseline

    async def test_a_baseline_taken_again_is_what_a_reset_goes_back_to(
        self, world: World, admin: dict[str, str]
    ) -> None:
        await populate(world, world.bob)
        kept_token = await world.token(world.bob, ["hood.partners.read"])
        retaken = await raw_tables(_url(world))

        answer = await world.client.post(f"{TEST}/baseline", headers=admin)

        assert answer.status_code == 200, answer.text
        assert set(answer.json()) == {"taken_at", "size_bytes"}
        assert answer.json()["size_bytes"] > 0
        await populate(world, world.alice)
        assert await raw_tables(_url(world)) != retaken
        assert (await world.client.post(f"{TEST}/reset", headers=admin)).status_code == 200
        assert await raw_tables(_url(world)) == retaken
        listed = await world.client.get(HOOD, headers=world.bob.headers(kept_token))
        assert listed.status_code == 200, listed.text

    async def test_reset_one_account_leaves_the_others_untouched(
        self, world: World, admin: dict[str, str]
    ) -> None:
        url = _url(world)
        alice_baseline = await raw_tables(url, world.alice.account_id)
        await populate(world, world.alice)
        await populate(world, world.bob)
        bob_now = await raw_tables(url, world.bob.account_id)

        answer = await world.client.post(
            f"{TEST}/accounts/{world.alice.account_id}/reset", headers=admin
        )

        assert answer.status_code == 200, answer.text
        assert await raw_tables(url, world.alice.account_id) == alice_baseline
        assert await raw_tables(url, world.bob.account_id) == bob_now
        by_name = await world.client.post(f"{TEST}/accounts/bob/reset", headers=admin)
        assert by_name.status_code == 200
        assert not any((await raw_tables(url, world.bob.account_id))["crm_objects"])

    async def test_an_account_created_since_is_gone_and_unknown_ones_are_404(
        self, world: World, admin: dict[str, str]
    ) -> None:
        from harness import make_tenant

        carol = await make_tenant(world.runtime.db, "carol")
        answer = await world.client.post(f"{TEST}/accounts/{carol.account_id}/reset", headers=admin)
        assert answer.status_code == 200, answer.text
        assert not any((await raw_tables(_url(world), carol.account_id)).values())
        for unknown in ("99999999", "nobody", "9" * 30):
            missing = await world.client.post(f"{TEST}/accounts/{unknown}/reset", headers=admin)
            assert missing.status_code == 404, unknown

    async def test_reset_forgets_this_workers_caches(
        self, world: World, admin: dict[str, str]
    ) -> None:
        # Made after the baseline, so gone after a reset, even while the caches trusted them.
        world.runtime.tokens._ttl = 60.0
        newer = await world.token(world.bob, ["hood.partners.read"])
        token_headers = world.bob.headers(newer)
        async with world.runtime.db.transaction(write=True) as uow:
            late = await accounts.create_account(uow, name="late")
        basic = base64.b64encode(f"{late.core_login}:{late.core_password}".encode()).decode()
        basic_headers = {"Authorization": f"Basic {basic}"}
        policy = Policy("probe", (Window(1, 3600, "hour"),))
        limiter = world.runtime.limiter
        await limiter.spend(policy, "probe")
        assert (await world.client.get(HOOD, headers=token_headers)).status_code == 200
        assert (await world.client.get(CORE, headers=basic_headers)).status_code == 200
        checks = world.runtime.password_checks.verifications

        assert (await world.client.get(CORE, headers=basic_headers)).status_code == 200
        assert world.runtime.password_checks.verifications == checks  # the login is cached
        await world.client.post(f"{TEST}/reset", headers=admin)

        assert (await world.client.get(HOOD, headers=token_headers)).status_code == 401
        assert (await world.client.get(CORE, headers=basic_headers)).status_code == 401
        assert (await limiter.spend(policy, "probe")).allowed  # the counter started again


class TestFiles:
    async def test_download_upload_round_trip(self, world: World, admin: dict[str, str]) -> None:
        await populate(world, world.alice)
        before = await raw_tables(_url(world))
        await world.client.post(SNAPSHOTS, json={"name": "one"}, headers=admin)
        file = await world.client.get(f"{SNAPSHOTS}/one/file", headers=admin)
        assert file.status_code == 200
        assert "attachment" in file.headers["content-disposition"]
        document = orjson.loads(file.content)
        assert (document["format"], document["version"]) == ("partnerhub-snapshot", 1)
        await populate(world, world.bob)

        put = await world.client.put(
            f"{SNAPSHOTS}/two/file",
            content=file.content,
            headers={**admin, "Content-Type": "application/json"},
        )
        assert put.status_code == 200, put.text
        await world.client.post(f"{SNAPSHOTS}/two/restore", headers=admin)

        assert await raw_tables(_url(world)) == before
        again = await world.client.get(f"{SNAPSHOTS}/two/file", headers=admin)
        assert again.content == file.content

    async def test_a_bad_file_is_refused_naming_the_entry_and_stores_nothing(
        self, world: World, admin: dict[str, str]
    ) -> None:
        await world.client.post(SNAPSHOTS, json={"name": "good"}, headers=admin)
        good = orjson.loads(
            (await world.client.get(f"{SNAPSHOTS}/good/file", headers=admin)).content
        )

        def changed(**edit: object) -> dict[str, object]:
            return {**good, **edit}

        accounts = good["tables"]["accounts"]
        bad_cell = {**accounts, "rows": [[*accounts["rows"][0][:1], 5, *accounts["rows"][0][2:]]]}
        cases = {
            "format": changed(format="other"),
            "version": changed(version=2),
            "tables.members": changed(
                tables={k: v for k, v in good["tables"].items() if k != "members"}
            ),
            "tables.accounts.rows[0].name": changed(
                tables={**good["tables"], "accounts": bad_cell}
            ),
            "tables.nope": changed(tables={**good["tables"], "nope": accounts}),
            "sequences.accounts": changed(sequences={**good["sequences"], "accounts": 0}),
        }
        headers = {**admin, "Content-Type": "application/json"}
        for field, document in cases.items():
            answer = await world.client.put(
                f"{SNAPSHOTS}/bad/file", content=orjson.dumps(document), headers=headers
            )
            assert answer.status_code == 422, (field, answer.text)
            assert answer.json()["errors"][0]["field"] == field
        garbage = await world.client.put(f"{SNAPSHOTS}/bad/file", content=b"{", headers=headers)
        assert garbage.status_code == 400
        wrong_type = await world.client.put(f"{SNAPSHOTS}/bad/file", content=b"{}", headers=admin)
        assert wrong_type.status_code == 415
        names = [
            s["name"] for s in (await world.client.get(SNAPSHOTS, headers=admin)).json()["results"]
        ]
        assert names == ["good"]

    async def test_rows_the_database_refuses_roll_back(
        self, world: World, admin: dict[str, str]
    ) -> None:
        await populate(world, world.alice)
        before = await raw_tables(_url(world))
        await world.client.post(SNAPSHOTS, json={"name": "good"}, headers=admin)
        good = orjson.loads(
            (await world.client.get(f"{SNAPSHOTS}/good/file", headers=admin)).content
        )
        members = good["tables"]["members"]
        twice = {**members, "rows": members["rows"] + members["rows"][:1]}  # a key twice
        document = {**good, "tables": {**good["tables"], "members": twice}}
        headers = {**admin, "Content-Type": "application/json"}
        put = await world.client.put(
            f"{SNAPSHOTS}/dup/file", content=orjson.dumps(document), headers=headers
        )
        assert put.status_code == 200  # well-formed; only the database can tell
        answer = await world.client.post(f"{SNAPSHOTS}/dup/restore", headers=admin)
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == "tables"
        assert await raw_tables(_url(world)) == before


async def test_the_file_format_names_every_data_table(world: World, admin: dict[str, str]) -> None:
    async with world.runtime.db.transaction() as uow:
        stored = await uow.test_control.get_snapshot("@baseline")
    assert stored is not None
    document = orjson.loads(stored[1])
    assert set(document["tables"]) == set(test_snapshots.BY_NAME)


async def test_an_account_spelled_in_unicode_digits_is_unknown(
    world: World, admin: dict[str, str]
) -> None:
    # "²".isdigit() is true and int("٣") is 3: neither is an account id.
    for name in ("²", "٣", "1²"):
        answer = await world.client.post(f"{TEST}/accounts/{name}/reset", headers=admin)
        assert answer.status_code == 404, (name, answer.text)
        assert answer.json()["code"] == "NOT_FOUND"
