"""Running Alembic migrations from code (`partnerhub migrate`, first `serve`, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from partnerhub.storage.urls import async_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = async_url(database_url)
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Bring the schema to `revision` (every branch head by default).

    Blocking; call it outside a running event loop.
    """
    command.upgrade(alembic_config(database_url), revision)
