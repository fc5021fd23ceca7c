"""Perf tests use the shared `world`, with the token cache on (as a server runs it)."""

from __future__ import annotations

import pytest

from partnerhub.config import Settings


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        redis_url=None,
        token_cache_seconds=60,
        db_pool_size=5,
        log_level="warning",
        _env_file=None,  # type: ignore[call-arg]
    )
