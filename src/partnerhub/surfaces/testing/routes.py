"""The test-control API's routes (`/_partnerhub/test`), mounted only with PARTNERHUB_TEST_API=true
and only for a bearer token with the scope `partnerhub.admin`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from partnerhub.auth.scopes import ADMIN_SCOPE
from partnerhub.errors import ValidationFailed
from partnerhub.services import accounts, test_faults, test_journal, test_snapshots
from partnerhub.services.test_control import WorkerState
from partnerhub.surfaces.common import responses
from partnerhub.surfaces.common.body import raw_body, require_json_media_type
from partnerhub.surfaces.common.edge import Edge, runtime
from partnerhub.surfaces.common.router import lean_router
from partnerhub.surfaces.testing import schemas
from partnerhub.surfaces.testing.errors import TestControlError
from partnerhub.surfaces.testing.routing import PREFIX, TAG

router = lean_router(prefix=PREFIX, tags=[TAG])
# Authentication as on every surface (the same token verification), no rate limit.
edge = Edge("test", policies=lambda actor, settings: (), limit_headers=lambda decision: {})
ERRORS = {
    401: "Missing or invalid bearer token",
    403: "The token lacks the scope partnerhub.admin",
    404: "No such snapshot, account or fault",
    413: "Body larger than the limit",
    415: "Body without Content-Type: application/json",
    422: "Validation failed (the field and the rule are named)",
}


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": TestControlError, "description": ERRORS[s]} for s in (401, 403, *statuses)}


def _body(model: type[BaseModel]) -> dict[str, Any]:
    # Inline, not registered with surfaces/common/openapi: with the test API off, the app's
    # OpenAPI must not mention these schemas at all.
    schema = {"application/json": {"schema": model.model_json_schema()}}
    return {"requestBody": {"required": True, "content": schema}}


async def _enter(request: Request) -> None:
    await edge.enter(request, ADMIN_SCOPE)


async def _caught_up(request: Request, generation: int) -> Response:
    """This worker forgets its caches at once; the others on their next request."""
    worker: WorkerState = request.app.state.test_control
    await worker.caught_up(runtime(request), generation)
    return responses.json({"generation": generation})


# Reset


@router.post(
    "/reset",
    operation_id="test_reset",
    summary="Every data table and id sequence back to the baseline (the state at server start)",
    response_model=schemas.Reset,
    responses=_errors(404),
)
async def reset(request: Request) -> Response:
    await _enter(request)
    async with edge.write(request) as uow:
        generation = await test_snapshots.reset(uow)
    return await _caught_up(request, generation)


@router.post(
    "/accounts/{account}/reset",
    operation_id="test_reset_account",
    summary="One account (id or name) back to the baseline; every other account untouched",
    response_model=schemas.Reset,
    responses=_errors(404),
)
async def reset_account(request: Request, account: str) -> Response:
    await _enter(request)
    async with edge.write(request) as uow:
        account_id = (await accounts.get_account(uow, name_or_id=account)).id
        generation = await test_snapshots.reset_account(uow, account_id=account_id)
    return await _caught_up(request, generation)


@router.post(
    "/baseline",
    operation_id="test_take_baseline",
    summary="Take the baseline again: the state now is what every later reset goes back to",
    response_model=schemas.Baseline,
    responses=_errors(),
)
async def take_baseline(request: Request) -> Response:
    await _enter(request)
    async with edge.write(request) as uow:
        info = await test_snapshots.take_baseline(uow)
    return responses.json({"taken_at": info.taken_at, "size_bytes": info.size_bytes})


# Snapshots


@router.post(
    "/snapshots",
    operation_id="test_take_snapshot",
    summary="Take a snapshot of every data table and id sequence (replacing one of that name)",
    status_code=201,
    response_model=schemas.Snapshot,
    responses=_errors(413, 415, 422),
    openapi_extra=_body(schemas.TakeSnapshot),
)
async def take_snapshot(request: Request) -> Response:
    await _enter(request)
    body = (await edge.json_body(request)).data
    unknown = sorted(set(body) - {"name"})
    if unknown:
        raise ValidationFailed.one(unknown[0], f"{unknown[0]} is not a field (only name).")
    if "name" not in body:
        raise ValidationFailed.one("name", "name is required.", "REQUIRED")
    async with edge.write(request) as uow:
        info = await test_snapshots.take(uow, name=body["name"])
    return responses.json(schemas.snapshot_wire(info), 201)


@router.get(
    "/snapshots",
    operation_id="test_list_snapshots",
    summary="The stored snapshots, by name",
    response_model=schemas.SnapshotList,
    responses=_errors(),
)
async def list_snapshots(request: Request) -> Response:
    await _enter(request)
    async with edge.read(request) as uow:
        found = await test_snapshots.list(uow)
    return responses.json({"results": [schemas.snapshot_wire(s) for s in found]})


@router.post(
    "/snapshots/{name}/restore",
    operation_id="test_restore_snapshot",
    summary="Every data table and id sequence back to exactly the snapshot",
    response_model=schemas.Reset,
    responses=_errors(404, 422),
)
async def restore_snapshot(request: Request, name: str) -> Response:
    await _enter(request)
    async with edge.write(request) as uow:
        generation = await test_snapshots.restore(uow, name=name)
    return await _caught_up(request, generation)


@router.delete(
    "/snapshots/{name}",
    operation_id="test_delete_snapshot",
    summary="Delete a snapshot",
    status_code=204,
    responses=_errors(404, 422),
)
async def delete_snapshot(request: Request, name: str) -> Response:
    await _enter(request)
    async with edge.write(request) as uow:
        await test_snapshots.delete(uow, name=name)
    return responses.no_content()


@router.get(
    "/snapshots/{name}/file",
    operation_id="test_download_snapshot",
    summary="The snapshot as a file (format partnerhub-snapshot, version 1; see the README)",
    responses={200: {"content": {"application/json": {}}}, **_errors(404, 422)},
    response_class=Response,
)
async def download_snapshot(request: Request, name: str) -> Response:
    await _enter(request)
    async with edge.read(request) as uow:
        data = await test_snapshots.download(uow, name=name)
    disposition = f'attachment; filename="{name}.partnerhub-snapshot.json"'
    return Response(data, media_type=responses.JSON, headers={"Content-Disposition": disposition})


@router.put(
    "/snapshots/{name}/file",
    operation_id="test_upload_snapshot",
    summary="Store a snapshot file under this name (checked against this server's schema)",
    response_model=schemas.Snapshot,
    responses=_errors(413, 415, 422),
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": {}}}}
    },
)
async def upload_snapshot(request: Request, name: str) -> Response:
    await _enter(request)
    require_json_media_type(request)
    data = await raw_body(request, runtime(request).settings.test_snapshot_max_bytes)
    async with edge.write(request) as uow:
        info = await test_snapshots.upload(uow, name=name, data=data)
    return responses.json(schemas.snapshot_wire(info))


# Journal


@router.get(
    "/journal",
    operation_id="test_journal",
    summary="The newest requests (all workers), oldest first, secrets redacted",
    response_model=schemas.Journal,
    responses=_errors(422),
)
async def journal(
    request: Request,
    surface: Annotated[str | None, Query(description="hood, core, crm, test or other")] = None,
    method: Annotated[str | None, Query()] = None,
    path_prefix: Annotated[str | None, Query()] = None,
    status: Annotated[int | None, Query()] = None,
    limit: Annotated[int, Query(description="at most this many, the newest")] = 1000,
) -> Response:
    await _enter(request)
    query = test_journal.journal_filter(
        surface=surface, method=method, path_prefix=path_prefix, status=status, limit=limit
    )
    async with edge.read(request) as uow:
        found = await test_journal.list(uow, query)
    return responses.json({"results": [schemas.journal_wire(e) for e in found]})


@router.delete(
    "/journal",
    operation_id="test_clear_journal",
    summary="Empty the journal",
    status_code=204,
    responses=_errors(),
)
async def clear_journal(request: Request) -> Response:
    await _enter(request)
    async with edge.write(request) as uow:
        await test_journal.clear(uow)
    return responses.no_content()


# Faults


@router.post(
    "/faults",
    operation_id="test_create_fault",
    summary="Inject a fault: a status in the surface's envelope and/or a delay",
    status_code=201,
    response_model=schemas.FaultOut,
    responses=_errors(413, 415, 422),
    openapi_extra=_body(schemas.NewFault),
)
async def create_fault(request: Request) -> Response:
    await _enter(request)
    body = (await edge.json_body(request)).data
    async with edge.write(request) as uow:
        fault = await test_faults.create(uow, body=body)
    return responses.json(schemas.fault_wire(fault), 201)


@router.get(
    "/faults",
    operation_id="test_list_faults",
    summary="The injected faults, oldest first",
    response_model=schemas.FaultList,
    responses=_errors(),
)
async def list_faults(request: Request) -> Response:
    await _enter(request)
    async with edge.read(request) as uow:
        found = await test_faults.list(uow)
    return responses.json({"results": [schemas.fault_wire(f) for f in found]})


@router.delete(
    "/faults/{fault_id}",
    operation_id="test_delete_fault",
    summary="Remove one fault",
    status_code=204,
    responses=_errors(404, 422),
)
async def delete_fault(
    request: Request, fault_id: Annotated[int, Path(ge=1, le=2**63 - 1)]
) -> Response:
    await _enter(request)
    async with edge.write(request) as uow:
        await test_faults.delete(uow, fault_id=fault_id)
    return responses.no_content()


@router.delete(
    "/faults",
    operation_id="test_clear_faults",
    summary="Remove every fault",
    status_code=204,
    responses=_errors(),
)
async def clear_faults(request: Request) -> Response:
    await _enter(request)
    async with edge.write(request) as uow:
        await test_faults.clear(uow)
    return responses.no_content()
