"""Export and import (services/transfer): an exact round trip through an empty database, with
data of every kind; every kind of bad file refused, naming its line, with nothing loaded."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import orjson
import pytest
from pydantic import SecretStr

from harness import load_seed
from partnerhub.config import Settings
from partnerhub.domain.hood_partners import PartnerDraft
from partnerhub.errors import Conflict, DomainError
from partnerhub.services import accounts, core_partners, hood_partners, transfer
from partnerhub.services.accounts import TokenVerifier
from partnerhub.services.runtime import build_secrets
from partnerhub.storage.database import Database
from partnerhub.storage.repos.transfer import BY_KIND

KNOWN_TOKEN = "ph_acme_test_token_0123456789abcdefghijklmnop"
Wipe = Callable[[], Awaitable[None]]


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = Database.open(settings.database_url, pool_size=2)
    yield database
    await database.dispose()


async def export(db: Database, account: str | None = None) -> bytes:
    async with db.snapshot() as uow:
        _, lines = await transfer.export(uow, account=account)
        return b"".join([line async for line in lines])


async def import_(db: Database, settings: Settings, data: bytes) -> dict[str, int]:
    async with db.transaction(write=True) as uow:
        return await transfer.import_(
            uow, data.splitlines(keepends=True), secrets=build_secrets(settings)
        )


async def account_count(db: Database) -> int:
    async with db.transaction() as uow:
        return await uow.accounts.count()


async def varied(db: Database, settings: Settings) -> None:
    """The example seed, then changes: update history, a revoked token, custom limits."""
    made = await load_seed(db, settings)
    acme = made[0].id
    async with db.transaction(write=True) as uow:
        await core_partners.reset_root_password(uow, account_id=acme)
        await accounts.set_limits(uow, account_id=acme, rate_limits={"hood": [[5, 1]]})
        read_only = [t for t in await uow.tokens.list(acme) if t.name == "read-only"]
        await accounts.revoke_token(uow, account_id=acme, token_id=read_only[0].id)


def records(data: bytes) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in data.splitlines()]


def lines_of(items: list[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(item) + b"\n" for item in items)


class TestRoundTrip:
    async def test_exact_through_an_empty_database(
        self, db: Database, settings: Settings, wipe_database: Wipe
    ) -> None:
        await varied(db, settings)
        first = await export(db)
        assert {r["kind"] for r in records(first)[1:]} == set(BY_KIND)  # every kind has data
        await db.dispose()
        await wipe_database()
        assert await account_count(db) == 0
        counts = await import_(db, settings, first)
        assert sum(counts.values()) == len(records(first)) - 1
        assert await export(db) == first

    async def test_imported_data_works(
        self, db: Database, settings: Settings, wipe_database: Wipe
    ) -> None:
        await varied(db, settings)
        first = await export(db)
        await db.dispose()
        await wipe_database()
        await import_(db, settings, first)
        actor = await TokenVerifier(db, cache_seconds=0).verify(KNOWN_TOKEN)  # hash exported
        draft = PartnerDraft(name="New", type=("publisher",), status="active", manager_ids=())
        async with db.transaction(write=True) as uow:
            created = await hood_partners.create(uow, actor, draft=draft)
        assert created.partner.id > max(
            r["id"] for r in records(first) if r["kind"] == "hood.partner"
        )

    async def test_one_account(self, db: Database, settings: Settings) -> None:
        await load_seed(db, settings)
        only = records(await export(db, "globex"))
        assert [r["name"] for r in only if r["kind"] == "account"] == ["globex"]
        globex = only[1]["id"]
        assert all(r.get("account_id", globex) == globex for r in only[2:])

    async def test_reads_one_snapshot(self, db: Database, settings: Settings) -> None:
        """A write committed while the export runs is not in it: the lines hold one state."""
        made = await load_seed(db, settings)
        async with db.snapshot() as uow:
            total, lines = await transfer.export(uow)
            async with db.transaction(write=True) as writer:
                await accounts.create_member(
                    writer, account_id=made[0].id, name="Late", email="late@example.com"
                )
            data = b"".join([line async for line in lines])
        assert len(records(data)) - 1 == total
        assert b"late@example.com" not in data
        assert b"late@example.com" in await export(db)

    async def test_token_secrets_are_not_exported(self, db: Database, settings: Settings) -> None:
        await load_seed(db, settings)
        data = await export(db)
        assert KNOWN_TOKEN.encode() not in data
        assert b"test-auth-token" not in data  # the integration's secret: ciphertext only


class TestRefused:
    async def test_every_kind_of_bad_file(
        self, db: Database, settings: Settings, wipe_database: Wipe
    ) -> None:
        """Each case on the empty database: refused naming its line, and nothing loaded."""
        await load_seed(db, settings)
        good = records(await export(db))
        await db.dispose()
        await wipe_database()
        header, account = good[0], good[1]
        member = next(r for r in good if r["kind"] == "member")
        partner = next(r for r in good if r["kind"] == "hood.partner")
        cases: dict[str, tuple[bytes, str]] = {
            "empty": (b"", "The file is empty"),
            "no_header": (lines_of(good[1:]), "line 1: the first line must be the header"),
            "format": (
                lines_of([{**header, "format": 9}, *good[1:]]),
                "line 1: export format 9 is not supported",
            ),
            "not_json": (lines_of(good[:1]) + b"{nope\n", "line 2: not JSON"),
            "not_object": (lines_of(good[:1]) + b"[1]\n", "line 2: a record must be a JSON"),
            "kind": (lines_of([header, {**account, "kind": "planet"}]), "line 2: unknown kind"),
            "field": (
                lines_of([header, {**account, "colour": "red"}]),
                "line 2: account has no field 'colour'",
            ),
            "missing": (
                lines_of([header, {k: v for k, v in account.items() if k != "name"}]),
                "line 2: account needs 'name'",
            ),
            "time": (
                lines_of([header, {**account, "created_at": "yesterday"}]),
                "line 2.created_at must be an ISO 8601 time with an offset",
            ),
            "integer": (
                lines_of([header, {**account, "id": "1"}]),
                "line 2.id must be an integer",
            ),
            "order": (
                lines_of([header, account, partner, member]),
                "line 4: member records must come before hood.partner ones",
            ),
            "foreign": (
                lines_of([header, account, {**member, "account_id": 5}]),
                "line 3: account_id 5 is not an account of this file",
            ),
            "secret_key": (
                lines_of(good),
                "settings.auth_token does not decrypt under PARTNERHUB_SECRET_KEY",
            ),
        }
        wrong = {}
        other_key = settings.model_copy(update={"secret_key": SecretStr("another key")})
        for case, (data, expected) in cases.items():
            key = other_key if case == "secret_key" else settings
            with pytest.raises(DomainError) as caught:
                await import_(db, key, data)
            if expected not in caught.value.message:
                wrong[case] = caught.value.message
        assert wrong == {}
        assert await account_count(db) == 0

    async def test_existing_account(self, db: Database, settings: Settings) -> None:
        await load_seed(db, settings)
        data = await export(db)
        with pytest.raises(Conflict, match=r"line 2: an account with id \d+ exists already"):
            await import_(db, settings, data)

    async def test_taken_ids_in_new_accounts(self, db: Database, settings: Settings) -> None:
        """New account ids and names, but the objects' ids exist: nothing is loaded."""
        await load_seed(db, settings)
        before = await export(db)
        moved = []
        for record in records(before):
            if record["kind"] == "account":
                record = {**record, "id": record["id"] + 100, "name": record["name"] + "-2"}
            elif "account_id" in record:
                record = {**record, "account_id": record["account_id"] + 100}
            moved.append(record)
        with pytest.raises(Conflict, match=r"lines? [\d-]+: member collides with data"):
            await import_(db, settings, lines_of(moved))
        assert await export(db) == before
