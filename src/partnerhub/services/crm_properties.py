"""CRM property definitions and property groups of `partner_clients`."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.crm_properties import (
    BUILTINS,
    DEFAULT_GROUP,
    MAX_UNIQUE_PER_OBJECT,
    Definitions,
    Group,
    PropertyDef,
    check_definition,
    check_group_name,
    check_name,
)
from partnerhub.domain.history import Changes, diff
from partnerhub.domain.objects import Kind
from partnerhub.errors import Conflict, NotFound, ValidationFailed
from partnerhub.services import change
from partnerhub.storage.repos.crm import group_row, property_row
from partnerhub.storage.unit_of_work import UnitOfWork

DEFAULT = Group(DEFAULT_GROUP, "Partner client information", 0)
PATCHABLE = (
    "label",
    "description",
    "options",
    "group_name",
    "hidden",
    "display_order",
    "form_field",
    "type",
    "field_type",
)


async def definitions(uow: UnitOfWork, actor: Actor) -> Definitions:
    return Definitions(await uow.crm.list_properties(actor.account_id))


def _state(prop: PropertyDef) -> dict[str, Any]:
    return {
        "label": prop.label,
        "type": prop.type,
        "fieldType": prop.field_type,
        "groupName": prop.group_name,
        "description": prop.description,
        "options": builtins.list(prop.options),
        "hasUniqueValue": prop.has_unique_value,
        "hidden": prop.hidden,
        "displayOrder": prop.display_order,
        "formField": prop.form_field,
    }


async def list(uow: UnitOfWork, actor: Actor, *, archived: bool) -> builtins.list[PropertyDef]:
    custom = (await definitions(uow, actor)).custom.values()
    if archived:
        return [p for p in custom if p.archived]
    return [*BUILTINS.values(), *(p for p in custom if not p.archived)]


async def get(uow: UnitOfWork, actor: Actor, *, name: str, archived: bool = False) -> PropertyDef:
    if name in BUILTINS and not archived:
        return BUILTINS[name]
    prop = await uow.crm.get_property(actor.account_id, name)
    if prop is None or prop.archived != archived:
        raise NotFound("property", name)
    return prop


def _group_state(group: Group) -> dict[str, Any]:
    return {"label": group.label, "displayOrder": group.display_order}


async def _ensure_default_group(uow: UnitOfWork, actor: Actor) -> None:
    """The default group exists virtually until first needed; then it is stored (once)."""
    now = utcnow()
    row = {**group_row(DEFAULT), "created_at": now, "updated_at": now}
    created = change.created(_group_state(DEFAULT))
    await change.create_many(
        uow, actor, Kind.CRM_GROUP, [(row, created, None)], at=now, if_absent=True
    )


async def _require_group(uow: UnitOfWork, actor: Actor, name: str, field: str) -> None:
    if name == DEFAULT.name:
        await _ensure_default_group(uow, actor)
        return
    group = await uow.crm.get_group(actor.account_id, name)
    if group is None or group.archived:
        raise ValidationFailed.one(
            field, f"Property group {name!r} does not exist.", "GROUP_DOESNT_EXIST"
        )


async def create(uow: UnitOfWork, actor: Actor, *, draft: PropertyDef) -> PropertyDef:
    check_name(draft.name)
    check_definition(draft)
    await _require_group(uow, actor, draft.group_name, "groupName")
    existing = await uow.crm.get_property(actor.account_id, draft.name, lock=True)
    if existing is not None:
        state = "an archived" if existing.archived else "a"
        raise Conflict(f"Property {draft.name} already exists as {state} property.", field="name")
    if draft.has_unique_value:
        unique = (await definitions(uow, actor)).unique()
        if len(unique) >= MAX_UNIQUE_PER_OBJECT:
            raise ValidationFailed.one(
                "hasUniqueValue",
                f"At most {MAX_UNIQUE_PER_OBJECT} unique properties are allowed per object type.",
                "TOO_MANY_UNIQUE_PROPERTIES",
            )
    now = utcnow()
    prop = draft.with_changes(
        created_at=now, updated_at=now, archived=False, archived_at=None, version=1
    )
    await change.create(
        uow,
        actor,
        Kind.CRM_PROPERTY,
        property_row(prop),
        changes=change.created(_state(prop)),
        at=now,
    )
    return prop


def _target(prop: PropertyDef) -> change.Target:
    return change.Target(Kind.CRM_PROPERTY, prop.name, prop.version)


async def _write(
    uow: UnitOfWork, actor: Actor, current: PropertyDef, new: PropertyDef, action: str
) -> PropertyDef:
    now = utcnow()
    row = property_row(new)
    for key in ("name", "created_at", "updated_at"):
        row.pop(key)
    version = await change.update(
        uow,
        actor,
        _target(current),
        values=row,
        changes=_changes(current, new),
        action=action,
        at=now,
    )
    return new.with_changes(updated_at=now, version=version)


async def _locked(uow: UnitOfWork, actor: Actor, name: str) -> PropertyDef:
    if name in BUILTINS:
        raise ValidationFailed.one(
            "name",
            f"Property {name} is defined by partnerhub and read-only.",
            "READ_ONLY_DEFINITION",
        )
    prop = await uow.crm.get_property(actor.account_id, name, lock=True)
    if prop is None or prop.archived:
        raise NotFound("property", name)
    return prop


async def patch(
    uow: UnitOfWork, actor: Actor, *, name: str, changes: Mapping[str, Any]
) -> PropertyDef:
    current = await _locked(uow, actor, name)
    if "has_unique_value" in changes and changes["has_unique_value"] != current.has_unique_value:
        raise ValidationFailed.one(
            "hasUniqueValue", "hasUniqueValue cannot be changed once set.", "READ_ONLY_VALUE"
        )
    updates = {k: v for k, v in changes.items() if k in PATCHABLE}
    if "options" in updates:
        updates["options"] = tuple(updates["options"])
    new = current.with_changes(**updates)
    if new.type != current.type and new.type not in ("enumeration", "bool"):
        new = new.with_changes(options=())
    check_definition(new)
    if new.group_name != current.group_name:
        await _require_group(uow, actor, new.group_name, "groupName")
    if (new.type, new.field_type) != (current.type, current.field_type) and (
        new.type != current.type or new.is_multi != current.is_multi
    ):
        held = await uow.crm.count_values(actor.account_id, name)
        if held:
            raise ValidationFailed.one(
                "type",
                f"The type of {name} cannot change while {held} object(s) hold a value for it.",
                "PROPERTY_IN_USE",
            )
    if new == current:
        return current
    return await _write(uow, actor, current, new, "update")


def _changes(old: PropertyDef, new: PropertyDef) -> Changes:
    before = {**_state(old), "archived": old.archived}
    after = {**_state(new), "archived": new.archived}
    return {k: {"old": before[k], "new": after[k]} for k in after if before[k] != after[k]}


async def archive(uow: UnitOfWork, actor: Actor, *, name: str) -> None:
    current = await _locked(uow, actor, name)
    await _write(
        uow, actor, current, current.with_changes(archived=True, archived_at=utcnow()), "archive"
    )


# Groups


async def list_groups(uow: UnitOfWork, actor: Actor) -> builtins.list[Group]:
    found = await uow.crm.list_groups(actor.account_id)
    if not any(g.name == DEFAULT.name for g in found):
        found.insert(0, DEFAULT)
    return [g for g in found if not g.archived]


async def get_group(uow: UnitOfWork, actor: Actor, *, name: str) -> Group:
    group = await uow.crm.get_group(actor.account_id, name)
    if group is None and name == DEFAULT.name:
        return DEFAULT
    if group is None or group.archived:
        raise NotFound("property group", name)
    return group


async def _write_group(
    uow: UnitOfWork, actor: Actor, current: Group, new: Group, action: str
) -> Group:
    before = {**_group_state(current), "archived": current.archived}
    after = {**_group_state(new), "archived": new.archived}
    version = await change.update(
        uow,
        actor,
        change.Target(Kind.CRM_GROUP, current.name, current.version),
        values=group_row(new),
        changes=diff(before, after),
        action=action,
    )
    return replace(new, version=version)


async def create_group(uow: UnitOfWork, actor: Actor, *, group: Group) -> Group:
    check_group_name(group.name)
    await _ensure_default_group(uow, actor)
    existing = await uow.crm.get_group(actor.account_id, group.name)
    if existing is not None and not existing.archived:
        raise Conflict(f"Property group {group.name} already exists.", field="name")
    if existing is not None:  # an archived group of that name comes back
        return await _write_group(uow, actor, existing, replace(group, archived=False), "create")
    now = utcnow()
    await change.create(
        uow,
        actor,
        Kind.CRM_GROUP,
        {**group_row(group), "created_at": now, "updated_at": now},
        changes=change.created(_group_state(group)),
        at=now,
    )
    return replace(group, version=1)


async def patch_group(
    uow: UnitOfWork, actor: Actor, *, name: str, label: str | None, display_order: int | None
) -> Group:
    if name == DEFAULT.name:
        await _ensure_default_group(uow, actor)
    current = await get_group(uow, actor, name=name)
    new = replace(
        current,
        label=label if label is not None else current.label,
        display_order=display_order if display_order is not None else current.display_order,
    )
    if new == current:
        return current
    return await _write_group(uow, actor, current, new, "update")


async def archive_group(uow: UnitOfWork, actor: Actor, *, name: str) -> None:
    if name == DEFAULT.name:
        raise ValidationFailed.one(
            "groupName", f"The default group {name} cannot be archived.", "READ_ONLY_DEFINITION"
        )
    current = await get_group(uow, actor, name=name)
    if await uow.crm.group_in_use(actor.account_id, name):
        raise ValidationFailed.one(
            "groupName",
            f"Property group {name} still holds properties; move or archive them first.",
            "GROUP_IN_USE",
        )
    await _write_group(uow, actor, current, replace(current, archived=True), "archive")
