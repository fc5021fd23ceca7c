"""OpenAPI for routes that read their own bodies (request schemas, error responses) and that
authenticate in the route rather than through FastAPI dependencies (security schemes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

_REF = "#/components/schemas/{model}"
_models: dict[str, type[BaseModel]] = {}

ERROR_DESCRIPTIONS = {
    400: "Bad request: invalid JSON, invalid field, unknown id",
    401: "Missing or invalid bearer token",
    403: "The token lacks the scope this route needs",
    404: "Not found",
    409: "Conflict",
    412: "If-Match does not match the object's current ETag",
    413: "Body larger than the limit",
    415: "Body without Content-Type: application/json",
    422: "Validation failed / Idempotency-Key reused with another body",
    429: "Rate limit exceeded (Retry-After)",
    500: "Internal server error",
}


# Security schemes (the docs page's "Authorize" dialog offers each one an operation accepts).
BEARER = "bearerAuth"
BASIC = "basicAuth"
SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    BEARER: {
        "type": "http",
        "scheme": "bearer",
        "description": "A partnerhub token (`ph_…`, `partnerhub tokens create`), or a Core "
        "`access_token` from `POST /core/v2/oauth/token`.",
    },
    BASIC: {
        "type": "http",
        "scheme": "basic",
        "description": "Core (`/core/v2`) only: a partner's login and password.",
    },
}
# `openapi_extra` of a route under an authenticated prefix that takes no credentials.
PUBLIC: dict[str, Any] = {"security": []}


def body(model: type[BaseModel], *, form: bool = False) -> dict[str, Any]:
    """`openapi_extra` describing a request body validated by `model`."""
    _models[model.__name__] = model
    media = "application/x-www-form-urlencoded" if form else "application/json"
    ref = {"$ref": _REF.format(model=model.__name__)}
    return {"requestBody": {"required": True, "content": {media: {"schema": ref}}}}


def errors(model: type[BaseModel], *statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": model, "description": ERROR_DESCRIPTIONS[s]} for s in statuses}


def install(app: FastAPI, security: Mapping[str, Sequence[str]]) -> None:
    """`security`: path prefix -> the schemes its operations accept (any one of them); an
    operation that states its own `security` (PUBLIC) keeps it, one outside every prefix
    (health, metrics) takes no credentials."""

    def schema() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = spec.setdefault("components", {}).setdefault("schemas", {})
        for name, model in _models.items():
            generated = model.model_json_schema(ref_template=_REF)
            components.update(generated.pop("$defs", {}))
            components[name] = generated
        _secure(spec, security)
        app.openapi_schema = spec
        return spec

    app.openapi = schema  # type: ignore[method-assign]


def _secure(spec: dict[str, Any], security: Mapping[str, Sequence[str]]) -> None:
    by_length = sorted(security.items(), key=lambda item: -len(item[0]))
    used: set[str] = set()
    for path, operations in spec.get("paths", {}).items():
        schemes = next(
            (s for prefix, s in by_length if path == prefix or path.startswith(prefix + "/")), ()
        )
        if not schemes:
            continue
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation.setdefault("security", [{name: []} for name in schemes])
                used.update(s for requirement in operation["security"] for s in requirement)
    if used:
        spec["components"]["securitySchemes"] = {n: SECURITY_SCHEMES[n] for n in sorted(used)}
