"""CRM partner clients: the objects in a table of the properties the user picks, an object's page
(every property with its history, an edit form, archive and restore, its history timeline) and
a create form.

Forms carry each property as `properties.<name>`, the field the CRM API's messages name, so
HubSpot's validation messages land next to their input. Values go to the API's own mapping and
services as the text HubSpot takes: an emptied input clears the value (""), and only the
properties whose value changed are sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from partnerhub.domain import ids, numbers
from partnerhub.domain.crm_properties import DEFAULT_PROPERTIES, PropertyDef, property_field
from partnerhub.services import crm_objects, crm_properties, crm_views
from partnerhub.services.crm_objects import ValueVersion
from partnerhub.surfaces.console import areas, editing, render, routing
from partnerhub.surfaces.console.forms import Form
from partnerhub.surfaces.console.session import Session
from partnerhub.surfaces.crm import mapping
from partnerhub.surfaces.crm.routes import edge

router = routing.page_router()
AREA = areas.CRM_OBJECTS
PATH = f"{routing.PREFIX}/crm/objects"
PAGE_SIZES = ("10", "25", "50", "100")


# Values as the console shows them and takes them back.


def _day(ms: str) -> str:
    """A stored date (epoch ms at midnight UTC) as YYYY-MM-DD, what the API also accepts."""
    number = numbers.ascii_int(ms, signed=True)
    if number is None:
        return ms
    return datetime.fromtimestamp(number / 1000, UTC).date().isoformat()


def form_text(prop: PropertyDef, value: str | None) -> str:
    """The text an input shows for a stored value (and posts back when left alone)."""
    if value is None:
        return ""
    if prop.type == "date":
        return _day(value)
    if prop.is_multi:
        held = set(value.split(";"))
        return ";".join(v for v in prop.option_values if v in held)
    return value


def shown_text(prop: PropertyDef, value: str | None) -> str:
    """A value as a table cell shows it: dates as days, the rest as stored."""
    if value is None:
        return ""
    return _day(value) if prop.type == "date" else value


def _posted_text(prop: PropertyDef, form: Form) -> str | None:
    """The form's value of `prop` (None: not on the form). A multi-checkbox sends a hidden
    empty twin first, so that ticking none clears it."""
    name = property_field(prop.name)
    if prop.is_multi:
        chosen = form.getlist(name)
        return ";".join(v for v in chosen if v) if chosen else None
    return form.get(name) if form.has(name) else None


def _sorted(props: Sequence[PropertyDef]) -> list[PropertyDef]:
    """Properties in HubSpot's display order (a displayOrder first, then by label), the
    built-in ones last."""
    return sorted(
        props,
        key=lambda p: (p.hubspot_defined, p.display_order < 0, p.display_order, p.label.lower()),
    )


@dataclass(frozen=True, slots=True)
class Input:
    """One property's input on a form: its definition and the text it shows."""

    prop: PropertyDef
    field: str
    text: str
    chosen: frozenset[str]

    @property
    def options(self) -> list[tuple[str, str]]:
        """The property's options as (value, label) pairs of text."""
        return [(str(o["value"]), str(o["label"])) for o in self.prop.options]


def _inputs(props: Sequence[PropertyDef], texts: dict[str, str]) -> list[Input]:
    inputs = []
    for prop in props:
        text = texts.get(prop.name, "")
        chosen = frozenset(text.split(";")) if prop.is_multi and text else frozenset()
        inputs.append(Input(prop, property_field(prop.name), text, chosen))
    return inputs


def _posted_texts(props: Sequence[PropertyDef], form: Form) -> dict[str, str]:
    texts = {}
    for prop in props:
        text = _posted_text(prop, form)
        if text is not None:
            texts[prop.name] = text
    return texts


# The list


def _columns(request: Request, readable: dict[str, PropertyDef]) -> list[PropertyDef]:
    """The properties picked (`properties=`, as on the API; unknown names ignored), else the
    API's default ones."""
    picked = [n for n in mapping.query_list(request, "properties") if n in readable]
    return [readable[n] for n in picked or DEFAULT_PROPERTIES]


@router.get("/crm/objects")
async def objects_list(request: Request) -> Response:
    current = await routing.enter(request, edge, AREA)
    limit = mapping.query_limit(request)
    after = mapping.query_after(request)
    archived = mapping.query_bool(request, "archived")
    async with edge.read(request) as uow:
        readable = (await crm_properties.definitions(uow, current.actor)).readable()
        columns = _columns(request, readable)
        page = await crm_views.list_objects(
            uow,
            current.actor,
            show=crm_views.Show([c.name for c in columns]),
            archived=archived,
            after=after,
            limit=limit,
        )
    query: list[tuple[str, str]] = [("properties", c.name) for c in columns]
    if archived:
        query.append(("archived", "true"))
    query.append(("limit", str(limit)))
    rows = [
        (view.record, [shown_text(c, view.properties.get(c.name)) for c in columns])
        for view in page.results
    ]
    return render.page(
        request,
        "crm/objects.html",
        current,
        columns=columns,
        choices=_sorted(list(readable.values())),
        rows=rows,
        archived=archived,
        limit=str(limit),
        page_sizes=PAGE_SIZES,
        first_link=f"{PATH}?{urlencode(query)}" if after is not None else None,
        next_link=(
            f"{PATH}?{urlencode([*query, ('after', str(page.after))])}"
            if page.after is not None
            else None
        ),
        writable=AREA.writable(current.actor),
    )


# Creating one


