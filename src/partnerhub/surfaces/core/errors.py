"""The Core error envelope: {"message", "errors": [{"field", "message", "reference_sid"}]}.

Statuses as CarrierX documents them; 422 carries one `errors` item per bad field.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from partnerhub.errors import (
    DomainError,
    IdempotencyMismatch,
    InvalidBody,
    NotFound,
    RateLimited,
    ValidationFailed,
)
from partnerhub.surfaces.common import responses

MESSAGES = {
    400: "Bad Request",
    401: "Bad credentials",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Request Entity Too Large",
    414: "URI Too Long",
    415: "Unsupported media type",
    422: "object validation error",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
NOT_FOUND = "Cannot find item by SID"
NO_JSON = "No JSON object could be decoded"


def status_of(exc: DomainError) -> int:
    if isinstance(exc, IdempotencyMismatch):
        return 409
    return exc.status


def message_of(exc: DomainError, status: int) -> str:
    if isinstance(exc, InvalidBody):
        return NO_JSON
    if isinstance(exc, NotFound):
        return NOT_FOUND
    if isinstance(exc, ValidationFailed) or status == 422:
        return MESSAGES[422]
    if status in (409, 403):
        return exc.message
    return MESSAGES.get(status, "Error")


def _items(exc: DomainError, status: int) -> list[dict[str, str | None]]:
    if status >= 500:
        return [{"field": None, "message": MESSAGES.get(status, "Error"), "reference_sid": None}]
    if isinstance(exc, NotFound):
        return [{"field": None, "message": NOT_FOUND, "reference_sid": None}]
    if isinstance(exc, InvalidBody):
        return [{"field": None, "message": exc.message, "reference_sid": None}]
    return [
        {
            "field": p.field if p.field != "body" else None,
            "message": p.message,
            "reference_sid": None,
        }
        for p in exc.problems
    ]


def render(request: Request, exc: DomainError) -> Response:
    status = status_of(exc)
    body = {"errors": _items(exc, status), "message": message_of(exc, status)}
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    if status == 401:
        # HTTP: a 401 names the schemes it would take; Core takes HTTP Basic (and bearer tokens).
        headers["WWW-Authenticate"] = 'Basic realm="partnerhub"'
    return responses.json(body, status, headers or None)
