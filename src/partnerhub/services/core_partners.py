"""Core partners: the partner a token acts as, and create / read / list / patch / replace /
delete inside its subtree, with history."""

from __future__ import annotations

import asyncio
import builtins
import re
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from partnerhub.auth import passwords
from partnerhub.auth.scopes import CORE_SCOPES
from partnerhub.domain import core_partners as rules
from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.core_partners import (
    AuthenticationChange,
    CoreDraft,
    CorePartner,
    HierarchyForbidden,
)
from partnerhub.domain.core_query import CoreListQuery
from partnerhub.domain.history import REDACTED, HistoryEntry, diff
from partnerhub.domain.objects import Kind
from partnerhub.domain.versioning import check_if_match
from partnerhub.errors import Conflict, NotFound, Unauthenticated, ValidationFailed
from partnerhub.services import change, history
from partnerhub.storage.unit_of_work import UnitOfWork

OBJECT_TYPE = rules.OBJECT_TYPE
KIND = "partner"


async def acting(uow: UnitOfWork, actor: Actor) -> CorePartner:
    """The partner the token acts as: its own partner, or the account's root partner."""
    if actor.core_partner_id is not None:
        found = await uow.core_partners.get_by_id(actor.account_id, actor.core_partner_id)
    else:
        found = await uow.core_partners.get_root(actor.account_id)
    if found is None:
        raise Unauthenticated("The partner this token acts as no longer exists.")
    return found


async def _visible(
    uow: UnitOfWork, me: CorePartner, partner_sid: str, *, lock: bool = False
) -> CorePartner:
    found = await uow.core_partners.get(me.account_id, me.path, partner_sid, lock=lock)
    if found is None:
        raise NotFound(KIND, partner_sid)
    return found


async def get(uow: UnitOfWork, actor: Actor, *, partner_sid: str) -> CorePartner:
    return await _visible(uow, await acting(uow, actor), partner_sid)


async def list(
    uow: UnitOfWork, actor: Actor, *, query: CoreListQuery
) -> tuple[int, builtins.list[CorePartner], bool]:
    me = await acting(uow, actor)
    cursor = None
    if query.cursor is not None:
        cursor = await uow.core_partners.get(me.account_id, me.path, query.cursor)
        if cursor is None:
            name = "after" if query.after else "before"
            raise ValidationFailed.one(name, f"{name}: Cannot find item by SID.", "NOT_FOUND")
    return await uow.core_partners.list(me.account_id, me.path, query, cursor)


async def _new_display_id(uow: UnitOfWork, batch: set[str] | None = None) -> str:
    """A free random `CX` + 8 digits; `batch` holds the ids given out but not yet inserted."""
    for _ in range(20):
        candidate = f"CX{secrets.randbelow(10**8):08d}"
        if batch is not None and candidate in batch:
            continue
        if not await uow.core_partners.display_id_taken(candidate):
            if batch is not None:
                batch.add(candidate)
            return candidate
    raise Conflict("Could not allocate a display_id; retry.")  # pragma: no cover


def _row(values: Mapping[str, Any]) -> dict[str, Any]:
    now = utcnow()
    row: dict[str, Any] = {
        "name": None,
        "company_name": None,
        "address1": None,
        "address2": None,
        "city": None,
        "state": None,
        "zip": None,
        "country_code": None,
        "phonenumber": None,
        "owner_email": None,
        "billing_email": None,
        "tech_email": None,
        "payment_type": "prepay",
        "charge_at": None,
        "prepay_amount": None,
        "status": "active",
        "attributes": {},
        "callbacks": {},
        "acls": [],
        "parent_assigned_acls": [],
        "transformations": [],
        **rules.DEFAULTS,
        "date_created": now,
        "date_updated": now,
    }
    row.update(values)
    if row["payment_type"] == "postpay":
        # CarrierX answers prepay_amount and charge_at as null for postpay partners.
        row["prepay_amount"] = row["charge_at"] = None
    return row


async def _insert(
    uow: UnitOfWork,
    actor: Actor,
    *,
    account_id: int,
    parent: CorePartner | None,
    login: str,
    password: str,
    values: Mapping[str, Any],
    partner_sid: str | None = None,
) -> CorePartner:
    if await uow.core_partners.login_taken(login):
        raise Conflict(f"The login {login!r} is already taken.", field="login")
    if partner_sid is not None and await uow.core_partners.sid_taken(partner_sid):
        raise Conflict(f"The partner_sid {partner_sid} is already in use.", field="partner_sid")
    password_hash = await asyncio.to_thread(passwords.hash_password, password)
    row = _row(
        {
            **values,
            "partner_sid": partner_sid or str(uuid.uuid4()),
            "display_id": await _new_display_id(uow),
            "login": login,
            "password_hash": password_hash,
            "available_scopes": builtins.list(parent.available_scopes if parent else CORE_SCOPES),
        }
    )
    (partner_id,) = await _create_rows(uow, actor, parent, [row])
    created = await uow.core_partners.get_by_id(account_id, int(partner_id))
    assert created is not None
    return created


