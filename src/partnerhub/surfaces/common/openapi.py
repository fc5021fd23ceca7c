"""OpenAPI for routes that read their own bodies: request schemas and error responses."""

from __future__ import annotations

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


def body(model: type[BaseModel], *, form: bool = False) -> dict[str, Any]:
    """`openapi_extra` describing a request body validated by `model`."""
    _models[model.__name__] = model
    media = "application/x-www-form-urlencoded" if form else "application/json"
    ref = {"$ref": _REF.format(model=model.__name__)}
    return {"requestBody": {"required": True, "content": {media: {"schema": ref}}}}


def errors(model: type[BaseModel], *statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": model, "description": ERROR_DESCRIPTIONS[s]} for s in statuses}


def install(app: FastAPI) -> None:
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
        app.openapi_schema = spec
        return spec

    app.openapi = schema  # type: ignore[method-assign]
