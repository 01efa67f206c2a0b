"""``copepod up`` as an operator sees it: endpoints file, one log per process, a crashed child
restarted, SIGTERM stops everything. Runs once, on a small SQLite platform of its own."""

from __future__ import annotations

import contextlib
import json
import os
import signal

import httpx
import pytest

from services.core.config import SERVICE_NAMES
from tests.e2e.helpers import poll
from tests.support.stack import Stack, still_running

pytestmark = pytest.mark.e2e

CRASHING = "projects"


def _healthy(stack: Stack) -> bool:
    try:
        return httpx.get(f"{stack.gateway_url}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_up_restarts_a_crashed_child_and_stops_cleanly(tmp_path):
    stack = Stack(tmp_path / "data").start()
    try:
        endpoints_path = stack.data_dir / "endpoints.json"
        endpoints = json.loads(endpoints_path.read_text())
        assert set(endpoints) == {"gateway", "nats", "services"}
        assert set(endpoints["services"]) == set(SERVICE_NAMES)
        for name in ("nats", *SERVICE_NAMES, "gateway"):
            assert (stack.logs_dir / f"{name}.log").is_file(), name
        processes = stack.processes()
        assert set(processes) == {"nats", *SERVICE_NAMES, "gateway"}

        crashed = processes[CRASHING]
        os.kill(crashed.pid, signal.SIGKILL)
        restarted = poll(stack.processes, lambda now: CRASHING in now and now[CRASHING].pid != crashed.pid
                         and not still_running(crashed), timeout=20)
        assert restarted.get(CRASHING) and restarted[CRASHING].pid != crashed.pid, stack.log_tails()
        launcher_log = stack.launcher_log.read_text()
        assert f"{CRASHING} exited with code -9; restarting" in launcher_log, launcher_log
        assert poll(lambda: _healthy(stack), bool, timeout=30), stack.log_tails()
        assert f"{CRASHING} restarted (pid {restarted[CRASHING].pid})" in stack.launcher_log.read_text()
    except BaseException:
        with contextlib.suppress(Exception):
            stack.stop()
        raise
    started = [*stack.processes().values()]
    stack.stop()  # raises if the launcher hangs or leaves any process behind
    assert not [p for p in started if still_running(p)]
    assert not endpoints_path.exists()
