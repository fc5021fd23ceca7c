"""Hood wire models every resource shares: the request-body base, history and the error."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class HoodIn(BaseModel):
    """A Hood request body. Ocamba drops fields it does not know; so do we."""

    model_config = ConfigDict(extra="ignore", strict=True)


# Responses (documentation only).


class HoodHistoryEntry(BaseModel):
    version: int
    action: Literal["create", "update", "archive", "unarchive", "delete"]
    surface: str
    token_id: str | None
    changed_at: str
    changes: dict[str, dict[str, Any]] = Field(description="field → {old, new}")


class HoodHistory(BaseModel):
    total: int
    items: list[HoodHistoryEntry]


class HoodError(BaseModel):
    code: int
    title: str
    message: str | None = None
    trace_id: str
