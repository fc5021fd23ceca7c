"""CRM property definitions and property groups of `partner_clients`."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
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
from partnerhub.errors import Conflict, NotFound, ValidationFailed
from partnerhub.services import history
from partnerhub.storage.unit_of_work import UnitOfWork

PROPERTY_OBJECT_TYPE = "crm.property"
GROUP_OBJECT_TYPE = "crm.property_group"
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


async def _require_group(uow: UnitOfWork, actor: Actor, name: str, field: str) -> None:
    if name == DEFAULT.name:
        await uow.crm.ensure_group(actor.account_id, DEFAULT, utcnow())
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
    prop = draft.with_changes(created_at=now, updated_at=now, archived=False, archived_at=None)
    await uow.crm.insert_property(actor.account_id, prop)
    await history.record(
        uow,
        actor,
        object_type=PROPERTY_OBJECT_TYPE,
        object_id=prop.name,
        version=1,
        action="create",
        changes=history.created(_state(prop)),
    )
    return prop


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
    new = new.with_changes(updated_at=utcnow())
    await uow.crm.update_property(actor.account_id, new)
    await history.record(
        uow,
        actor,
        object_type=PROPERTY_OBJECT_TYPE,
        object_id=name,
        version=1,
        action="update",
        changes=_changes(current, new),
    )
    return new


def _changes(old: PropertyDef, new: PropertyDef) -> dict[str, dict[str, Any]]:
    before, after = _state(old), _state(new)
    return {k: {"old": before[k], "new": after[k]} for k in after if before[k] != after[k]}


async def archive(uow: UnitOfWork, actor: Actor, *, name: str) -> None:
    current = await _locked(uow, actor, name)
    now = utcnow()
    await uow.crm.update_property(
        actor.account_id, current.with_changes(archived=True, archived_at=now, updated_at=now)
    )
    await history.record(
        uow,
        actor,
        object_type=PROPERTY_OBJECT_TYPE,
        object_id=name,
        version=1,
        action="archive",
        changes={"archived": {"old": False, "new": True}},
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


async def create_group(uow: UnitOfWork, actor: Actor, *, group: Group) -> Group:
    check_group_name(group.name)
    await uow.crm.ensure_group(actor.account_id, DEFAULT, utcnow())
    existing = await uow.crm.get_group(actor.account_id, group.name)
    if existing is not None and not existing.archived:
        raise Conflict(f"Property group {group.name} already exists.", field="name")
    if existing is not None:  # an archived group of that name comes back
        await uow.crm.update_group(actor.account_id, group, utcnow())
    else:
        await uow.crm.insert_group(actor.account_id, group, utcnow())
    await history.record(
        uow,
        actor,
        object_type=GROUP_OBJECT_TYPE,
        object_id=group.name,
        version=1,
        action="create",
        changes=history.created({"label": group.label, "displayOrder": group.display_order}),
    )
    return group


async def patch_group(
    uow: UnitOfWork, actor: Actor, *, name: str, label: str | None, display_order: int | None
) -> Group:
    if name == DEFAULT.name:  # the default group exists only virtually until first written
        await uow.crm.ensure_group(actor.account_id, DEFAULT, utcnow())
    current = await get_group(uow, actor, name=name)
    new = Group(
        name,
        label if label is not None else current.label,
        display_order if display_order is not None else current.display_order,
    )
    if new != current:
        await uow.crm.update_group(actor.account_id, new, utcnow())
        await history.record(
            uow,
            actor,
            object_type=GROUP_OBJECT_TYPE,
            object_id=name,
            version=1,
            action="update",
            changes={
                k: {"old": a, "new": b}
                for k, a, b in (
                    ("label", current.label, new.label),
                    ("displayOrder", current.display_order, new.display_order),
                )
                if a != b
            },
        )
    return new


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
    await uow.crm.update_group(
        actor.account_id,
        Group(current.name, current.label, current.display_order, True),
        utcnow(),
    )
    await history.record(
        uow,
        actor,
        object_type=GROUP_OBJECT_TYPE,
        object_id=name,
        version=1,
        action="archive",
        changes={"archived": {"old": False, "new": True}},
    )
