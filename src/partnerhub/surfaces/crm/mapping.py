"""CRM wire ⇄ domain: query parameters, request bodies, and HubSpot's JSON shapes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from starlette.requests import Request

from partnerhub.domain import ids, numbers
from partnerhub.domain.crm_properties import Group, PropertyDef, check_options, iso_datetime
from partnerhub.domain.history import HistoryEntry
from partnerhub.errors import InvalidBody, ValidationFailed
from partnerhub.services.crm_objects import BatchFailure, ValueVersion
from partnerhub.services.crm_views import Batch, ObjectView, Page, Show, UpsertView
from partnerhub.surfaces.common.validation import validate
from partnerhub.surfaces.crm.errors import standard_error
from partnerhub.surfaces.crm.schemas import (
    CrmGroupCreate,
    CrmGroupUpdate,
    CrmObjectInput,
    CrmPropertyCreate,
    CrmPropertyUpdate,
)

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
T = TypeVar("T")

# Query parameters


def query_list(request: Request, name: str) -> list[str]:
    """`?p=a&p=b` and `?p=a,b` alike; empty items dropped, order kept, duplicates removed."""
    items = (
        part.strip() for value in request.query_params.getlist(name) for part in value.split(",")
    )
    return list(dict.fromkeys(p for p in items if p))


def query_show(request: Request) -> Show:
    """`properties` and `propertiesWithHistory` of a GET."""
    return Show(query_list(request, "properties"), query_list(request, "propertiesWithHistory"))


def query_bool(request: Request, name: str, default: bool = False) -> bool:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise ValidationFailed.one(name, f"{name} must be true or false.")


def query_limit(request: Request) -> int:
    raw = request.query_params.get("limit")
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    limit = numbers.ascii_int(raw.strip())
    if limit is None or limit < 1:
        raise ValidationFailed.one("limit", "limit must be a positive integer.")
    return min(limit, MAX_LIMIT)  # HubSpot's own get_all asks for 100 even with history


def query_after(request: Request) -> int | None:
    raw = request.query_params.get("after")
    if raw is None or raw == "":
        return None
    if not ids.is_numeric_id(raw):
        raise ValidationFailed.one("after", "after must be the id paging.next.after gave.")
    return int(raw)


# Bodies


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidBody("The request body must be a JSON object.", field="body")
    return body


def object_values(body: Any) -> dict[str, Any]:
    return dict(validate(CrmObjectInput, _object(body)).properties)


def property_draft(body: Any) -> PropertyDef:
    data = validate(CrmPropertyCreate, _object(body))
    options = check_options([o.model_dump() for o in data.options], "options")
    return PropertyDef(
        name=data.name,
        label=data.label,
        type=data.type,
        field_type=data.fieldType,
        group_name=data.groupName,
        description=data.description,
        options=_ordered(options),
        has_unique_value=data.hasUniqueValue,
        hidden=data.hidden,
        display_order=data.displayOrder,
        form_field=data.formField,
    )


def _ordered(options: Sequence[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            "label": o["label"],
            "value": o["value"],
            "description": o.get("description") or "",
            "displayOrder": o["displayOrder"] if o.get("displayOrder") is not None else i,
            "hidden": bool(o.get("hidden")),
        }
        for i, o in enumerate(options)
    )


_PATCH_FIELDS = {
    "label": "label",
    "type": "type",
    "fieldType": "field_type",
    "groupName": "group_name",
    "description": "description",
    "hasUniqueValue": "has_unique_value",
    "hidden": "hidden",
    "displayOrder": "display_order",
    "formField": "form_field",
}


def property_patch(body: Any) -> dict[str, Any]:
    raw = _object(body)
    data = validate(CrmPropertyUpdate, raw)
    changes: dict[str, Any] = {}
    for wire, name in _PATCH_FIELDS.items():
        if wire in data.model_fields_set:
            value = getattr(data, wire)
            if value is None:
                raise ValidationFailed.one(wire, f"{wire} must not be null.")
            changes[name] = value
    if "options" in data.model_fields_set:
        if data.options is None:
            raise ValidationFailed.one("options", "options must not be null.")
        changes["options"] = _ordered(
            check_options([o.model_dump() for o in data.options], "options")
        )
    if not changes:
        raise ValidationFailed.one(None, "The body holds no property field to change.")
    return changes


def group_draft(body: Any) -> Group:
    data = validate(CrmGroupCreate, _object(body))
    return Group(data.name, data.label, data.displayOrder)


def group_patch(body: Any) -> tuple[str | None, int | None]:
    data = validate(CrmGroupUpdate, _object(body))
    return data.label, data.displayOrder


# Responses


def history_wire(versions: Sequence[ValueVersion]) -> list[dict[str, Any]]:
    return [
        {
            "value": v.value,
            "timestamp": iso_datetime(v.timestamp),
            "sourceType": v.source_type,
            "sourceId": v.source_id,
        }
        for v in versions
    ]


def object_wire(view: ObjectView) -> dict[str, Any]:
    record = view.record
    wire: dict[str, Any] = {
        "id": str(record.id),
        "properties": view.properties,
        "createdAt": iso_datetime(record.created_at),
        "updatedAt": iso_datetime(record.updated_at),
        "archived": record.archived,
    }
    if record.archived_at is not None:
        wire["archivedAt"] = iso_datetime(record.archived_at)
    if view.properties_with_history is not None:
        wire["propertiesWithHistory"] = {
            name: history_wire(versions) for name, versions in view.properties_with_history.items()
        }
    return wire


def upsert_wire(view: UpsertView) -> dict[str, Any]:
    return {**object_wire(view.object), "new": view.new}


def paging(after: int | str | None, link: str | None = None) -> dict[str, Any]:
    """`{"paging": {...}}`, or nothing at all on the last page (HubSpot's get_all needs it)."""
    if after is None:
        return {}
    following: dict[str, Any] = {"after": str(after)}
    if link is not None:
        following["link"] = link
    return {"paging": {"next": following}}


def page_wire(
    page: Page[T], item: Callable[[T], dict[str, Any]], link: str | None = None
) -> dict[str, Any]:
    """`total` (where counted), `results` and `paging`, in HubSpot's order."""
    body: dict[str, Any] = {} if page.total is None else {"total": page.total}
    body["results"] = [item(r) for r in page.results]
    return {**body, **paging(page.after, link)}


def batch_wire(batch: Batch[T], item: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    body: dict[str, Any] = {"status": "COMPLETE", "results": [item(r) for r in batch.results]}
    if batch.failures:
        body["numErrors"] = len(batch.failures)
        body["errors"] = [failure_wire(f) for f in batch.failures]
    body["startedAt"] = iso_datetime(batch.started_at)
    body["completedAt"] = iso_datetime(batch.completed_at)
    return body


def failure_wire(failure: BatchFailure) -> dict[str, Any]:
    error = standard_error(failure.error)
    context = dict(error.get("context") or {})
    context.update(failure.context)
    error["context"] = context
    return error


def property_wire(prop: PropertyDef) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "name": prop.name,
        "label": prop.label,
        "type": prop.type,
        "fieldType": prop.field_type,
        "groupName": prop.group_name,
        "description": prop.description,
        "options": list(prop.options),
        "hasUniqueValue": prop.has_unique_value,
        "hidden": prop.hidden,
        "displayOrder": prop.display_order,
        "formField": prop.form_field,
        "hubspotDefined": prop.hubspot_defined,
        "calculated": False,
        "externalOptions": False,
        "archived": prop.archived,
        "modificationMetadata": {
            "archivable": not prop.hubspot_defined,
            "readOnlyDefinition": prop.hubspot_defined,
            "readOnlyValue": prop.read_only,
        },
    }
    for key, moment in (
        ("createdAt", prop.created_at),
        ("updatedAt", prop.updated_at),
        ("archivedAt", prop.archived_at),
    ):
        if moment is not None:
            wire[key] = iso_datetime(moment)
    return wire


def group_wire(group: Group) -> dict[str, Any]:
    return {
        "name": group.name,
        "label": group.label,
        "displayOrder": group.display_order,
        "archived": group.archived,
    }


def change_wire(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "version": entry.version,
        "action": entry.action,
        "changedAt": iso_datetime(entry.changed_at),
        "sourceType": "API",
        "sourceId": entry.author,
        "surface": entry.surface,
        "changes": entry.changes,
    }
