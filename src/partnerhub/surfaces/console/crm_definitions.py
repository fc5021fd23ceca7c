"""CRM property definitions of partner clients: groups and properties (name, label, type,
fieldType, options), forms to create and change them, archiving, and each one's history.

The forms post HubSpot's own field names (`groupName`, `fieldType`, `options.0.value`, …), so
the CRM API's messages land next to their input. The create forms live at paths no property or
group name can take (names are `[a-z][a-z0-9_]*`, never with a hyphen).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from partnerhub.domain.crm_properties import ALL_FIELD_TYPES, TYPES, Group, PropertyDef
from partnerhub.domain.objects import Kind
from partnerhub.services import crm_properties, history
from partnerhub.surfaces.console import areas, editing, render, routing
from partnerhub.surfaces.console.forms import Form
from partnerhub.surfaces.console.session import Session
from partnerhub.surfaces.crm import mapping
from partnerhub.surfaces.crm.routes import edge

router = routing.page_router()
AREA = areas.CRM_PROPERTIES
PATH = f"{routing.PREFIX}/crm/properties"
NEW_PROPERTY = f"{PATH}/new-property"
GROUPS = f"{PATH}/groups"
NEW_GROUP = f"{GROUPS}/new-group"
BLANK_OPTION_ROWS = 3
_OPTION = re.compile(r"options\.([0-9]{1,3})\.(label|value|description|displayOrder)")
# The text fields of each form, as HubSpot names them.
PROPERTY_TEXTS = ("name", "label", "type", "fieldType", "groupName", "description")
PROPERTY_EDIT_TEXTS = ("label", "type", "fieldType", "groupName", "description")
PROPERTY_FLAGS = ("hasUniqueValue", "hidden", "formField")
PROPERTY_EDIT_FLAGS = ("hidden", "formField")


def _option_rows(form: Form) -> list[dict[str, Any]]:
    """The option rows holding a label or a value, in row order (blank rows dropped): the
    n-th of them is `options.n` of the API's body, the field its messages name."""
    rows: dict[int, dict[str, str]] = {}
    for name in form.names():
        found = _OPTION.fullmatch(name)
        if found:
            rows.setdefault(int(found.group(1)), {})[found.group(2)] = form.get(name)
    kept = []
    for index in sorted(rows):
        row = rows[index]
        if not row.get("label") and not row.get("value"):
            continue
        kept.append(
            {
                "label": row.get("label", ""),
                "value": row.get("value", ""),
                "description": row.get("description", ""),
                "displayOrder": row.get("displayOrder", ""),
                "hidden": "true" in form.getlist(f"options.{index}.hidden"),
            }
        )
    return kept


def _stored_rows(prop: PropertyDef) -> list[dict[str, Any]]:
    return [
        {
            "label": str(o["label"]),
            "value": str(o["value"]),
            "description": str(o.get("description") or ""),
            "displayOrder": str(o.get("displayOrder", "")),
            "hidden": bool(o.get("hidden")),
        }
        for o in prop.options
    ]


