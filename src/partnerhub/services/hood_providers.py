"""Hood providers: the integration providers this build carries (code, not data)."""

from __future__ import annotations

import builtins

from partnerhub import providers
from partnerhub.domain.hood_listquery import ListQuery, select_items
from partnerhub.errors import NotFound
from partnerhub.providers import Provider


def list(*, query: ListQuery) -> tuple[int, builtins.list[Provider]]:
    """The providers the list query selects (filtered, searched, sorted and paged in memory:
    they are code, not rows)."""
    rows = [{"id": p.id, "name": p.name, "type": p.type, "provider": p} for p in providers.all()]
    total, page = select_items(query, rows)
    return total, [row["provider"] for row in page]


def get(provider_id: str) -> Provider:
    try:
        return providers.get(provider_id)
    except NotFound:
        raise NotFound("provider", provider_id[:64]) from None
