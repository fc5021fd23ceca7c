"""The test-control API's error envelope: one simple JSON shape for every error under its
prefix, `{status, code, message, errors: [{field, message, code}], request_id}`."""

from __future__ import annotations

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from partnerhub.errors import DomainError
from partnerhub.surfaces.common import responses
from partnerhub.surfaces.common.context import request_id


class TestControlProblem(BaseModel):
    field: str | None
    message: str
    code: str


class TestControlError(BaseModel):
    status: int
    code: str
    message: str
    errors: list[TestControlProblem]
    request_id: str


def render(request: Request, exc: DomainError) -> Response:
    internal = exc.status >= 500
    body = {
        "status": exc.status,
        "code": "INTERNAL_ERROR" if internal and exc.status == 500 else exc.code,
        "message": "Internal server error." if exc.status == 500 else exc.message,
        "errors": []
        if internal
        else [{"field": p.field, "message": p.message, "code": p.code} for p in exc.problems],
        "request_id": request_id(request),
    }
    return responses.json(body, exc.status)
