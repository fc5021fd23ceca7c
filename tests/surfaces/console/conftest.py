"""Fixtures of the console's page tests (surfaces/console/kit.py).

The console is a client of the services, whose behaviour on each database the API's suites
prove; its own page tests run on SQLite, except these modules, which run on PostgreSQL too:
the session, tokens, every page's scope/CSRF/tenancy walk, and the partner page's writes and
cascade through the same transaction code as the API.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from surfaces.console.kit import console, console_as

__all__ = ["console", "console_as"]

BOTH_DATABASES = {
    "test_session.py",
    "test_tokens.py",
    "test_every_page.py",
    "test_hood_partner_page.py",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out (as "deselected" in the summary) the PostgreSQL runs of the other modules."""
    here = Path(__file__).resolve().parent
    left_out = [
        item
        for item in items
        if Path(str(item.path)).resolve().parent == here
        and Path(str(item.path)).name not in BOTH_DATABASES
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("database_url") == "postgres"  # type: ignore[attr-defined]
    ]
    if left_out:
        dropped = set(map(id, left_out))
        items[:] = [item for item in items if id(item) not in dropped]
        config.hook.pytest_deselected(items=left_out)
