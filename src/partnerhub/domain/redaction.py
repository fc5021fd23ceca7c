"""Secrets out of what the request journal keeps: JSON bodies, form bodies and query strings
with every secret-named key's value replaced by "[redacted]" (history's own mark)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson

from partnerhub.domain.history import REDACTED

# Secrets any surface takes by these names (Core's password grant and partner passwords, OAuth
# client secrets and tokens, HubSpot's hapikey); providers add their secret setting names.
SECRET_KEYS = frozenset(
    {
        "password",
        "client_secret",
        "token",
        "access_token",
        "refresh_token",
        "api_key",
        "apikey",
        "hapikey",
        "auth_token",
        "secret",
    }
)
FORM = "application/x-www-form-urlencoded"


def _secret(key: str, keys: Collection[str]) -> bool:
    return key.lower() in keys


def redact_json(value: Any, keys: Collection[str]) -> Any:
    """`value` with the value of every object key in `keys` (at any depth) redacted."""
    if isinstance(value, dict):
        return {k: REDACTED if _secret(k, keys) else redact_json(v, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_json(v, keys) for v in value]
    return value


def redact_pairs(text: str, keys: Collection[str]) -> str:
    """A query string or form body with the values of secret-named fields redacted."""
    pairs = parse_qsl(text, keep_blank_values=True)
    return urlencode([(k, REDACTED if _secret(k, keys) else v) for k, v in pairs])


def redact_body(raw: bytes, content_type: str | None, keys: Collection[str]) -> Any:
    """What the journal keeps of a request body: JSON parsed and redacted; a form body as its
    redacted text; anything else (or a body that does not parse) only as its size, since
    there is no telling what secret it holds."""
    if not raw:
        return None
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == FORM:
        try:
            return {"form": redact_pairs(raw.decode("utf-8"), keys)}
        except UnicodeDecodeError:
            return {"unrecorded_bytes": len(raw)}
    try:
        return {"json": redact_json(orjson.loads(raw), keys)}
    except orjson.JSONDecodeError:
        return {"unrecorded_bytes": len(raw)}
