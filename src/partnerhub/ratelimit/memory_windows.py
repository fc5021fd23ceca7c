"""A policy's windows checked and spent in this process: redis_windows.py's script, in Python.

The same meaning as on Redis (a fixed window starts at its first hit and lasts `seconds`; a
moving window counts the hits of the last `seconds`) and the same answer, computed without an
await, so a spend is atomic on the event loop: every window has room and all are spent, or none
is. It replaced the `limits` library's memory storage, whose two awaited calls per window
(stats, then hit) and a task per window of a multi-window policy cost a Hood request ~10 %.
"""

from __future__ import annotations

import time
from collections import deque

# Expired windows are dropped every SWEEP_EVERY spends, so idle keys do not accumulate.
SWEEP_EVERY = 10_000


class MemoryWindows:
    def __init__(self) -> None:
        self._fixed: dict[str, tuple[int, float]] = {}  # key -> (count, ends at)
        self._moving: dict[str, tuple[int, deque[float]]] = {}  # key -> (seconds, hit times)
        self._spends = 0

    def spend(
        self, windows: list[tuple[str, int, int, bool]], cost: int
    ) -> tuple[bool, list[int], list[float], float]:
        """(allowed, each window's count before this hit, each window's reset time, now), for
        windows of (key, amount, seconds, moving?); times in seconds on a monotonic clock."""
        now = time.monotonic()
        self._spends += 1
        if self._spends % SWEEP_EVERY == 0:
            self._sweep(now)
        counts: list[int] = []
        resets: list[float] = []
        for key, _amount, seconds, moving in windows:
            if moving:
                _, hits = self._moving.get(key, (seconds, None))
                while hits and hits[0] <= now - seconds:
                    hits.popleft()
                counts.append(len(hits) if hits else 0)
                resets.append(hits[0] + seconds if hits else now + seconds)
            else:
                count, ends = self._fixed.get(key, (0, 0.0))
                if ends <= now:
                    count, ends = 0, now + seconds
                counts.append(count)
                resets.append(ends)
        allowed = all(
            count + cost <= amount for count, (_, amount, _, _) in zip(counts, windows, strict=True)
        )
        if allowed:
            for (key, _amount, seconds, moving), count, ends in zip(
                windows, counts, resets, strict=True
            ):
                if moving:
                    self._moving.setdefault(key, (seconds, deque()))[1].extend([now] * cost)
                else:
                    self._fixed[key] = (count + cost, ends)
        return allowed, counts, resets, now

    def _sweep(self, now: float) -> None:
        self._fixed = {k: v for k, v in self._fixed.items() if v[1] > now}
        self._moving = {
            k: (seconds, hits)
            for k, (seconds, hits) in self._moving.items()
            if hits and hits[-1] > now - seconds
        }