def _options_wire(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    options = []
    for row in rows:
        option: dict[str, Any] = {"label": row["label"], "value": row["value"]}
        option["hidden"] = row["hidden"]
        if row["description"]:
            option["description"] = row["description"]
        if row["displayOrder"] != "":
            option["displayOrder"] = editing.integer_or_text(row["displayOrder"])
        options.append(option)
    return options


def definition_wire(
    form: Form, texts: tuple[str, ...], flags: tuple[str, ...], *, keep_empty: bool
) -> dict[str, Any]:
    """The API body of a property form. Creating (`keep_empty` false), an empty field is absent
    (the API's default); changing, it is sent as it is, for the API to judge."""
    wire: dict[str, Any] = {}
    for key in texts:
        if form.has(key) and (keep_empty or form.get(key) != ""):
            wire[key] = form.get(key)
    for key in flags:
        ticked = editing.checkbox(form, key)
        if ticked is not None:
            wire[key] = ticked
    order = form.get("displayOrder")
    if form.has("displayOrder") and (keep_empty or order != ""):
        wire["displayOrder"] = editing.integer_or_text(order)
    wire["options"] = _options_wire(_option_rows(form))
    return wire


def _posted(form: Form, names: tuple[str, ...]) -> dict[str, Any]:
    """What the user sent, to fill the form again."""
    values: dict[str, Any] = {name: form.get(name) for name in names if form.has(name)}
    for flag in PROPERTY_FLAGS:
        ticked = editing.checkbox(form, flag)
        if ticked is not None:
            values[flag] = ticked
    if form.has("displayOrder"):
        values["displayOrder"] = form.get("displayOrder")
    values["options"] = _option_rows(form)
    return values


def _property_values(prop: PropertyDef) -> dict[str, Any]:
    return {
        "name": prop.name,
        "label": prop.label,
        "type": prop.type,
        "fieldType": prop.field_type,
        "groupName": prop.group_name,
        "description": prop.description,
        "hasUniqueValue": prop.has_unique_value,
        "hidden": prop.hidden,
        "formField": prop.form_field,
        "displayOrder": str(prop.display_order),
        "options": _stored_rows(prop),
    }


_NEW_PROPERTY: dict[str, Any] = {
    "name": "",
    "label": "",
    "type": "",
    "fieldType": "",
    "groupName": crm_properties.DEFAULT.name,
    "description": "",
    "hasUniqueValue": False,
    "hidden": False,
    "formField": True,
    "displayOrder": "",
    "options": [],
}
_BLANK_ROW = {"label": "", "value": "", "description": "", "displayOrder": "", "hidden": False}


def _with_blank_rows(values: dict[str, Any]) -> dict[str, Any]:
    return {**values, "options": [*values["options"], *[_BLANK_ROW] * BLANK_OPTION_ROWS]}


async def _history(
    request: Request, uow: Any, current: Session, kind: Kind, name: str
) -> editing.History:
    """A group's or a property's history page (the history service's, by object type)."""
    return await editing.history(
        request, partial(history.list, uow, current.actor, object_type=kind.value, object_id=name)
    )


async def _archive(
    request: Request,
    name: str,
    archive: Callable[..., Awaitable[object]],
    page: Callable[..., Awaitable[Response]],
) -> Response:
    """Archive the group or property `name` (its service's `archive`); a refusal is shown on
    its `page`."""
    current, _ = await routing.enter_form(request, edge, AREA)

    async def run() -> Response:
        async with edge.write(request) as uow:
            await archive(uow, current.actor, name=name)
        return render.redirect(PATH, done="archived")

    async def again(errors: routing.Errors) -> Response:
        return await page(request, current, name, errors=errors)

    return await routing.submit(run, again)


# The list


@router.get("/crm/properties")
async def properties_list(request: Request) -> Response:
    current = await routing.enter(request, edge, AREA)
    async with edge.read(request) as uow:
        groups = await crm_properties.list_groups(uow, current.actor)
        props = await crm_properties.list(uow, current.actor, archived=False)
    custom = [p for p in props if not p.hubspot_defined]
    counts = {g.name: sum(1 for p in custom if p.group_name == g.name) for g in groups}
    return render.page(
        request,
        "crm/properties.html",
        current,
        groups=groups,
        counts=counts,
        props=sorted(props, key=lambda p: (not p.hubspot_defined, p.group_name, p.name)),
        writable=AREA.writable(current.actor),
    )


# Properties


async def _new_property_page(
    request: Request,
    current: Session,
    *,
    errors: routing.Errors | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    async with edge.read(request) as uow:
        groups = await crm_properties.list_groups(uow, current.actor)
    return render.page(
        request,
        "crm/property_new.html",
        current,
        values=_with_blank_rows({**_NEW_PROPERTY, **(values or {})}),
        errors=errors or {},
        groups=groups,
        types=TYPES,
        field_types=ALL_FIELD_TYPES,
    )


@router.get("/crm/properties/new-property")
async def property_new(request: Request) -> Response:
    current = await routing.enter(request, edge, AREA, write=True)
    return await _new_property_page(request, current)


@router.post("/crm/properties")
async def property_create(request: Request) -> Response:
    current, form = await routing.enter_form(request, edge, AREA)

    async def make() -> Response:
        draft = mapping.property_draft(
            definition_wire(form, PROPERTY_TEXTS, PROPERTY_FLAGS, keep_empty=False)
        )
        async with edge.write(request) as uow:
            prop = await crm_properties.create(uow, current.actor, draft=draft)
        return render.redirect(f"{PATH}/{prop.name}", done="created")

    async def again(errors: routing.Errors) -> Response:
        values = _posted(form, PROPERTY_TEXTS)
        return await _new_property_page(request, current, errors=errors, values=values)

    return await routing.submit(make, again)


# Groups


def _group_values(group: Group) -> dict[str, str]:
    return {"name": group.name, "label": group.label, "displayOrder": str(group.display_order)}


def _group_wire(form: Form, names: tuple[str, ...], *, keep_empty: bool) -> dict[str, Any]:
    wire: dict[str, Any] = {}
    for key in names:
        if form.has(key) and (keep_empty or form.get(key) != ""):
            text = form.get(key)
            wire[key] = editing.integer_or_text(text) if key == "displayOrder" else text
    return wire


GROUP_FIELDS = ("name", "label", "displayOrder")
GROUP_EDIT_FIELDS = ("label", "displayOrder")


async def _new_group_page(
    request: Request,
    current: Session,
    *,
    errors: routing.Errors | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    return render.page(
        request,
        "crm/group_new.html",
        current,
        values={"name": "", "label": "", "displayOrder": "", **(values or {})},
        errors=errors or {},
    )


@router.get("/crm/properties/groups/new-group")
async def group_new(request: Request) -> Response:
    current = await routing.enter(request, edge, AREA, write=True)
    return await _new_group_page(request, current)


@router.post("/crm/properties/groups")
async def group_create(request: Request) -> Response:
    current, form = await routing.enter_form(request, edge, AREA)

    async def make() -> Response:
        draft = mapping.group_draft(_group_wire(form, GROUP_FIELDS, keep_empty=False))
        async with edge.write(request) as uow:
            group = await crm_properties.create_group(uow, current.actor, group=draft)
        return render.redirect(f"{GROUPS}/{group.name}", done="created")

    async def again(errors: routing.Errors) -> Response:
        values = {name: form.get(name) for name in GROUP_FIELDS}
        return await _new_group_page(request, current, errors=errors, values=values)

    return await routing.submit(make, again)


async def _group_page(
    request: Request,
    current: Session,
    name: str,
    *,
    errors: routing.Errors | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    async with edge.read(request) as uow:
        group = await crm_properties.get_group(uow, current.actor, name=name)
        props = await crm_properties.list(uow, current.actor, archived=False)
        timeline = await _history(request, uow, current, Kind.CRM_GROUP, group.name)
    return render.page(
        request,
        "crm/group.html",
        current,
        group=group,
        props=[p for p in props if p.group_name == group.name and not p.hubspot_defined],
        values={**_group_values(group), **(values or {})},
        errors=errors or {},
        writable=AREA.writable(current.actor),
        default_group=group.name == crm_properties.DEFAULT.name,
        timeline=timeline,
    )


@router.get("/crm/properties/groups/{name}")
async def group_page(request: Request, name: str) -> Response:
    current = await routing.enter(request, edge, AREA)
    return await _group_page(request, current, name)


@router.post("/crm/properties/groups/{name}")
async def group_save(request: Request, name: str) -> Response:
    current, form = await routing.enter_form(request, edge, AREA)

    async def save() -> Response:
        label, order = mapping.group_patch(_group_wire(form, GROUP_EDIT_FIELDS, keep_empty=True))
        async with edge.write(request) as uow:
            await crm_properties.patch_group(
                uow, current.actor, name=name, label=label, display_order=order
            )
        return render.redirect(f"{GROUPS}/{name}", done="saved")

    async def again(errors: routing.Errors) -> Response:
        values = {key: form.get(key) for key in GROUP_EDIT_FIELDS if form.has(key)}
        return await _group_page(request, current, name, errors=errors, values=values)

    return await routing.submit(save, again)


@router.post("/crm/properties/groups/{name}/archive")
async def group_archive(request: Request, name: str) -> Response:
    return await _archive(request, name, crm_properties.archive_group, _group_page)


# One property (after the group routes: `groups/<name>/archive` is a group's, not a property's)


async def _property_page(
    request: Request,
    current: Session,
    name: str,
    *,
    errors: routing.Errors | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    async with edge.read(request) as uow:
        prop = await crm_properties.get(uow, current.actor, name=name)
        groups = await crm_properties.list_groups(uow, current.actor)
        timeline = await _history(request, uow, current, Kind.CRM_PROPERTY, prop.name)
    return render.page(
        request,
        "crm/property.html",
        current,
        prop=prop,
        wire=mapping.property_wire(prop),
        values=_with_blank_rows({**_property_values(prop), **(values or {})}),
        errors=errors or {},
        groups=groups,
        types=TYPES,
        field_types=ALL_FIELD_TYPES,
        writable=AREA.writable(current.actor) and not prop.hubspot_defined,
        timeline=timeline,
    )


@router.get("/crm/properties/{name}")
async def property_page(request: Request, name: str) -> Response:
    current = await routing.enter(request, edge, AREA)
    return await _property_page(request, current, name)


@router.post("/crm/properties/{name}")
async def property_save(request: Request, name: str) -> Response:
    current, form = await routing.enter_form(request, edge, AREA)

    async def save() -> Response:
        changes = mapping.property_patch(
            definition_wire(form, PROPERTY_EDIT_TEXTS, PROPERTY_EDIT_FLAGS, keep_empty=True)
        )
        async with edge.write(request) as uow:
            await crm_properties.patch(uow, current.actor, name=name, changes=changes)
        return render.redirect(f"{PATH}/{name}", done="saved")

    async def again(errors: routing.Errors) -> Response:
        values = _posted(form, PROPERTY_EDIT_TEXTS)
        return await _property_page(request, current, name, errors=errors, values=values)

    return await routing.submit(save, again)


@router.post("/crm/properties/{name}/archive")
async def property_archive(request: Request, name: str) -> Response:
    return await _archive(request, name, crm_properties.archive, _property_page)
