"""HTTP load through ``wrk`` (when installed): a compiled load generator costs a small fraction of the
CPU a Python client spends per request, which matters when it shares the machine with the platform.
Each run gets a generated Lua script that builds the scenario's requests."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

# Longer than any answer the platform should take, so a slow request is measured, not dropped.
REQUEST_TIMEOUT = "30s"

_UNIT_SECONDS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"


class WrkError(RuntimeError):
    pass


def find_wrk() -> str | None:
    return shutil.which("wrk")


def wrk_version(binary: str) -> str:
    """``wrk <version>`` from the banner (``wrk --version`` prints it and exits 1)."""
    done = subprocess.run([binary, "--version"], check=False, capture_output=True, text=True, timeout=10)
    match = re.match(r"wrk (\S+)", (done.stdout or done.stderr or "").strip())
    return f"wrk {match.group(1)}" if match else "wrk (unknown version)"


# --- Lua scripts ----------------------------------------------------------------------------------

def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII text is a valid Lua string literal


_COMMON_LUA = """\
wrk.headers["Authorization"] = {authorization}

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end
"""

_GET_PROJECT_LUA = """\
local ids = {{{ids}}}
local requests = {{}}
function init(args)
  math.randomseed({seed} + thread_number)
  for i, id in ipairs(ids) do
    requests[i] = wrk.format("GET", "/projects/" .. id)
  end
end
function request()
  return requests[math.random(#requests)]
end
"""

_GET_PATH_LUA = """\
wrk.method = "GET"
wrk.path = {path}
"""

_CREATE_PROJECT_LUA = """\
wrk.method = "POST"
wrk.path = "/projects/create"
wrk.headers["Content-Type"] = "application/json"
local created = 0
function request()
  created = created + 1
  local body = string.format('{{"title": "bench {run} wrk %d-%d"}}', thread_number, created)
  return wrk.format(nil, nil, nil, body)
end
"""


@dataclass(frozen=True)
class RequestPlan:
    """What the HTTP scenarios ask for, the same as the Python client's."""

    token: str
    project_ids: list[int]
    search_window: int | None  # None: the full list
    ontology_hash: str = ""


def search_path(search_window: int | None) -> str:
    params = {} if search_window is None else {"window_size": search_window}
    return "/projects/search" + (f"?{urlencode(params)}" if params else "")


def lua_script(scenario: str, plan: RequestPlan) -> str:
    run = uuid.uuid4().hex[:8]  # a fresh tag per run keeps created titles apart across runs
    common = _COMMON_LUA.format(authorization=_lua_string(f"Bearer {plan.token}"))
    if scenario == "get_project":
        body = _GET_PROJECT_LUA.format(ids=", ".join(map(str, plan.project_ids)), seed=int(run, 16) % 100_000)
    elif scenario == "search_projects":
        body = _GET_PATH_LUA.format(path=_lua_string(search_path(plan.search_window)))
    elif scenario == "get_ontology":
        body = _GET_PATH_LUA.format(path=_lua_string(f"/ontologies/{plan.ontology_hash}"))
    elif scenario == "create_project":
        body = _CREATE_PROJECT_LUA.format(run=run)
    else:
        raise WrkError(f"no wrk script for scenario {scenario!r}")
    return common + body


# --- output ---------------------------------------------------------------------------------------

def _seconds(value: str, unit: str) -> float:
    return float(value) * _UNIT_SECONDS[unit]


def _search(pattern: str, output: str) -> re.Match | None:
    return re.search(pattern, output, re.MULTILINE)


def _required(pattern: str, output: str, what: str) -> re.Match:
    match = _search(pattern, output)
    if match is None:
        raise WrkError(f"no {what} in the wrk output:\n{output}")
    return match


def _latency_ms(output: str, percent: int) -> float:
    match = _required(rf"^\s*{percent}(?:\.0+)?%\s+{_DURATION}\s*$", output, f"{percent}% latency line")
    return _seconds(*match.groups()) * 1000


def _max_latency_ms(output: str) -> float:
    # Thread Stats row: "Latency  <avg>  <stdev>  <max>  <+/- stdev>"
    match = _required(rf"^\s*Latency\s+{_DURATION}\s+{_DURATION}\s+{_DURATION}", output, "latency stats row")
    return _seconds(match.group(5), match.group(6)) * 1000


def _socket_errors(output: str) -> dict[str, int]:
    match = _search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    counts = map(int, match.groups()) if match else (0, 0, 0, 0)
    return dict(zip(("connect", "read", "write", "timeout"), counts, strict=True))


def _non_2xx(output: str) -> int:
    match = _search(r"Non-2xx or 3xx responses: (\d+)", output)
    return int(match.group(1)) if match else 0


def parse_output(output: str) -> dict:
    """A report entry, in the Python load generator's shape, from ``wrk --latency`` output."""
    total = _required(rf"^\s*(\d+) requests in {_DURATION}", output, "request count")
    rps = _required(r"^Requests/sec:\s+([\d.]+)", output, "Requests/sec")
    sockets, non_2xx = _socket_errors(output), _non_2xx(output)
    return {
        "requests": int(total.group(1)), "errors": non_2xx + sum(sockets.values()),
        "seconds": round(_seconds(total.group(2), total.group(3)), 2), "rps": round(float(rps.group(1)), 1),
        "p50_ms": round(_latency_ms(output, 50), 3), "p90_ms": round(_latency_ms(output, 90), 3),
        "p99_ms": round(_latency_ms(output, 99), 3), "max_ms": round(_max_latency_ms(output), 3),
        "non_2xx": non_2xx, "socket_errors": sockets,
    }


# --- runs -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Wrk:
    binary: str
    version: str
    base_url: str
    max_threads: int
    script_dir: Path

    def threads_for(self, connections: int) -> int:
        return max(1, min(self.max_threads, connections))  # wrk refuses more threads than connections

    def command(self, script: Path, *, connections: int, seconds: float) -> list[str]:
        # wrk takes whole seconds only.
        return [self.binary, "-t", str(self.threads_for(connections)), "-c", str(connections),
                "-d", f"{max(1, round(seconds))}s", "--timeout", REQUEST_TIMEOUT, "--latency",
                "-s", str(script), self.base_url]

    def write_script(self, scenario: str, plan: RequestPlan) -> Path:
        self.script_dir.mkdir(parents=True, exist_ok=True)
        path = self.script_dir / f"{scenario}-{uuid.uuid4().hex[:8]}.lua"
        path.write_text(lua_script(scenario, plan))
        return path

    async def run(self, scenario: str, plan: RequestPlan, *, connections: int, seconds: float) -> dict:
        command = self.command(self.write_script(scenario, plan), connections=connections, seconds=seconds)
        done = await asyncio.to_thread(_spawn, command, timeout=seconds + 60)
        if done.returncode != 0:
            raise WrkError(f"wrk exited with code {done.returncode}:\n{done.stdout}")
        return parse_output(done.stdout)


def _spawn(command: list[str], *, timeout: float) -> subprocess.CompletedProcess:
    # close_fds=False lets subprocess use posix_spawn instead of fork(), so the gRPC client's fork
    # handlers stay out of it (they log a warning for every fork while its threads are busy).
    return subprocess.run(command, check=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          close_fds=False, timeout=timeout)


def make_wrk(base_url: str, script_dir: Path, *, max_threads: int) -> Wrk | None:
    """A wrk runner when wrk is on PATH, else None (the Python client then measures HTTP too)."""
    binary = find_wrk()
    if binary is None:
        return None
    return Wrk(binary=binary, version=wrk_version(binary), base_url=base_url, max_threads=max_threads,
               script_dir=script_dir)
