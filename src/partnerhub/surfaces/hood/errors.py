"""The Hood error envelope: {code, title, message, trace_id}; unknown ids answer 400."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from partnerhub.errors import (
    DomainError,
    InvalidBody,
    NotFound,
    RateLimited,
    RuleViolation,
    ValidationFailed,
)
from partnerhub.surfaces.common import responses
from partnerhub.surfaces.common.context import request_id

TITLES = {
    400: "Bad request.",
    401: "Unauthorized.",
    403: "Forbidden.",
    404: "Not found.",
    405: "Method not allowed.",
    409: "Conflict.",
    412: "Precondition failed.",
    413: "Payload too large.",
    415: "Unsupported media type.",
    422: "Unprocessable entity.",
    429: "Too many requests.",
    500: "Internal server error.",
    502: "Bad gateway.",
    503: "Service unavailable.",
    504: "Gateway timeout.",
}


def status_of(exc: DomainError) -> int:
    # Ocamba answers 400 for unknown ids and for every validation failure.
    if isinstance(exc, NotFound | ValidationFailed | RuleViolation):
        return 400
    return exc.status


def message_of(exc: DomainError) -> str:
    if isinstance(exc, InvalidBody):
        return f"The request body is not valid. {exc.message}"
    if isinstance(exc, NotFound):
        return f"Unknown {exc.kind} id."
    return " ".join(p.message for p in exc.problems)


def render(request: Request, exc: DomainError) -> Response:
    status = status_of(exc)
    body: dict[str, object] = {"code": status, "title": TITLES.get(status, "Error.")}
    if status != 500:
        body["message"] = message_of(exc)
    body["trace_id"] = request_id(request)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    return responses.json(body, status, headers)