async def _create_rows(
    uow: UnitOfWork, actor: Actor, parent: CorePartner | None, rows: builtins.list[dict[str, Any]]
) -> builtins.list[change.Key]:
    """Insert partners under `parent` (None: the account's root), each with its history."""
    parent_values = {"parent_id": parent.id if parent else None}
    parent_sid = parent.partner_sid if parent else None
    return await change.create_many(
        uow,
        actor,
        Kind.CORE_PARTNER,
        [
            (
                {**row, **parent_values},
                change.created(rules.public_values({**row, "parent_sid": parent_sid})),
                row["partner_sid"],
            )
            for row in rows
        ],
    )


async def create(
    uow: UnitOfWork, actor: Actor, *, draft: CoreDraft, partner_sid: str | None = None
) -> CorePartner:
    """A new sub-partner of the caller (or of `parent_sid`, a partner the caller manages);
    `partner_sid`: the secure id to give it (canonical form; else one is issued)."""
    me = await acting(uow, actor)
    parent = me
    if draft.parent_sid:
        found = await uow.core_partners.get(me.account_id, me.path, draft.parent_sid)
        if found is None:
            raise ValidationFailed.one(
                "parent_sid", "parent_sid: Cannot find item by SID.", "NOT_FOUND"
            )
        parent = found
    rules.check_child_depth(parent.path)
    if draft.values.get("acls"):
        raise HierarchyForbidden(
            "acls can only be set by the partner itself; a parent partner sets "
            "parent_assigned_acls.",
            field="acls",
        )
    return await _insert(
        uow,
        actor,
        account_id=me.account_id,
        parent=parent,
        login=draft.login,
        password=draft.password,
        values=draft.values,
        partner_sid=partner_sid,
    )


def _random_password() -> str:
    # 144 random bits; never containing "ph_", so it cannot be mistaken for an API token.
    while "ph_" in (password := secrets.token_urlsafe(18)):
        continue
    return password


