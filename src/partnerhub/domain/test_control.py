"""The test-control API's objects (SPEC §5): snapshots, journal entries and faults, and the
pure rules about them (names, fault matching, which statuses a fault may answer)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from typing import Any

from partnerhub.domain.bounds import length
from partnerhub.errors import ValidationFailed

SURFACES = ("hood", "core", "crm", "test", "other")
FAULT_SURFACES = ("hood", "core", "crm", "other")  # test-control routes are never faulted
FAULT_STATUSES = (400, 401, 403, 404, 409, 429, 500, 502, 503, 504)
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
_NAME_MAX = length("test_snapshots", "name")
SNAPSHOT_NAME = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{_NAME_MAX - 1}}}")
# The baseline is stored as a snapshot under a name no snapshot name can take.
BASELINE = "@baseline"


def snapshot_name(name: str, field: str = "name") -> str:
    if not isinstance(name, str) or not SNAPSHOT_NAME.fullmatch(name):
        raise ValidationFailed.one(
            field,
            f"{field} must be 1 to {_NAME_MAX} letters, digits, '.', '_' or '-', starting with "
            "a letter or digit.",
        )
    return name


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    name: str
    taken_at: datetime
    size_bytes: int


@dataclass(frozen=True, slots=True)
class JournalEntry:
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
    body: Any


@dataclass(frozen=True, slots=True)
class JournalFilter:
    surface: str | None = None
    method: str | None = None
    path_prefix: str | None = None
    status: int | None = None
    limit: int = 100


@dataclass(frozen=True, slots=True)
class FaultSpec:
    """What to inject: `status` in the surface's envelope and/or a delay, on requests matching
    surface, method and path (a glob: `*` matches any characters, `/` too)."""

    surface: str | None
    method: str | None
    path: str | None
    status: int | None
    delay_ms: int
    times: int | None
    probability: float
    retry_after: int


@dataclass(frozen=True, slots=True)
class Fault:
    id: int
    spec: FaultSpec
    remaining: int | None
    fired: int
    created_at: datetime

    def matches(self, surface: str, method: str, path: str) -> bool:
        s = self.spec
        return (
            (s.surface is None or s.surface == surface)
            and (s.method is None or s.method == method)
            and (s.path is None or fnmatchcase(path, s.path))
        )
