"""Database URLs as users write them, and as the async drivers need them."""

from __future__ import annotations

from sqlalchemy.engine import make_url


def sync_url(database_url: str) -> str:
    """The SQLite URL for the standard library's driver (`sqlite:///x.db`)."""
    return str(make_url(database_url).set(drivername="sqlite"))


def async_url(database_url: str) -> str:
    """Map the user-facing URL (`sqlite:///x.db`, `postgresql://…`) to its async driver."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return str(url.set(drivername="sqlite+aiosqlite"))
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    raise ValueError(
        f"unsupported database URL scheme {url.drivername!r}: use sqlite or postgresql"
    )