def root_login(account_name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", account_name).strip("-._")[:100]
    return slug or "account"


async def create_root(
    uow: UnitOfWork,
    *,
    account_id: int,
    account_name: str,
    password: str | None = None,
    source: str | None = None,
) -> tuple[CorePartner, str]:
    """The account's root partner, with a login derived from the account name and a random
    password (or `password`, already checked). Returns the password (its only appearance; only
    an argon2 hash is stored)."""
    login = root_login(account_name)
    if await uow.core_partners.login_taken(login):
        login = f"{login}-{account_id}"
    password = password if password is not None else _random_password()
    actor = Actor(account_id=account_id, token_id=None, scopes=frozenset(), source=source)
    partner = await _insert(
        uow,
        actor,
        account_id=account_id,
        parent=None,
        login=login,
        password=password,
        values={"name": account_name, "company_name": account_name},
    )
    return partner, password


async def reset_root_password(uow: UnitOfWork, *, account_id: int) -> tuple[CorePartner, str]:
    """A new random password for the account's root partner (CLI)."""
    root = await uow.core_partners.get_root(account_id)
    if root is None:
        raise NotFound(KIND)
    password = _random_password()
    password_hash = await asyncio.to_thread(passwords.hash_password, password)
    actor = Actor(account_id=account_id, token_id=None, scopes=frozenset())
    await change.update(
        uow,
        actor,
        _target(root),
        values={"password_hash": password_hash},
        changes={"password": {"old": REDACTED, "new": REDACTED}},
    )
    return root, password


def _target(partner: CorePartner) -> change.Target:
    return change.Target(Kind.CORE_PARTNER, partner.id, partner.version, partner.partner_sid)


async def _update(
    uow: UnitOfWork,
    actor: Actor,
    *,
    partner_sid: str,
    changes: Mapping[str, Any],
    echoed: Mapping[str, Any],
    replace_nested: bool,
    if_match: str | None,
) -> CorePartner:
    me = await acting(uow, actor)
    target = await _visible(uow, me, partner_sid, lock=True)
    check_if_match(if_match, target.version)
    problems = rules.read_only_problems(target, echoed)
    if problems:
        raise ValidationFailed(problems)
    new_state = rules.apply_changes(target, changes, replace_nested=replace_nested)
    rules.check_hierarchy(me, target, new_state)
    field_changes = diff(target.updatable(), new_state)
    if not field_changes:
        return target
    now = utcnow()
    updates = {k: new_state[k] for k in field_changes}
    version = await change.update(
        uow, actor, _target(target), values=updates, changes=field_changes, at=now
    )
    return target.with_values({**updates, "version": version, "date_updated": now})


async def patch(
    uow: UnitOfWork,
    actor: Actor,
    *,
    partner_sid: str,
    changes: Mapping[str, Any],
    echoed: Mapping[str, Any],
    replace_nested: bool = False,
    if_match: str | None = None,
) -> CorePartner:
    """Only the fields sent change; `attributes` / `callbacks` merge unless `replace_nested`."""
    return await _update(
        uow,
        actor,
        partner_sid=partner_sid,
        changes=changes,
        echoed=echoed,
        replace_nested=replace_nested,
        if_match=if_match,
    )


async def replace(
    uow: UnitOfWork,
    actor: Actor,
    *,
    partner_sid: str,
    values: Mapping[str, Any],
    echoed: Mapping[str, Any],
    if_match: str | None = None,
) -> CorePartner:
    """PUT: every updatable field is required and replaces the stored value."""
    rules.check_put_complete(values)
    return await _update(
        uow,
        actor,
        partner_sid=partner_sid,
        changes=values,
        echoed=echoed,
        replace_nested=True,
        if_match=if_match,
    )


async def delete(
    uow: UnitOfWork, actor: Actor, *, partner_sid: str, if_match: str | None = None
) -> CorePartner:
    """Delete a descendant that has no sub-partners (its tokens go with it); returns it as it
    was."""
    me = await acting(uow, actor)
    target = await _visible(uow, me, partner_sid, lock=True)
    check_if_match(if_match, target.version)
    if target.id == me.id:
        raise HierarchyForbidden("A partner cannot delete itself.", field="partner_sid")
    if await uow.core_partners.has_children(me.account_id, target.id):
        raise Conflict("The partner has sub-partners; delete them first.", field="partner_sid")
    await change.delete(
        uow,
        actor,
        _target(target),
        changes={k: {"old": v, "new": None} for k, v in sorted(target.public().items())},
    )
    return target


async def set_authentication(
    uow: UnitOfWork,
    actor: Actor,
    *,
    partner_sid: str,
    settings: AuthenticationChange,
    if_match: str | None = None,
) -> CorePartner:
    """Change a partner's password and/or `allow_basic_authentication`: the partner itself or
    an ancestor (a descendant does not see its ancestors: 404). The password is hashed here and
    appears in history only as "[redacted]"."""
    me = await acting(uow, actor)
    target = await _visible(uow, me, partner_sid, lock=True)
    check_if_match(if_match, target.version)
    values: dict[str, Any] = {}
    changes: dict[str, Any] = {}
    allow = settings.allow_basic_authentication
    if allow is not None and allow != target.allow_basic_authentication:
        values["allow_basic_authentication"] = allow
        changes["allow_basic_authentication"] = {
            "old": target.allow_basic_authentication,
            "new": allow,
        }
    if settings.password is not None:
        values["password_hash"] = await asyncio.to_thread(
            passwords.hash_password, settings.password
        )
        changes["password"] = {"old": REDACTED, "new": REDACTED}
    if not values:
        return target
    now = utcnow()
    version = await change.update(
        uow, actor, _target(target), values=values, changes=changes, at=now
    )
    return target.with_values({**values, "version": version, "date_updated": now})


async def history_of(
    uow: UnitOfWork, actor: Actor, *, partner_sid: str, limit: int, offset: int
) -> tuple[int, builtins.list[HistoryEntry]]:
    await get(uow, actor, partner_sid=partner_sid)
    return await history.list(
        uow, actor, object_type=OBJECT_TYPE, object_id=partner_sid, limit=limit, offset=offset
    )


async def create_many(
    uow: UnitOfWork,
    actor: Actor,
    *,
    items: builtins.list[Mapping[str, Any]],
    password: str,
) -> int:
    """Bulk create sub-partners of the caller sharing one password (demo data, load tests):
    the same rows and history as `create`, in a few statements whatever the count. Each item
    needs a `login`."""
    me = await acting(uow, actor)
    password_hash = await asyncio.to_thread(passwords.hash_password, password)
    rows = []
    display_ids: set[str] = set()
    for item in items:
        if await uow.core_partners.login_taken(str(item["login"])):
            raise Conflict(f"The login {item['login']!r} is already taken.", field="login")
        rows.append(
            _row(
                {
                    **item,
                    "partner_sid": str(uuid.uuid4()),
                    "display_id": await _new_display_id(uow, display_ids),
                    "password_hash": password_hash,
                    "available_scopes": builtins.list(me.available_scopes),
                }
            )
        )
    await _create_rows(uow, actor, me, rows)
    return len(rows)
