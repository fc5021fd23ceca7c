"""Loading a seed file (README "Seed files, export and import") through the services.

Each entry is written in the wire shape of its API (a Hood partner as the Hood create body, a
Core partner as the Core create body, a CRM record as `{"id", "properties"}`), parsed by that
surface's own mapping and created by the same service a request would use, so it meets the
same rules and gets the same history (source "seed"). Ids an entry states are kept, held to
the form of issued ones. Every entry is tried, each in a savepoint; the problems of all are
reported together, each named by its place in the file (`accounts[0].hood.partners[3].name`),
and if there is any the caller's transaction must roll back: nothing is loaded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from partnerhub.auth.scopes import ALL_SCOPES
from partnerhub.auth.secrets import Secrets
from partnerhub.domain import ids
from partnerhub.domain.accounts import Actor
from partnerhub.errors import DomainError, FieldProblem, NotFound, ValidationFailed
from partnerhub.services import (
    accounts,
    core_partners,
    crm_objects,
    crm_properties,
    hood_campaigns,
    hood_deals,
    hood_integrations,
    hood_partners,
    transfer,
)
from partnerhub.services.runtime import UnitOfWork
from partnerhub.surfaces.core import mapping as core_mapping
from partnerhub.surfaces.crm import mapping as crm_mapping
from partnerhub.surfaces.hood.campaigns import mapping as campaign_mapping
from partnerhub.surfaces.hood.deals import mapping as deal_mapping
from partnerhub.surfaces.hood.integrations import mapping as integration_mapping
from partnerhub.surfaces.hood.partners import mapping as partner_mapping

T = TypeVar("T")
SOURCE = "seed"
ACCOUNT_FIELDS = ("name", "hood_tier", "token", "core_password", "tokens", "members")
SECTIONS: dict[str, tuple[str, ...]] = {
    "hood": ("partners", "integrations", "deals", "campaigns"),
    "core": ("partners",),
    "crm": ("groups", "properties", "objects"),
}
TOKEN_FIELDS = ("name", "token", "scopes", "expires_at")
# Each Hood kind of a seed file: its create body's mapping to a draft, and the service creating
# it (in the order SECTIONS lists them).
HOOD_KINDS: dict[str, tuple[Callable[[Any], Any], Callable[..., Awaitable[Any]]]] = {
    "partners": (partner_mapping.partner_draft, hood_partners.create),
    "integrations": (integration_mapping.integration_draft, hood_integrations.create),
    "deals": (deal_mapping.deal_draft, hood_deals.create),
    "campaigns": (campaign_mapping.campaign_draft, hood_campaigns.create),
}
MEMBER_FIELDS = ("id", "name", "email", "status", "image")


@dataclass
class SeededAccount:
    """What a seeded account shows once: the secrets partnerhub chose (None: the file's)."""

    id: int
    name: str
    token: str | None
    core_login: str
    core_password: str | None
    tokens: list[tuple[str, str]] = field(default_factory=list)  # (name, secret) chosen here
    counts: dict[str, int] = field(default_factory=dict)


class Misplaced(ValidationFailed):
    """A problem of the file's own structure, already named by its place in the file."""


def _located(where: str, exc: DomainError) -> list[FieldProblem]:
    """The error's problems, each named by its place in the file."""
    if isinstance(exc, Misplaced):
        return exc.problems
    found = []
    for problem in exc.problems:
        # A not-found error's field is the path's id, not a field of the entry.
        name = None if isinstance(exc, NotFound) else problem.field
        message = problem.message
        if name and message.startswith(name):
            text = f"{where}.{message}"
        elif name:
            text = f"{where}.{name}: {message}"
        else:
            text = f"{where}: {message}"
        found.append(FieldProblem(f"{where}.{name}" if name else where, text, problem.code))
    return found


def _fail(where: str, message: str) -> Misplaced:
    return Misplaced([FieldProblem(where, f"{where}: {message}")])


def _object(value: Any, where: str, allowed: tuple[str, ...] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "must be an object.")
    unknown = [k for k in value if allowed is not None and k not in allowed]
    if unknown:
        raise _fail(f"{where}.{unknown[0]}", f"unknown field (one of {', '.join(allowed or ())}).")
    return value


def _list(parent: dict[str, Any], key: str, where: str) -> list[Any]:
    value = parent.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(f"{where}.{key}" if where else key, "must be a list.")
    return value


def _text(value: Any, where: str, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, "must be a non-empty string.")
    return value


def _without(entry: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k != key}


class _Seed:
    """One seed run: the problems found so far, and the entries tried one savepoint each."""

    def __init__(self, uow: UnitOfWork, secrets: Secrets, default_tier: str) -> None:
        self.uow = uow
        self.secrets = secrets
        self.default_tier = default_tier
        self.problems: list[FieldProblem] = []

    async def entry(
        self, where: str, make: Callable[[Any, str], Awaitable[T]], item: Any
    ) -> T | None:
        """`make(item, where)`'s result, or None with its problems recorded (and its writes
        undone)."""
        try:
            async with self.uow.savepoint():
                return await make(item, where)
        except DomainError as exc:
            self.problems.extend(_located(where, exc))
            return None

    def entries(self, parent: dict[str, Any], key: str, where: str) -> list[tuple[str, Any]]:
        try:
            items = _list(parent, key, where)
        except ValidationFailed as exc:
            self.problems.extend(exc.problems)
            return []
        prefix = f"{where}.{key}" if where else key
        return [(f"{prefix}[{i}]", item) for i, item in enumerate(items)]

    async def account(self, entry: Any, where: str) -> SeededAccount | None:
        async def create(entry: Any, where: str) -> accounts.NewAccount:
            data = _object(entry, where, (*ACCOUNT_FIELDS, *SECTIONS))
            return await accounts.create_account(
                self.uow,
                name=_text(data.get("name"), f"{where}.name") or "",
                hood_tier=_text(data.get("hood_tier"), f"{where}.hood_tier", required=False)
                or self.default_tier,
                token=_text(data.get("token"), f"{where}.token", required=False),
                core_password=_text(
                    data.get("core_password"), f"{where}.core_password", required=False
                ),
                source=SOURCE,
            )

        created = await self.entry(where, create, entry)
        if created is None:
            return None
        data: dict[str, Any] = entry
        account = created.account
        seeded = SeededAccount(
            account.id,
            account.name,
            None if data.get("token") else created.token,
            created.core_login,
            None if data.get("core_password") else created.core_password,
        )
        actor = Actor(
            account_id=account.id,
            token_id=None,
            scopes=frozenset(ALL_SCOPES),
            hood_tier=account.hood_tier,
            source=SOURCE,
        )
        for at, item in self.entries(data, "tokens", where):
            made = await self.entry(at, partial(self._token, actor), item)
            if made and made[1] is not None:
                seeded.tokens.append((made[0], made[1]))
        await self._each(seeded, data, "members", where, partial(self._member, actor))
        await self._sections(seeded, actor, data, where)
        return seeded

    async def _each(
        self,
        seeded: SeededAccount,
        parent: dict[str, Any],
        key: str,
        where: str,
        make: Callable[[Any, str], Awaitable[Any]],
        count_as: str | None = None,
    ) -> None:
        for at, item in self.entries(parent, key, where):
            if await self.entry(at, make, item) is not None:
                name = count_as or key
                seeded.counts[name] = seeded.counts.get(name, 0) + 1

    async def _sections(
        self, seeded: SeededAccount, actor: Actor, data: dict[str, Any], where: str
    ) -> None:
        makers: dict[str, dict[str, Callable[[Any, str], Awaitable[Any]]]] = {
            "hood": {kind: partial(self._hood, kind, actor.via("hood")) for kind in HOOD_KINDS},
            "core": {"partners": lambda e, at: self._core_partner(actor.via("core"), e, at)},
            "crm": {
                "groups": lambda e, at: self._crm_group(actor.via("crm"), e),
                "properties": lambda e, at: self._crm_property(actor.via("crm"), e),
                "objects": lambda e, at: self._crm_object(actor.via("crm"), e, at),
            },
        }
        for section, kinds in SECTIONS.items():
            if data.get(section) is None:
                continue
            at = f"{where}.{section}"
            try:
                body = _object(data[section], at, kinds)
            except ValidationFailed as exc:
                self.problems.extend(exc.problems)
                continue
            for kind in kinds:
                make = makers[section][kind]
                await self._each(seeded, body, kind, at, make, f"{section} {kind}")

    async def _token(self, actor: Actor, entry: Any, where: str) -> tuple[str, str | None]:
        data = _object(entry, where, TOKEN_FIELDS)
        name = _text(data.get("name"), f"{where}.name") or ""
        scopes = data.get("scopes", list(ALL_SCOPES))
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise _fail(f"{where}.scopes", "must be a list of scope names.")
        _, secret = await accounts.create_token(
            self.uow,
            account_id=actor.account_id,
            name=name,
            scopes=scopes,
            expires_at=_time(data.get("expires_at"), f"{where}.expires_at"),
            secret=_text(data.get("token"), f"{where}.token", required=False),
        )
        return name, None if data.get("token") else secret

    async def _member(self, actor: Actor, entry: Any, where: str) -> Any:
        data = _object(entry, where, MEMBER_FIELDS)
        return await accounts.create_member(
            self.uow,
            account_id=actor.account_id,
            name=_text(data.get("name"), f"{where}.name") or "",
            email=_text(data.get("email"), f"{where}.email") or "",
            status=_text(data.get("status"), f"{where}.status", required=False) or "active",
            image=_text(data.get("image"), f"{where}.image", required=False),
            id=_hood_id(data),
        )

    async def _hood(self, kind: str, actor: Actor, entry: Any, where: str) -> Any:
        """A Hood object from its create body: the surface's mapping, then its service."""
        data = _object(entry, where)
        draft_of, create = HOOD_KINDS[kind]
        extra = {"secrets": self.secrets} if kind == "integrations" else {}
        draft = draft_of(_without(data, "id"))
        return await create(self.uow, actor, draft=draft, id=_hood_id(data), **extra)

    async def _core_partner(self, actor: Actor, entry: Any, where: str) -> Any:
        data = _object(entry, where)
        sid = data.get("partner_sid")
        draft = core_mapping.partner_draft(_without(data, "partner_sid"))
        return await core_partners.create(
            self.uow,
            actor,
            draft=draft,
            partner_sid=None if sid is None else ids.stated_secure_id(sid, "partner_sid"),
        )

    async def _crm_group(self, actor: Actor, entry: Any) -> Any:
        group = crm_mapping.group_draft(entry)
        return await crm_properties.create_group(self.uow, actor, group=group)

    async def _crm_property(self, actor: Actor, entry: Any) -> Any:
        draft = crm_mapping.property_draft(entry)
        return await crm_properties.create(self.uow, actor, draft=draft)

    async def _crm_object(self, actor: Actor, entry: Any, where: str) -> Any:
        data = _object(entry, where)
        stated = data.get("id")
        values = crm_mapping.object_values(_without(data, "id"))
        return await crm_objects.create(
            self.uow,
            actor,
            values=values,
            id=None if stated is None else ids.stated(stated, "id", first=ids.FIRST_CRM_ID),
        )


def _hood_id(data: dict[str, Any]) -> int | None:
    stated = data.get("id")
    return None if stated is None else ids.stated(stated, "id", first=ids.FIRST_HOOD_ID)


def _time(value: Any, where: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise _fail(where, "must be an ISO 8601 time with an offset (2030-01-01T00:00:00Z).")
    return parsed


async def load(
    uow: UnitOfWork, document: Any, *, secrets: Secrets, default_tier: str = "C"
) -> list[SeededAccount]:
    """Seed a parsed seed file in the caller's transaction; the accounts made. If any entry
    fails, a ValidationFailed listing every problem: the caller must roll back."""
    seed = _Seed(uow, secrets, default_tier)
    try:
        top = _object(document, "file", ("accounts",))
    except ValidationFailed:
        raise ValidationFailed.one(
            "file", "A seed file holds an object with one field, accounts (a list)."
        ) from None
    made = []
    for at, entry in seed.entries(top, "accounts", ""):
        seeded = await seed.account(entry, at)
        if seeded is not None:
            made.append(seeded)
    if seed.problems:
        raise ValidationFailed(seed.problems)
    await transfer.after_stated_ids(uow)
    return made
