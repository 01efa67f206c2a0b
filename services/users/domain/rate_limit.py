"""Login throttling: a sliding window of failed attempts per key (an account, a client address).

The counters live in the memory of the users service process: they reset when it restarts and
are not shared between replicas. With several replicas, each one allows the configured number of
failures, which still bounds password guessing to a small multiple of the limit."""

from __future__ import annotations

import time
from collections import deque
from typing import Callable


class LoginLimiter:
    def __init__(self, *, max_failures: int, window_seconds: float,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._failures: dict[str, deque[float]] = {}

    @property
    def enabled(self) -> bool:
        return self.max_failures > 0 and self.window > 0

    def _recent(self, key: str, now: float) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        horizon = now - self.window
        while times and times[0] <= horizon:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times

    def blocked(self, *keys: str) -> bool:
        if not self.enabled:
            return False
        now = self._clock()
        return any((times := self._recent(k, now)) is not None and len(times) >= self.max_failures
                   for k in keys if k)

    def record_failure(self, *keys: str) -> None:
        if not self.enabled:
            return
        now = self._clock()
        for key in keys:
            if not key:
                continue
            times = self._recent(key, now)
            if times is None:
                self._make_room(now)
                times = self._failures[key] = deque(maxlen=self.max_failures)
            times.append(now)

    def reset(self, key: str) -> None:
        self._failures.pop(key, None)

    def _make_room(self, now: float) -> None:
        """Bound memory under a flood of distinct keys: drop expired keys, then the oldest."""
        if len(self._failures) < self._max_keys:
            return
        for key in list(self._failures):
            self._recent(key, now)
        while len(self._failures) >= self._max_keys:
            del self._failures[next(iter(self._failures))]
