"""Hood wire helpers every resource shares: body unwrapping, times, field selection, the list
envelope and history entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from partnerhub.domain.history import HistoryEntry
from partnerhub.errors import InvalidBody
from partnerhub.surfaces.common.body import check_shape, parse_json


def hood_time(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def unwrap(body: Any) -> dict[str, Any]:
    """Hood bodies may arrive as a JSON string holding the JSON object (the docs' examples do)."""
    if isinstance(body, str):
        body = parse_json(body, where=" in the JSON text inside the body string")
        check_shape(body)  # the depth and NUL-byte rules apply to the object inside too
    if not isinstance(body, dict):
        raise InvalidBody("The body must be a JSON object.", field="body")
    return body


def select_fields(item: dict[str, Any], fields: tuple[str, ...] | None) -> dict[str, Any]:
    """The `fields=` a list or get asked for, in that order (all of them without it)."""
    return {k: item[k] for k in fields if k in item} if fields else item


def history_wire(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "version": entry.version,
        "action": entry.action,
        "surface": entry.surface,
        "token_id": str(entry.token_id) if entry.token_id is not None else None,
        "changed_at": hood_time(entry.changed_at),
        "changes": entry.changes,
    }


def envelope(items: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    return {"total": len(items) if total is None else total, "items": items}
