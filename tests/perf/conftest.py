"""Perf tests use the shared `world`, with the token cache on (as a server runs it)."""

from __future__ import annotations

import pytest

from harness import suite_settings
from partnerhub.config import Settings


@pytest.fixture
def settings(database_url: str) -> Settings:
    return suite_settings(database_url, token_cache_seconds=60)
