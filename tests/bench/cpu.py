"""CPU time spent by each platform process (and by the load generator) during a measurement,
read from /proc, so a report shows where a request's cost goes. The load generator is this process
plus its finished child processes (wrk runs)."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _finished_children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self._start: dict[str, float] = {}

    def _now(self) -> dict[str, float]:
        sample = {name: _cpu_seconds(pid) for name, pid in self.pids.items()}
        sample["load generator"] = time.process_time() + _finished_children_cpu_seconds()
        return sample

    def start(self) -> None:
        self._start = self._now()

    def per_request_ms(self, requests: int) -> dict[str, float]:
        """CPU milliseconds per request since ``start()``, by process."""
        end = self._now()
        return {name: round((end[name] - self._start[name]) * 1000 / max(1, requests), 3) for name in end}
