"""CRM routes (`/crm/v3`): partner_clients objects, batches, search, property definitions and
groups, and each object's history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from starlette.convertors import PathConvertor, register_url_convertor
from starlette.responses import Response

from partnerhub.domain.accounts import Actor
from partnerhub.domain.versioning import etag
from partnerhub.services import crm_objects, crm_properties, crm_views
from partnerhub.surfaces.common import openapi, responses
from partnerhub.surfaces.common.edge import Edge
from partnerhub.surfaces.common.router import SurfaceRouter
from partnerhub.surfaces.common.validation import validate
from partnerhub.surfaces.crm import mapping, ratelimits
from partnerhub.surfaces.crm.schemas import (
    CrmBatchCreateInput,
    CrmBatchIdsInput,
    CrmBatchReadInput,
    CrmBatchResponse,
    CrmBatchUpdateInput,
    CrmError,
    CrmGroup,
    CrmGroupCreate,
    CrmGroupList,
    CrmGroupUpdate,
    CrmHistory,
    CrmObject,
    CrmObjectInput,
    CrmObjectPage,
    CrmProperty,
    CrmPropertyCreate,
    CrmPropertyList,
    CrmPropertyUpdate,
    CrmSearchRequest,
    CrmSearchResponse,
)

PREFIX = "/crm/v3"
OBJECTS = "/objects/partner_clients"
PROPERTIES = "/properties/partner_clients"
BATCH = f"{OBJECTS}/batch/"
BATCH_OPERATIONS = ("read", "create", "update", "upsert", "archive")
edge = Edge("crm", ratelimits.policies, ratelimits.headers, exact_numbers=True)
router = SurfaceRouter(prefix=PREFIX, tags=["CRM"])

OBJECTS_READ = ("crm.objects.partner-clients.read", "crm.objects.partner-clients.write")
OBJECTS_WRITE = ("crm.objects.partner-clients.write",)
SCHEMAS_READ = ("crm.schemas.partner-clients.read", "crm.schemas.partner-clients.write")
SCHEMAS_WRITE = ("crm.schemas.partner-clients.write",)
READ_ERRORS = openapi.errors(CrmError, 400, 401, 403, 404, 429)
# Reads that take a body (batch read, search) can also refuse its size or media type.
BODY_READ_ERRORS = openapi.errors(CrmError, 400, 401, 403, 404, 413, 415, 429)
WRITE_ERRORS = openapi.errors(CrmError, 400, 401, 403, 404, 409, 412, 413, 415, 422, 429)
T = TypeVar("T")


class _ObjectIdConvertor(PathConvertor):
    # Ids may hold "/" (a unique property's value, sent percent-encoded and decoded before
    # routing), so the object routes take a path; but never a batch route's own path: another
    # method there must answer 405 (Allow: POST), not reach the object route as a bad id.
    regex = f"(?!batch/(?:{'|'.join(BATCH_OPERATIONS)})$).*"


register_url_convertor("crm_object_id", _ObjectIdConvertor())
OBJECT = OBJECTS + "/{object_id:crm_object_id}"


def _multi(
    description: str, errors: dict[int | str, dict[str, Any]]
) -> dict[int | str, dict[str, Any]]:
    return {207: {"model": CrmBatchResponse, "description": description}, **errors}


async def _enter(request: Request, *scopes: str, search: bool = False) -> Actor:
    extra = ratelimits.search_policies if search else None
    return await edge.enter(request, *scopes, extra=extra)


def _if_match(request: Request) -> str | None:
    return request.headers.get("if-match")


async def _body(request: Request) -> Any:
    return (await edge.json_body(request)).data


# Objects


@router.get(
    OBJECTS,
    operation_id="crm_list_partner_clients",
    summary="List partner clients",
    response_model=CrmObjectPage,
    response_model_exclude_none=True,
    responses=READ_ERRORS,
)
async def list_objects(request: Request) -> Response:
    actor = await _enter(request, *OBJECTS_READ)
    limit = mapping.query_limit(request)
    after = mapping.query_after(request)
    archived = mapping.query_bool(request, "archived")
    show = mapping.query_show(request)
    async with edge.read(request) as uow:
        page = await crm_views.list_objects(
            uow, actor, show=show, archived=archived, after=after, limit=limit
        )
    link = (
        str(request.url.include_query_params(after=str(page.after)))
        if page.after is not None
        else None
    )
    return responses.json(mapping.page_wire(page, mapping.object_wire, link))


@router.post(
    OBJECTS,
    operation_id="crm_create_partner_client",
    summary="Create a partner client",
    status_code=201,
    response_model=CrmObject,
    response_model_exclude_none=True,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(CrmObjectInput),
)
async def create_object(request: Request) -> Response:
    actor = await _enter(request, *OBJECTS_WRITE)
    body = await edge.json_body(request)
    values = mapping.object_values(body.data)

    async def make(uow: Any) -> Response:
        view = await crm_views.create_object(uow, actor, values=values)
        record = view.record
        return responses.json(
            mapping.object_wire(view),
            201,
            {"ETag": etag(record.version), "Location": f"{PREFIX}{OBJECTS}/{record.id}"},
        )

    return await edge.create(request, actor, body.raw, make)


def _batch_answer(
    batch: crm_views.Batch[T], item: Callable[[T], dict[str, Any]], success: int
) -> Response:
    """`success` when every input worked, 207 listing the errors when some failed."""
    return responses.json(mapping.batch_wire(batch, item), 207 if batch.failures else success)


@router.post(
    BATCH + "read",
    operation_id="crm_batch_read_partner_clients",
    summary="Read a batch of partner clients",
    response_model=CrmBatchResponse,
    response_model_exclude_none=True,
    responses=_multi("Some ids were not found", BODY_READ_ERRORS),
    openapi_extra=openapi.body(CrmBatchReadInput),
)
async def batch_read(request: Request) -> Response:
    actor = await _enter(request, *OBJECTS_READ)
    data = validate(CrmBatchReadInput, await _body(request))
    archived = mapping.query_bool(request, "archived")
    async with edge.read(request) as uow:
        batch = await crm_views.batch_read(
            uow,
            actor,
            ids=[i.id for i in data.inputs],
            id_property=data.idProperty,
            archived=archived,
            show=crm_views.Show(data.properties, data.propertiesWithHistory),
        )
    return _batch_answer(batch, mapping.object_wire, 200)


@router.post(
    BATCH + "create",
    operation_id="crm_batch_create_partner_clients",
    summary="Create a batch of partner clients",
    status_code=201,
    response_model=CrmBatchResponse,
    response_model_exclude_none=True,
    responses=_multi("Some inputs failed", WRITE_ERRORS),
    openapi_extra=openapi.body(CrmBatchCreateInput),
)
async def batch_create(request: Request) -> Response:
    actor = await _enter(request, *OBJECTS_WRITE)
    body = await edge.json_body(request)
    data = validate(CrmBatchCreateInput, body.data)
    inputs = [(dict(i.properties), i.objectWriteTraceId) for i in data.inputs]

    async def make(uow: Any) -> Response:
        batch = await crm_views.batch_create(uow, actor, inputs=inputs)
        return _batch_answer(batch, mapping.object_wire, 201)

    return await edge.create(request, actor, body.raw, make)


def _updates(data: CrmBatchUpdateInput) -> list[crm_objects.BatchUpdate]:
    return [
        crm_objects.BatchUpdate(i.id, dict(i.properties), i.idProperty, i.objectWriteTraceId)
        for i in data.inputs
    ]


@router.post(
    BATCH + "update",
    operation_id="crm_batch_update_partner_clients",
    summary="Update a batch of partner clients",
    response_model=CrmBatchResponse,
    response_model_exclude_none=True,
    responses=_multi("Some inputs failed", WRITE_ERRORS),
    openapi_extra=openapi.body(CrmBatchUpdateInput),
)
async def batch_update(request: Request) -> Response:
    actor = await _enter(request, *OBJECTS_WRITE)
    data = validate(CrmBatchUpdateInput, await _body(request))
    async with edge.write(request) as uow:
        batch = await crm_views.batch_update(uow, actor, inputs=_updates(data))
        return _batch_answer(batch, mapping.object_wire, 200)


@router.post(
    BATCH + "upsert",
    operation_id="crm_batch_upsert_partner_clients",
    summary="Create or update a batch of partner clients by a unique property",
    response_model=CrmBatchResponse,
    response_model_exclude_none=True,
    responses=_multi("Some inputs failed", WRITE_ERRORS),
    openapi_extra=openapi.body(CrmBatchUpdateInput),
)
async def batch_upsert(request: Request) -> Response:
    actor = await _enter(request, *OBJECTS_WRITE)
    data = validate(CrmBatchUpdateInput, await _body(request))
    async with edge.write(request) as uow:
        batch = await crm_views.batch_upsert(uow, actor, inputs=_updates(data))
        return _batch_answer(batch, mapping.upsert_wire, 200)


@router.post(
    BATCH + "archive",
    operation_id="crm_batch_archive_partner_clients",
    summary="Archive a batch of partner clients",
    status_code=204,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(CrmBatchIdsInput),
)
async def batch_archive(request: Request) -> Response:
    actor = await _enter(request, *OBJECTS_WRITE)
    data = validate(CrmBatchIdsInput, await _body(request))
    async with edge.write(request) as uow:
        await crm_objects.batch_archive(uow, actor, ids=[i.id for i in data.inputs])
    return responses.no_content()


@router.post(
    f"{OBJECTS}/search",
    operation_id="crm_search_partner_clients",
    summary="Search partner clients",
    response_model=CrmSearchResponse,
    response_model_exclude_none=True,
    responses=BODY_READ_ERRORS,
    openapi_extra=openapi.body(CrmSearchRequest),
)
async def search(request: Request) -> Response:
    actor = await _enter(request, *OBJECTS_READ, search=True)
    body = await edge.json_body(request)
    chars = len(body.raw.decode("utf-8", "replace"))
    async with edge.read(request) as uow:
        page = await crm_views.search(uow, actor, body=body.data, body_chars=chars)
    return responses.json(mapping.page_wire(page, mapping.object_wire))


@router.get(
    OBJECT + "/history",
    operation_id="crm_partner_client_history",
    summary="Change history of a partner client (partnerhub, read-only)",
    response_model=CrmHistory,
    response_model_exclude_none=True,
    responses=READ_ERRORS,
)
async def object_history(request: Request, object_id: str) -> Response:
    actor = await _enter(request, *OBJECTS_READ)
    limit = mapping.query_limit(request)
    offset = mapping.query_after(request) or 0
    async with edge.read(request) as uow:
        page = await crm_views.object_history(
            uow, actor, object_id=object_id, limit=limit, offset=offset
        )
    return responses.json(mapping.page_wire(page, mapping.change_wire))


@router.get(
    OBJECT,
    operation_id="crm_get_partner_client",
    summary="Read a partner client",
    response_model=CrmObject,
    response_model_exclude_none=True,
    responses=READ_ERRORS,
)
async def get_object(request: Request, object_id: str) -> Response:
    actor = await _enter(request, *OBJECTS_READ)
    show = mapping.query_show(request)
    archived = mapping.query_bool(request, "archived")
    async with edge.read(request) as uow:
        view = await crm_views.read_object(
            uow,
            actor,
            show=show,
            object_id=object_id,
            id_property=request.query_params.get("idProperty"),
            archived=archived,
        )
    return responses.json(mapping.object_wire(view), headers={"ETag": etag(view.record.version)})


@router.patch(
    OBJECT,
    operation_id="crm_update_partner_client",
    summary="Update a partner client",
    response_model=CrmObject,
    response_model_exclude_none=True,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(CrmObjectInput),
)
async def update_object(request: Request, object_id: str) -> Response:
    actor = await _enter(request, *OBJECTS_WRITE)
    values = mapping.object_values(await _body(request))
    async with edge.write(request) as uow:
        view = await crm_views.update_object(
            uow,
            actor,
            object_id=object_id,
            values=values,
            id_property=request.query_params.get("idProperty"),
            if_match=_if_match(request),
        )
    return responses.json(mapping.object_wire(view), headers={"ETag": etag(view.record.version)})


@router.delete(
    OBJECT,
    operation_id="crm_archive_partner_client",
    summary="Archive a partner client (move it to the recycling bin)",
    status_code=204,
    responses=WRITE_ERRORS,
)
async def archive_object(request: Request, object_id: str) -> Response:
    actor = await _enter(request, *OBJECTS_WRITE)
    async with edge.write(request) as uow:
        record = await crm_objects.archive(
            uow, actor, object_id=object_id, if_match=_if_match(request)
        )
    return responses.no_content({"ETag": etag(record.version)})


@router.post(
    OBJECT + "/restore",
    operation_id="crm_restore_partner_client",
    summary="Restore an archived partner client (partnerhub)",
    response_model=CrmObject,
    response_model_exclude_none=True,
    responses=WRITE_ERRORS,
)
async def restore_object(request: Request, object_id: str) -> Response:
    actor = await _enter(request, *OBJECTS_WRITE)
    async with edge.write(request) as uow:
        view = await crm_views.restore_object(
            uow, actor, object_id=object_id, if_match=_if_match(request)
        )
    return responses.json(mapping.object_wire(view), headers={"ETag": etag(view.record.version)})


# Property groups (declared before /{propertyName}, which would otherwise match "groups")


@router.get(
    PROPERTIES + "/groups",
    operation_id="crm_list_property_groups",
    summary="List property groups",
    response_model=CrmGroupList,
    responses=READ_ERRORS,
)
async def list_groups(request: Request) -> Response:
    actor = await _enter(request, *SCHEMAS_READ)
    async with edge.read(request) as uow:
        found = await crm_properties.list_groups(uow, actor)
    return responses.json({"results": [mapping.group_wire(g) for g in found]})


@router.post(
    PROPERTIES + "/groups",
    operation_id="crm_create_property_group",
    summary="Create a property group",
    status_code=201,
    response_model=CrmGroup,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(CrmGroupCreate),
)
async def create_group(request: Request) -> Response:
    actor = await _enter(request, *SCHEMAS_WRITE)
    body = await edge.json_body(request)
    draft = mapping.group_draft(body.data)

    async def make(uow: Any) -> Response:
        group = await crm_properties.create_group(uow, actor, group=draft)
        return responses.json(mapping.group_wire(group), 201)

    return await edge.create(request, actor, body.raw, make)


@router.get(
    PROPERTIES + "/groups/{group_name}",
    operation_id="crm_get_property_group",
    summary="Read a property group",
    response_model=CrmGroup,
    responses=READ_ERRORS,
)
async def get_group(request: Request, group_name: str) -> Response:
    actor = await _enter(request, *SCHEMAS_READ)
    async with edge.read(request) as uow:
        group = await crm_properties.get_group(uow, actor, name=group_name)
    return responses.json(mapping.group_wire(group))


@router.patch(
    PROPERTIES + "/groups/{group_name}",
    operation_id="crm_update_property_group",
    summary="Update a property group",
    response_model=CrmGroup,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(CrmGroupUpdate),
)
async def update_group(request: Request, group_name: str) -> Response:
    actor = await _enter(request, *SCHEMAS_WRITE)
    label, display_order = mapping.group_patch(await _body(request))
    async with edge.write(request) as uow:
        group = await crm_properties.patch_group(
            uow, actor, name=group_name, label=label, display_order=display_order
        )
    return responses.json(mapping.group_wire(group))


@router.delete(
    PROPERTIES + "/groups/{group_name}",
    operation_id="crm_archive_property_group",
    summary="Archive a property group",
    status_code=204,
    responses=WRITE_ERRORS,
)
async def archive_group(request: Request, group_name: str) -> Response:
    actor = await _enter(request, *SCHEMAS_WRITE)
    async with edge.write(request) as uow:
        await crm_properties.archive_group(uow, actor, name=group_name)
    return responses.no_content()


# Property definitions


@router.get(
    PROPERTIES,
    operation_id="crm_list_properties",
    summary="List the properties of partner clients",
    response_model=CrmPropertyList,
    responses=READ_ERRORS,
)
async def list_properties(request: Request) -> Response:
    actor = await _enter(request, *SCHEMAS_READ)
    archived = mapping.query_bool(request, "archived")
    names = mapping.query_list(request, "properties")
    async with edge.read(request) as uow:
        found = await crm_views.list_properties(uow, actor, archived=archived, names=names)
    return responses.json({"results": [mapping.property_wire(p) for p in found]})


@router.post(
    PROPERTIES,
    operation_id="crm_create_property",
    summary="Create a property",
    status_code=201,
    response_model=CrmProperty,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(CrmPropertyCreate),
)
async def create_property(request: Request) -> Response:
    actor = await _enter(request, *SCHEMAS_WRITE)
    body = await edge.json_body(request)
    draft = mapping.property_draft(body.data)

    async def make(uow: Any) -> Response:
        prop = await crm_properties.create(uow, actor, draft=draft)
        return responses.json(mapping.property_wire(prop), 201)

    return await edge.create(request, actor, body.raw, make)


@router.get(
    PROPERTIES + "/{property_name}",
    operation_id="crm_get_property",
    summary="Read a property",
    response_model=CrmProperty,
    responses=READ_ERRORS,
)
async def get_property(request: Request, property_name: str) -> Response:
    actor = await _enter(request, *SCHEMAS_READ)
    archived = mapping.query_bool(request, "archived")
    async with edge.read(request) as uow:
        prop = await crm_properties.get(uow, actor, name=property_name, archived=archived)
    return responses.json(mapping.property_wire(prop))


@router.patch(
    PROPERTIES + "/{property_name}",
    operation_id="crm_update_property",
    summary="Update a property",
    response_model=CrmProperty,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(CrmPropertyUpdate),
)
async def update_property(request: Request, property_name: str) -> Response:
    actor = await _enter(request, *SCHEMAS_WRITE)
    changes = mapping.property_patch(await _body(request))
    async with edge.write(request) as uow:
        prop = await crm_properties.patch(uow, actor, name=property_name, changes=changes)
    return responses.json(mapping.property_wire(prop))


@router.delete(
    PROPERTIES + "/{property_name}",
    operation_id="crm_archive_property",
    summary="Archive a property",
    status_code=204,
    responses=WRITE_ERRORS,
)
async def archive_property(request: Request, property_name: str) -> Response:
    actor = await _enter(request, *SCHEMAS_WRITE)
    async with edge.write(request) as uow:
        await crm_properties.archive(uow, actor, name=property_name)
    return responses.no_content()
