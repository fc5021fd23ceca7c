"""Wire shapes of the test-control API (OpenAPI only: routes render with orjson)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from partnerhub.domain.test_control import Fault, JournalEntry, SnapshotInfo


class TakeSnapshot(BaseModel):
    name: str = Field(description="1 to 100 letters, digits, '.', '_' or '-'")


class NewFault(BaseModel):
    surface: str | None = Field(None, description="hood, core, crm or other; null: any")
    method: str | None = Field(None, description="GET, POST, …; null: any")
    path: str | None = Field(
        None, description="glob on the request path (`*` matches `/` too); null: any"
    )
    status: int | None = Field(
        None, description="400, 401, 403, 404, 409, 429, 500, 502, 503 or 504; null: delay only"
    )
    delay_ms: int = Field(0, description="held this long before answering (0 to 60000)")
    times: int | None = Field(None, description="fires this many times in all; null: every time")
    probability: float = Field(1.0, description="chance a matching request is faulted, 0 to 1")
    retry_after: int = Field(1, description="Retry-After of an injected 429, in seconds")


class Reset(BaseModel):
    generation: int


class Baseline(BaseModel):
    taken_at: datetime
    size_bytes: int


class Snapshot(BaseModel):
    name: str
    taken_at: datetime
    size_bytes: int


class SnapshotList(BaseModel):
    results: list[Snapshot]


class JournalItem(BaseModel):
    id: int
    at: datetime
    method: str
    path: str
    query: str
    status: int
    surface: str
    account_id: int | None
    request_id: str
    duration_ms: float
    fault_id: int | None
    body: Any = Field(
        description='{"json": …} or {"form": "…"} with secrets "[redacted]", '
        '{"unrecorded_bytes": n} for other bodies, or null'
    )


class Journal(BaseModel):
    results: list[JournalItem]


class FaultOut(BaseModel):
    id: int
    surface: str | None
    method: str | None
    path: str | None
    status: int | None
    delay_ms: int
    retry_after: int
    probability: float
    remaining: int | None = Field(description="firings left; null: every time")
    fired: int
    created_at: datetime


class FaultList(BaseModel):
    results: list[FaultOut]


def snapshot_wire(info: SnapshotInfo) -> dict[str, Any]:
    return {"name": info.name, "taken_at": info.taken_at, "size_bytes": info.size_bytes}


def journal_wire(entry: JournalEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at,
        "method": entry.method,
        "path": entry.path,
        "query": entry.query,
        "status": entry.status,
        "surface": entry.surface,
        "account_id": entry.account_id,
        "request_id": entry.request_id,
        "duration_ms": entry.duration_ms,
        "fault_id": entry.fault_id,
        "body": entry.body,
    }


def fault_wire(fault: Fault) -> dict[str, Any]:
    s = fault.spec
    return {
        "id": fault.id,
        "surface": s.surface,
        "method": s.method,
        "path": s.path,
        "status": s.status,
        "delay_ms": s.delay_ms,
        "retry_after": s.retry_after,
        "probability": s.probability,
        "remaining": fault.remaining,
        "fired": fault.fired,
        "created_at": fault.created_at,
    }
