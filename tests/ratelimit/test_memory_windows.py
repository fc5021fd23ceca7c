"""The in-process windows: what the shared limiter tests cannot see from outside."""

from __future__ import annotations

import pytest

from partnerhub.ratelimit import memory_windows
from partnerhub.ratelimit.memory_windows import MemoryWindows


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(memory_windows.time, "monotonic", clock)
    return clock


def test_fixed_window_starts_at_first_hit_and_resets(clock: Clock) -> None:
    windows = MemoryWindows()
    w = [("k", 2, 10, False)]
    assert windows.spend(w, 1)[:2] == (True, [0])
    clock.now += 9
    assert windows.spend(w, 1)[:2] == (True, [1])
    assert windows.spend(w, 1)[:3] == (False, [2], [1010.0])
    clock.now += 1  # the window began at 1000 and lasted 10 s
    assert windows.spend(w, 1)[:2] == (True, [0])


def test_moving_window_forgets_hits_older_than_its_length(clock: Clock) -> None:
    windows = MemoryWindows()
    w = [("k", 2, 10, True)]
    windows.spend(w, 1)
    clock.now += 5
    windows.spend(w, 1)
    assert windows.spend(w, 1)[:3] == (False, [2], [1010.0])
    clock.now += 5  # the first hit has left the last 10 s
    assert windows.spend(w, 1)[:2] == (True, [1])


def test_a_refused_spend_takes_from_no_window(clock: Clock) -> None:
    windows = MemoryWindows()
    both = [("short", 1, 1, False), ("long", 5, 60, True)]
    assert windows.spend(both, 1)[0]
    assert not windows.spend(both, 1)[0]
    clock.now += 1
    assert windows.spend(both, 1)[:2] == (True, [0, 1])


def test_idle_keys_are_swept(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory_windows, "SWEEP_EVERY", 3)
    windows = MemoryWindows()
    windows.spend([("old-fixed", 5, 1, False), ("old-moving", 5, 1, True)], 1)
    windows.spend([("live", 5, 60, False)], 1)
    clock.now += 2
    windows.spend([("live", 5, 60, False)], 1)  # the third spend sweeps
    assert set(windows._fixed) == {"live"}
    assert windows._moving == {}
