"""A token bucket: at most ``rate`` sends per second on average, bursts of at most ``capacity``."""

from __future__ import annotations

import time
from collections.abc import Callable


class TokenBucket:
    """Blocking token bucket.

    Tokens accrue at ``rate`` per second up to ``capacity``; :meth:`acquire` takes one, sleeping
    until it is there. The default capacity of 1 spaces sends evenly (what a demo wants); a larger
    capacity lets a producer catch up after a pause. ``clock`` and ``sleep`` are injectable so the
    behaviour is tested with a fake clock rather than by timing.
    """

    def __init__(
        self,
        rate: float,
        capacity: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.rate = float(rate)
        self.capacity = float(capacity)
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._last = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
        self._last = now

    def try_acquire(self) -> bool:
        """Take a token if one is there; never blocks."""
        self._refill()
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    def acquire(self) -> float:
        """Take one token, sleeping until it is available; returns the seconds slept."""
        slept = 0.0
        while not self.try_acquire():
            wait = (1.0 - self._tokens) / self.rate
            self._sleep(wait)
            slept += wait
        return slept
