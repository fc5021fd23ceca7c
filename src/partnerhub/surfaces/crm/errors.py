"""The CRM (HubSpot) error envelope:
`{status, message, correlationId, category, errors[], context{}}` and `x-hubspot-correlation-id`.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from partnerhub.errors import (
    Conflict,
    DomainError,
    IdempotencyMismatch,
    MissingScope,
    NotFound,
    PreconditionFailed,
    RateLimited,
    Unauthenticated,
)
from partnerhub.surfaces.common import responses
from partnerhub.surfaces.common.context import request_id
from partnerhub.surfaces.common.errors import InternalError, MethodNotAllowed, RouteNotFound

PROPERTY_PREFIX = "properties."
AUTH_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you "
    "can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)
SCOPES_MESSAGE = (
    "This app hasn't been granted all required scopes to make this call. Read more about "
    "required scopes here: https://developers.hubspot.com/scopes."
)


def category_of(exc: DomainError) -> str:
    if isinstance(exc, Unauthenticated):
        return "INVALID_AUTHENTICATION"
    if isinstance(exc, MissingScope):
        return "MISSING_SCOPES"
    if isinstance(exc, NotFound | RouteNotFound):
        return "OBJECT_NOT_FOUND"
    if isinstance(exc, Conflict | PreconditionFailed):
        return "CONFLICT"
    if isinstance(exc, RateLimited):
        return "RATE_LIMITS"
    if isinstance(exc, InternalError) or exc.status >= 500:
        return "INTERNAL_ERROR" if exc.status == 500 else "SERVICE_UNAVAILABLE"
    if isinstance(exc, MethodNotAllowed):
        return "METHOD_NOT_ALLOWED"
    return "VALIDATION_ERROR"


def status_of(exc: DomainError) -> int:
    if isinstance(exc, IdempotencyMismatch):
        return 422  # SPEC §1: the same key with another body
    if exc.status == 422:
        return 400  # HubSpot answers every validation failure with 400
    return exc.status


def _property_name(field: str | None) -> str | None:
    if field and field.startswith(PROPERTY_PREFIX):
        return field[len(PROPERTY_PREFIX) :]
    return None


def _validation(exc: DomainError) -> tuple[str, list[dict[str, Any]], dict[str, list[str]]]:
    errors: list[dict[str, Any]] = []
    names: list[str] = []
    inner: list[dict[str, Any]] = []
    for problem in exc.problems:
        name = _property_name(problem.field)
        item: dict[str, Any] = {"message": problem.message, "code": problem.code}
        if name is not None:
            names.append(name)
            item["context"] = {"propertyName": [name]}
            inner.append(
                {
                    "isValid": False,
                    "message": problem.message,
                    "error": problem.code,
                    "name": name,
                    "localizedErrorMessage": problem.message,
                }
            )
        elif problem.field:
            item["in"] = problem.field
        errors.append(item)
    if inner and len(inner) == len(errors):
        message = "Property values were not valid: " + orjson.dumps(inner).decode()
    else:
        message = "; ".join(p.message for p in exc.problems) or exc.message
    context = {"propertyName": names} if names else {}
    return message, errors, context


def standard_error(exc: DomainError) -> dict[str, Any]:
    """A HubSpot StandardError / error body without correlation id."""
    category = category_of(exc)
    body: dict[str, Any] = {"status": "error", "category": category}
    errors: list[dict[str, Any]] = []
    context: dict[str, Any] = {}
    if isinstance(exc, Unauthenticated):
        message = AUTH_MESSAGE
    elif isinstance(exc, MissingScope):
        message = SCOPES_MESSAGE
        errors = [
            {
                "message": "One or more of the following scopes are required.",
                "context": {"requiredGranularScopes": list(exc.scopes)},
            }
        ]
        body["links"] = {"scopes": "https://developers.hubspot.com/scopes"}
    elif category == "VALIDATION_ERROR" and not isinstance(exc, IdempotencyMismatch):
        message, errors, context = _validation(exc)
    elif isinstance(exc, NotFound):
        if exc.detail:
            message = exc.detail
        elif exc.kind == "partner_client":
            message = f"Object not found. objectId are usually numeric: {exc.object_id or ''}"
        else:
            message = f"{exc.kind.capitalize()} {exc.object_id or ''} does not exist."
        if exc.object_id is not None:
            context = {"id": [exc.object_id]}
    else:
        message = exc.message
        name = _property_name(exc.field)
        if name is not None:
            context = {"propertyName": [name]}
    body["message"] = message
    if errors:
        body["errors"] = errors
    body["context"] = context
    return body


def render(request: Request, exc: DomainError) -> Response:
    rid = request_id(request)
    status = status_of(exc)
    headers = {"x-hubspot-correlation-id": rid}
    if isinstance(exc, RateLimited):
        daily = exc.policy == "DAILY"
        body: dict[str, Any] = {
            "status": "error",
            "message": "You have reached your daily limit."
            if daily
            else "You have reached your secondly limit.",
            "errorType": "RATE_LIMIT",
            "correlationId": rid,
            "policyName": exc.policy,
            "category": "RATE_LIMITS",
        }
        headers["Retry-After"] = str(exc.retry_after)
        return responses.json(body, 429, headers)
    error = standard_error(exc)
    if status == 500:
        error["message"] = "Internal error."
    body = {
        "status": "error",
        "message": error["message"],
        "correlationId": rid,
        "category": error["category"],
        "errors": error.get("errors", []),
        "context": error["context"],
    }
    if "links" in error:
        body["links"] = error["links"]
    if isinstance(exc, Unauthenticated):
        headers["x-hubspot-auth-failure"] = "401 Unauthorized"
    return responses.json(body, status, headers)
