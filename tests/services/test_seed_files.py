"""Seed files (surfaces/seed): the example loads with its stated ids and known secrets, through
the services (history source "seed"); every kind of bad entry is named by its place in the file
and nothing is loaded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest

from harness import EXAMPLE_SEED, load_seed
from partnerhub.config import Settings
from partnerhub.domain.accounts import Actor
from partnerhub.domain.hood_partners import PartnerDraft
from partnerhub.errors import Unauthenticated, ValidationFailed
from partnerhub.services import accounts, history, hood_partners
from partnerhub.services.accounts import TokenVerifier
from partnerhub.storage.database import Database
from partnerhub.surfaces.seed import document as seed_document

KNOWN_TOKEN = "ph_acme_test_token_0123456789abcdefghijklmnop"


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = Database.open(settings.database_url, pool_size=2)
    yield database
    await database.dispose()


seed = load_seed


async def account_count(db: Database) -> int:
    async with db.transaction() as uow:
        return await uow.accounts.count()


def example() -> Any:
    return seed_document.read(EXAMPLE_SEED)


class TestExample:
    async def test_loads_with_stated_ids(self, db: Database, settings: Settings) -> None:
        made = await seed(db, settings, example())
        acme = made[0]
        assert acme.counts["hood partners"] == 2 and acme.counts["crm objects"] == 2
        assert acme.token is None and acme.core_password is None  # the file gave both
        assert [name for name, _ in acme.tokens] == ["expiring"]  # no token given: chosen
        assert made[1].token is not None and made[1].core_password is not None
        actor = Actor(account_id=acme.id, token_id=None, scopes=frozenset())
        async with db.transaction() as uow:
            partner = await hood_partners.get(uow, actor, partner_id=1000200)
            assert partner.partner.manager_ids == ("1000100",)
            assert await uow.crm.get_object(acme.id, 512) is not None
            child = await uow.core_partners.get(
                acme.id, "/", "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"
            )
            parent = await uow.core_partners.get(acme.id, "/", SID)
            assert child is not None and parent is not None and child.parent_id == parent.id

    async def test_known_token_verifies(self, db: Database, settings: Settings) -> None:
        made = await seed(db, settings, example())
        actor = await TokenVerifier(db, cache_seconds=0).verify(KNOWN_TOKEN)
        assert actor.account_id == made[0].id
        with pytest.raises(Unauthenticated):
            await TokenVerifier(db, cache_seconds=0).verify(KNOWN_TOKEN[:-1] + "x")

    async def test_history_names_the_seed(self, db: Database, settings: Settings) -> None:
        made = await seed(db, settings, example())
        actor = Actor(account_id=made[0].id, token_id=None, scopes=frozenset())
        async with db.transaction() as uow:
            _, entries = await hood_partners.history_of(
                uow, actor, object_id=1000200, limit=10, offset=0
            )
        assert [(e.action, e.surface, e.author) for e in entries] == [("create", "hood", "seed")]
        async with db.transaction() as uow:
            root = await uow.core_partners.get_root(made[0].id)
            assert root is not None
            _, root_entries = await history.list(
                uow,
                actor,
                object_type="core.partner",
                object_id=root.partner_sid,
                limit=5,
                offset=0,
            )
        assert [e.author for e in root_entries] == ["seed"]

    async def test_issued_ids_pass_stated_ones(self, db: Database, settings: Settings) -> None:
        made = await seed(db, settings, example())
        actor = Actor(account_id=made[0].id, token_id=None, scopes=frozenset())
        draft = PartnerDraft(name="After", type=("publisher",), status="active", manager_ids=())
        async with db.transaction(write=True) as uow:
            created = await hood_partners.create(uow, actor, draft=draft)
        assert created.partner.id > 1000201

    async def test_seeding_again_is_refused(self, db: Database, settings: Settings) -> None:
        await seed(db, settings, example())
        with pytest.raises(ValidationFailed) as caught:
            await seed(db, settings, example())
        messages = [p.message for p in caught.value.problems]
        assert messages == [
            "accounts[0].name: An account named 'acme' already exists.",
            "accounts[1].name: An account named 'globex' already exists.",
        ]


def one_account(**sections: Any) -> dict[str, Any]:
    return {"accounts": [{"name": "acme", **sections}]}


MEMBER = {"id": "1000100", "name": "Ann", "email": "ann@example.com"}
PARTNER = {"name": "P", "type": ["publisher"], "status": "active", "manager_ids": ["1000100"]}
SID = "3f2b8a1e-9c4d-4e6f-8a7b-1c2d3e4f5a6b"
CORE = {"login": "acme-sub", "password": "sub-password", "name": "Sub"}

# (a document, the one problem it must report): every kind of entry, and the file itself.
BAD: dict[str, tuple[Any, str]] = {
    "file_not_object": ([1], "A seed file holds an object with one field, accounts (a list)."),
    "file_unknown_field": (
        {"accounts": [], "users": []},
        "A seed file holds an object with one field, accounts (a list).",
    ),
    "accounts_not_list": ({"accounts": {}}, "accounts: must be a list."),
    "account_not_object": ({"accounts": ["acme"]}, "accounts[0]: must be an object."),
    "account_unknown_field": (
        one_account(colour="red"),
        "accounts[0].colour: unknown field (one of name, hood_tier, token, core_password, "
        "tokens, members, hood, core, crm).",
    ),
    "account_without_name": ({"accounts": [{}]}, "accounts[0].name: must be a non-empty string."),
    "account_tier": (one_account(hood_tier="Z"), "accounts[0].hood_tier must be one of A, B"),
    "account_token_form": (
        one_account(token="secret-" + "x" * 40),
        "accounts[0].token must be a token of the form ph_",
    ),
    "account_token_short": (
        one_account(token="ph_" + "x" * 31),
        "accounts[0].token must have 32 to 196 characters after ph_ (it has 31).",
    ),
    "account_token_not_text": (
        one_account(token=12345),
        "accounts[0].token: must be a non-empty string.",
    ),
    "account_core_password_not_text": (
        one_account(core_password=["a"]),
        "accounts[0].core_password: must be a non-empty string.",
    ),
    "account_core_password_short": (
        one_account(core_password="short"),
        "accounts[0].core_password must have 8 to 128 characters (it has 5).",
    ),
    "token_scope": (
        one_account(tokens=[{"name": "t", "scopes": ["everything"]}]),
        "accounts[0].tokens[0].scopes: Unknown scope(s): everything.",
    ),
    "token_expiry": (
        one_account(tokens=[{"name": "t", "expires_at": "tomorrow"}]),
        "accounts[0].tokens[0].expires_at: must be an ISO 8601 time with an offset",
    ),
    "token_taken": (
        {
            "accounts": [
                {"name": "a", "token": "ph_" + "a" * 40},
                {"name": "b", "tokens": [{"name": "t", "token": "ph_" + "a" * 40}]},
            ]
        },
        "accounts[1].tokens[0].token: This token is already in use; choose another.",
    ),
    "member_email": (
        one_account(members=[{**MEMBER, "email": "nope"}]),
        "accounts[0].members[0].email",
    ),
    "member_id_form": (
        one_account(members=[{**MEMBER, "id": "12"}]),
        "accounts[0].members[0].id must be an id of at most 18 digits from 1000000 up",
    ),
    "member_id_taken": (
        one_account(members=[MEMBER, {**MEMBER, "name": "Bob"}]),
        "accounts[0].members[1].id: The id 1000100 is already in use.",
    ),
    "hood_section_unknown": (
        one_account(hood={"people": []}),
        "accounts[0].hood.people: unknown field (one of partners, integrations, deals, campaigns).",
    ),
    "hood_partner_contact": (
        one_account(
            members=[MEMBER],
            hood={"partners": [{**PARTNER, "contacts": [{"type": "email", "value": "x"}]}]},
        ),
        "accounts[0].hood.partners[0].contacts.0.value must be a valid e-mail address",
    ),
    "hood_partner_manager": (
        one_account(hood={"partners": [PARTNER]}),
        "accounts[0].hood.partners[0].manager_ids",
    ),
    "hood_partner_id_taken": (
        one_account(
            members=[MEMBER],
            hood={"partners": [{**PARTNER, "id": 1000200}, {**PARTNER, "id": "1000200"}]},
        ),
        "accounts[0].hood.partners[1].id: The id 1000200 is already in use.",
    ),
    "hood_integration_provider": (
        one_account(hood={"integrations": [{"name": "i", "provider_id": "77", "settings": {}}]}),
        "accounts[0].hood.integrations[0]: Unknown provider id.",
    ),
    "hood_deal_partner": (
        one_account(
            hood={
                "deals": [
                    {"name": "d", "partner_id": "1000999", "base_price": 1, "clickthrough": True}
                ]
            }
        ),
        "accounts[0].hood.deals[0].partner_id: Unknown partner id.",
    ),
    "hood_campaign_deal": (
        one_account(hood={"campaigns": [{"name": "c", "deal_id": "1000999"}]}),
        "accounts[0].hood.campaigns[0]: Unknown deal id.",
    ),
    "core_partner_sid": (
        one_account(core={"partners": [{**CORE, "partner_sid": "not-a-uuid"}]}),
        "accounts[0].core.partners[0].partner_sid must be a UUID, like the ids partnerhub issues.",
    ),
    "core_partner_password": (
        one_account(core={"partners": [{**CORE, "password": "short"}]}),
        "accounts[0].core.partners[0].password must be at least 8 character(s) long.",
    ),
    "core_partner_parent": (
        one_account(core={"partners": [{**CORE, "parent_sid": SID}]}),
        "accounts[0].core.partners[0].parent_sid: Cannot find item by SID.",
    ),
    "core_partner_sid_taken": (
        one_account(
            core={
                "partners": [
                    {**CORE, "partner_sid": SID},
                    {**CORE, "login": "acme-other", "partner_sid": SID.upper()},
                ]
            }
        ),
        f"accounts[0].core.partners[1].partner_sid: The partner_sid {SID} is already in use.",
    ),
    "crm_group": (
        one_account(crm={"groups": [{"name": "g"}]}),
        "accounts[0].crm.groups[0].label is required.",
    ),
    "crm_property": (
        one_account(crm={"properties": [{"name": "p", "label": "P", "type": "string"}]}),
        "accounts[0].crm.properties[0].fieldType is required.",
    ),
    "crm_object_property": (
        one_account(crm={"objects": [{"properties": {"no_such_property": "x"}}]}),
        'accounts[0].crm.objects[0].properties.no_such_property: Property "no_such_property"',
    ),
    "crm_object_id": (
        one_account(crm={"objects": [{"id": 0, "properties": {}}]}),
        "accounts[0].crm.objects[0].id must be an id of at most 18 digits from 1 up",
    ),
}


class TestBadEntries:
    async def test_named_and_nothing_loaded(self, db: Database, settings: Settings) -> None:
        """Every case in one test (a failed seed leaves the database empty for the next):
        each reports its one problem, and nothing is loaded."""
        wrong = {}
        for case, (document, expected) in BAD.items():
            with pytest.raises(ValidationFailed) as caught:
                await seed(db, settings, deepcopy(document))
            messages = [p.message for p in caught.value.problems]
            if len(messages) != 1 or not messages[0].startswith(expected):
                wrong[case] = messages
        assert wrong == {}
        assert await account_count(db) == 0

    async def test_every_problem_reported(self, db: Database, settings: Settings) -> None:
        document = one_account(
            members=[{**MEMBER, "email": "nope"}],
            crm={"objects": [{"id": "x", "properties": {}}]},
        )
        with pytest.raises(ValidationFailed) as caught:
            await seed(db, settings, document)
        fields = [p.field for p in caught.value.problems]
        assert fields == ["accounts[0].members[0].email", "accounts[0].crm.objects[0].id"]
        assert await account_count(db) == 0


class TestDocument:
    def test_yaml_and_json_read_alike(self, tmp_path: Path) -> None:
        (tmp_path / "s.json").write_text('{"accounts": [{"name": "a", "x": "2030-01-01"}]}')
        (tmp_path / "s.yml").write_text("accounts:\n  - {name: a, x: 2030-01-01}\n")
        from_json = seed_document.read(tmp_path / "s.json")
        assert from_json == seed_document.read(tmp_path / "s.yml")

    @pytest.mark.parametrize(
        ("name", "text", "expected"),
        [
            ("s.txt", "{}", "s.txt: a seed file ends in .json, .yaml or .yml."),
            ("s.json", "{", "s.json: not JSON ("),
            ("s.yaml", "accounts: [", "s.yaml: not YAML ("),
            ("s.yaml", "accounts:\n  - {1: a}\n", "accounts[0]: the key 1 must be a string"),
            ("s.yaml", "!!python/object:os.system {}\n", "s.yaml: not YAML ("),
        ],
    )
    def test_refused(self, tmp_path: Path, name: str, text: str, expected: str) -> None:
        (tmp_path / name).write_text(text)
        with pytest.raises(ValidationFailed) as caught:
            seed_document.read(tmp_path / name)
        assert caught.value.message.startswith(expected), caught.value.message

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(ValidationFailed, match="cannot be read"):
            seed_document.read(tmp_path / "absent.yaml")


async def test_known_secrets_checked_before_anything(db: Database) -> None:
    """create_account refuses a bad known token before writing (serve's bootstrap relies on
    it, and checks the same rules before migrating)."""
    async with db.transaction(write=True) as uow:
        with pytest.raises(ValidationFailed):
            await accounts.create_account(uow, name="x", token="ph_short")
        assert await uow.accounts.count() == 0