async def _new_page(
    request: Request,
    current: Session,
    *,
    errors: routing.Errors | None = None,
    texts: dict[str, str] | None = None,
) -> Response:
    async with edge.read(request) as uow:
        active = (await crm_properties.definitions(uow, current.actor)).active()
    inputs = _inputs(_sorted(list(active.values())), texts or {})
    return render.page(
        request,
        "crm/object_new.html",
        current,
        inputs=inputs,
        errors=editing.by_field(errors or {}, [i.field for i in inputs]),
    )


@router.get("/crm/objects/new")
async def object_new(request: Request) -> Response:
    current = await routing.enter(request, edge, AREA, write=True)
    return await _new_page(request, current)


@router.post("/crm/objects")
async def object_create(request: Request) -> Response:
    current, form = await routing.enter_form(request, edge, AREA)
    actor = current.actor
    texts: dict[str, str] = {}

    async def make() -> Response:
        async with edge.write(request) as uow:
            active = (await crm_properties.definitions(uow, actor)).active()
            texts.update(_posted_texts(list(active.values()), form))
            sent = {name: text for name, text in texts.items() if text != ""}
            values = mapping.object_values({"properties": sent})
            view = await crm_views.create_object(uow, actor, values=values)
        return render.redirect(f"{PATH}/{view.record.id}", done="created")

    async def again(errors: routing.Errors) -> Response:
        return await _new_page(request, current, errors=errors, texts=texts)

    return await routing.submit(make, again)


# One object


@dataclass(frozen=True, slots=True)
class PropertyRow:
    """A row of the object's properties: the value shown and the values it had."""

    prop: PropertyDef
    value: str
    history: list[tuple[str, ValueVersion]]


def _rows(readable: dict[str, PropertyDef], view: crm_views.ObjectView) -> list[PropertyRow]:
    histories = view.properties_with_history or {}
    return [
        PropertyRow(
            prop,
            shown_text(prop, view.properties.get(prop.name)),
            [(shown_text(prop, v.value), v) for v in histories.get(prop.name, [])],
        )
        for prop in _sorted(list(readable.values()))
    ]


def _object_id(raw: str) -> str:
    return str(ids.numeric(raw, crm_objects.KIND))


async def _object_page(
    request: Request,
    current: Session,
    object_id: str,
    *,
    errors: routing.Errors | None = None,
    texts: dict[str, str] | None = None,
) -> Response:
    actor = current.actor
    async with edge.read(request) as uow:
        defs = await crm_properties.definitions(uow, actor)
        readable = defs.readable()
        active = _sorted(list(defs.active().values()))
        # The page shows an archived object too (read-only), as `archived=true` would.
        view = await crm_views.read_object(
            uow,
            actor,
            show=crm_views.Show(list(readable), [p.name for p in active]),
            object_id=object_id,
            id_property=None,
            archived=True,
        )
        timeline = await editing.history(
            request, partial(crm_objects.changes, uow, actor, object_id=object_id)
        )
    stored = {p.name: form_text(p, view.record.properties.get(p.name)) for p in active}
    inputs = _inputs(active, {**stored, **(texts or {})})
    return render.page(
        request,
        "crm/object.html",
        current,
        record=view.record,
        rows=_rows(readable, view),
        inputs=inputs,
        writable=AREA.writable(actor),
        errors=editing.by_field(errors or {}, [i.field for i in inputs]),
        timeline=timeline,
    )


@router.get("/crm/objects/{object_id}")
async def object_page(request: Request, object_id: str) -> Response:
    current = await routing.enter(request, edge, AREA)
    return await _object_page(request, current, _object_id(object_id))


def changed_values(
    props: Sequence[PropertyDef], stored: dict[str, str], form: Form
) -> dict[str, str]:
    """The properties whose posted text differs from what the form showed for the stored
    value; an emptied input is "" (HubSpot clears the value)."""
    return {
        prop.name: text
        for prop in props
        if (text := _posted_text(prop, form)) is not None
        and text != form_text(prop, stored.get(prop.name))
    }


@router.post("/crm/objects/{object_id}")
async def object_save(request: Request, object_id: str) -> Response:
    current, form = await routing.enter_form(request, edge, AREA)
    oid = _object_id(object_id)
    actor = current.actor

    async def save() -> Response:
        write = editing.versioned_write(request, edge, form, "partner client")
        async with write as (uow, if_match):
            record = await crm_objects.get(uow, actor, object_id=oid)
            active = (await crm_properties.definitions(uow, actor)).active()
            sent = changed_values(list(active.values()), record.properties, form)
            if sent:
                await crm_views.update_object(
                    uow,
                    actor,
                    object_id=oid,
                    values=mapping.object_values({"properties": sent}),
                    id_property=None,
                    if_match=if_match,
                )
        return render.redirect(f"{PATH}/{oid}", done="saved")

    async def again(errors: routing.Errors) -> Response:
        async with edge.read(request) as uow:
            active = (await crm_properties.definitions(uow, actor)).active()
        texts = _posted_texts(list(active.values()), form)
        return await _object_page(request, current, oid, errors=errors, texts=texts)

    return await routing.submit(save, again)


async def _set_archived(request: Request, object_id: str, *, archived: bool) -> Response:
    current, _ = await routing.enter_form(request, edge, AREA)
    oid = _object_id(object_id)
    change = crm_objects.archive if archived else crm_objects.restore
    async with edge.write(request) as uow:
        await change(uow, current.actor, object_id=oid)
    return render.redirect(f"{PATH}/{oid}", done="archived" if archived else "unarchived")


@router.post("/crm/objects/{object_id}/archive")
async def object_archive(request: Request, object_id: str) -> Response:
    return await _set_archived(request, object_id, archived=True)


@router.post("/crm/objects/{object_id}/restore")
async def object_restore(request: Request, object_id: str) -> Response:
    return await _set_archived(request, object_id, archived=False)
