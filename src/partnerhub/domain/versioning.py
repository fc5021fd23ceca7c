"""Object versions as ETags, and If-Match evaluation (RFC 9110 §13.1.1)."""

from __future__ import annotations

from partnerhub.errors import PreconditionFailed


def etag(version: int) -> str:
    return f'"{version}"'


def check_if_match(if_match: str | None, version: int) -> None:
    """Raise PreconditionFailed unless `If-Match` is absent, `*`, or lists the current version."""
    if if_match is None:
        return
    current = etag(version)
    candidates = [c.strip() for c in if_match.split(",")]
    if "*" in candidates:
        return
    for candidate in candidates:
        tag = candidate[2:] if candidate.startswith("W/") else candidate
        if tag == current:
            return
    raise PreconditionFailed(current)
