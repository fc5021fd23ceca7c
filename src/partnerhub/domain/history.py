"""History entries: which fields changed, old → new."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

Changes = dict[str, dict[str, Any]]
# What history shows, old and new, for a secret that changed (never its value).
REDACTED = "[redacted]"


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> Changes:
    """Fields whose value differs, as {field: {"old": …, "new": …}}; keys of either side count."""
    changes: Changes = {}
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before != after:
            changes[key] = {"old": before, "new": after}
    return changes


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    object_type: str
    object_id: str
    version: int
    action: str  # create | update | archive | unarchive | delete
    surface: str
    token_id: int | None
    changed_at: datetime
    changes: Changes
    # Who, when no token did and the surface alone would not say: "basic:<partner_sid>".
    source: str | None = None

    @property
    def author(self) -> str:
        """Who made the change: the token, the credentials (Core HTTP Basic), or the surface
        when neither did (CLI, demo)."""
        if self.source is not None:
            return self.source
        return f"token:{self.token_id}" if self.token_id is not None else f"surface:{self.surface}"
