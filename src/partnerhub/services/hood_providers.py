"""Hood providers: the integration providers this build carries (code, not data)."""

from __future__ import annotations

import builtins

from partnerhub import providers
from partnerhub.errors import NotFound
from partnerhub.providers import Provider


def list() -> builtins.list[Provider]:
    return sorted(providers.all(), key=lambda p: p.id)


def get(provider_id: str) -> Provider:
    try:
        return providers.get(provider_id)
    except NotFound:
        raise NotFound("provider", provider_id[:64]) from None
