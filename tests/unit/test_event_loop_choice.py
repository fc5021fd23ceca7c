"""Which event loop `partnerhub serve` runs on (Settings.server_event_loop)."""

from __future__ import annotations

import pytest

from partnerhub.config import Settings


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("database_url", "redis_url", "loop"),
    [
        ("sqlite:///partnerhub.db", None, "asyncio"),
        ("sqlite:///partnerhub.db", "redis://127.0.0.1:6379/0", "uvloop"),
        ("postgresql://postgres@127.0.0.1:5432/test", None, "uvloop"),
    ],
)
def test_auto_picks_by_the_io_on_the_hot_path(
    database_url: str, redis_url: str | None, loop: str
) -> None:
    settings = _settings(database_url=database_url, redis_url=redis_url)
    assert settings.server_event_loop == loop


@pytest.mark.parametrize("chosen", ["asyncio", "uvloop"])
def test_a_chosen_loop_is_kept(chosen: str) -> None:
    settings = _settings(database_url="postgresql://h/db", event_loop=chosen)
    assert settings.server_event_loop == chosen


def test_an_unknown_loop_is_refused() -> None:
    with pytest.raises(ValueError, match="event_loop"):
        _settings(event_loop="trio")
