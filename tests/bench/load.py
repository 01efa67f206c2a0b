"""A closed-loop load generator: N concurrent clients, each sending its next request as soon as the
previous one is answered, for a fixed duration after a warm-up."""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from typing import Awaitable, Callable

# One request by client number `worker`; returns True when the answer was a success.
Call = Callable[[int], Awaitable[bool]]


@dataclass(frozen=True)
class Measurement:
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    def as_dict(self) -> dict:
        return {"requests": self.requests, "errors": self.errors, "seconds": round(self.seconds, 2),
                "rps": round(self.rps, 1), "p50_ms": round(self.p50_ms, 3), "p90_ms": round(self.p90_ms, 3),
                "p99_ms": round(self.p99_ms, 3), "max_ms": round(self.max_ms, 3)}


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


async def _drive(call: Call, *, clients: int, seconds: float, record: bool) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    stop_at = started + seconds

    async def worker(number: int) -> None:
        nonlocal errors
        while True:
            before = time.perf_counter()
            if before >= stop_at:
                return
            try:
                ok = await call(number)
            except Exception:
                ok = False
            after = time.perf_counter()
            if record:
                latencies.append(after - before)
                if not ok:
                    errors += 1

    await asyncio.gather(*(worker(n) for n in range(clients)))
    return latencies, errors, time.perf_counter() - started


async def measure(call: Call, *, clients: int, seconds: float, warmup: float) -> Measurement:
    if warmup > 0:
        await _drive(call, clients=clients, seconds=warmup, record=False)
    latencies, errors, elapsed = await _drive(call, clients=clients, seconds=seconds, record=True)
    latencies.sort()
    return Measurement(
        requests=len(latencies), errors=errors, seconds=elapsed, rps=len(latencies) / elapsed,
        p50_ms=percentile(latencies, 0.50) * 1000, p90_ms=percentile(latencies, 0.90) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000, max_ms=(latencies[-1] * 1000) if latencies else math.nan,
    )
