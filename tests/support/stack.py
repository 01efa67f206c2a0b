"""The real platform for end-to-end tests and benchmarks: ``copepod up`` in a temporary data
dir (bundled NATS, every service, the gateway), reached only through its public endpoints.

``stop()`` sends SIGTERM to the launcher, as an operator would, then checks that every process
it started is gone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from services.core.launcher import free_port

REPO = Path(__file__).resolve().parents[2]

ADMIN_EMAIL = "admin@example.org"
ADMIN_PASSWORD = "admin-pass-123"
SECRET_KEY = "e2e-secret-key-0123456789-abcdefghijklmnop"
USER_PASSWORD = "user-pass-123"

START_TIMEOUT = 60.0
STOP_TIMEOUT = 45.0  # the launcher gives each of its three stop groups up to 10 s


class StackError(RuntimeError):
    pass


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    ppid: int
    start_ticks: int  # tells a live process from a later one that reuses its pid
    state: str
    argv: tuple[str, ...]


def read_process(pid: int) -> ProcessInfo | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        raw_argv = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name (field 2) is in parentheses and may itself contain spaces or parentheses.
    fields = stat[stat.rindex(")") + 2:].split()
    argv = tuple(part.decode(errors="replace") for part in raw_argv.split(b"\0") if part)
    return ProcessInfo(pid=pid, ppid=int(fields[1]), start_ticks=int(fields[19]), state=fields[0], argv=argv)


def all_processes() -> list[ProcessInfo]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            info = read_process(int(entry.name))
            if info is not None:
                found.append(info)
    return found


def descendants(root: int) -> list[ProcessInfo]:
    table = all_processes()
    children: dict[int, list[ProcessInfo]] = {}
    for info in table:
        children.setdefault(info.ppid, []).append(info)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child.pid)
    return found


def still_running(info: ProcessInfo) -> bool:
    now = read_process(info.pid)
    return now is not None and now.start_ticks == info.start_ticks and now.state not in ("Z", "X")


def role_of(info: ProcessInfo) -> str:
    """``nats``, a service name or ``gateway`` for a process started by the launcher."""
    argv = list(info.argv)
    if argv and Path(argv[0]).name == "nats-server":
        return "nats"
    if "serve" in argv:
        return argv[argv.index("serve") + 1]
    if "gateway" in argv:
        return "gateway"
    return Path(argv[0]).name if argv else "?"


class Stack:
    """One running platform. ``database_url`` None means SQLite files in the data dir;
    ``settings`` are extra ``COPEPOD_*`` variables, over the test defaults."""

    def __init__(self, data_dir: Path, *, database_url: str | None = None, otlp_endpoint: str | None = None,
                 otlp_protocol: str = "http/protobuf", label: str = "sqlite",
                 settings: dict[str, str] | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.settings = dict(settings or {})
        self.database_url = database_url
        self.otlp_endpoint = otlp_endpoint
        self.otlp_protocol = otlp_protocol
        self.label = label
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.endpoints: dict = {}
        self._launcher_log = None
        self._admin_token: str | None = None

    # --- lifecycle -----------------------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items()
                     if not k.startswith(("COPEPOD_", "OTEL_")) and k != "NATS_URL"}
        env = {
            **inherited,
            "COPEPOD_DATA_DIR": str(self.data_dir),
            "COPEPOD_PORT": str(self.port),
            "COPEPOD_SECRET_KEY": SECRET_KEY,
            "COPEPOD_ADMIN_EMAIL": ADMIN_EMAIL,
            "COPEPOD_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "COPEPOD_AUTH_CACHE_SECONDS": "0.5",
            "COPEPOD_OUTBOX_POLL_SECONDS": "0.1",
            # Jobs of a killed service are taken up within a few seconds.
            "COPEPOD_JOB_HEARTBEAT_SECONDS": "0.5",
            "COPEPOD_JOB_POLL_SECONDS": "0.2",
            "PYTHONUNBUFFERED": "1",
            **self.settings,
        }
        if self.database_url:
            env["COPEPOD_DATABASE_URL"] = self.database_url
        if self.otlp_endpoint:
            env.update({"OTEL_EXPORTER_OTLP_ENDPOINT": self.otlp_endpoint,
                        "OTEL_EXPORTER_OTLP_PROTOCOL": self.otlp_protocol,
                        "OTEL_BSP_SCHEDULE_DELAY": "100"})
        return env

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def launcher_log(self) -> Path:
        return self.logs_dir / "up.log"

    def start(self, timeout: float = START_TIMEOUT) -> "Stack":
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        self._launcher_log = open(self.launcher_log, "ab", buffering=0)
        self.proc = subprocess.Popen([sys.executable, "-m", "services.core.cli", "up"], cwd=REPO,
                                     env=self.environment(), stdin=subprocess.DEVNULL, stdout=self._launcher_log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_ready(timeout)
        except BaseException:
            self._abort()
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        endpoints_path = self.data_dir / "endpoints.json"
        while not endpoints_path.exists():
            self._fail_if_exited()
            if time.monotonic() > deadline:
                raise StackError(f"{self.label}: copepod up wrote no endpoints.json in {timeout:.0f}s\n"
                                 f"{self.log_tails()}")
            time.sleep(0.1)
        self.endpoints = json.loads(endpoints_path.read_text())
        while True:
            self._fail_if_exited()
            try:
                if httpx.get(f"{self.gateway_url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise StackError(f"{self.label}: /healthz not 200 within {timeout:.0f}s\n{self.log_tails()}")
            time.sleep(0.1)

    def _fail_if_exited(self) -> None:
        if self.proc.poll() is not None:
            raise StackError(f"{self.label}: copepod up exited with code {self.proc.returncode}\n{self.log_tails()}")

    def processes(self) -> dict[str, ProcessInfo]:
        """The launcher's direct children by role."""
        return {role_of(info): info for info in descendants(self.proc.pid) if info.ppid == self.proc.pid}

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM to the launcher; raise StackError if it hangs or leaves a process behind."""
        if self.proc is None:
            return
        if self.proc.poll() is not None:
            self._close_log()
            raise StackError(f"{self.label}: copepod up had already exited (code {self.proc.returncode})\n"
                             f"{self.log_tails()}")
        started = descendants(self.proc.pid)
        try:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self._abort()
                raise StackError(f"{self.label}: copepod up did not stop within {timeout:.0f}s\n{self.log_tails()}")
            survivors = [info for info in started if still_running(info)]
            if survivors:
                for info in survivors:
                    _kill(info)
                raise StackError(f"{self.label}: processes left running after copepod up stopped: "
                                 + ", ".join(f"{role_of(i)} (pid {i.pid})" for i in survivors))
            if self.proc.returncode != 0:
                raise StackError(f"{self.label}: copepod up exited with code {self.proc.returncode}\n{self.log_tails()}")
        finally:
            self._close_log()

    def _abort(self) -> None:
        """Best-effort kill of the launcher and everything under it (failure paths only)."""
        if self.proc is None:
            return
        for info in descendants(self.proc.pid):
            _kill(info)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_log()

    def _close_log(self) -> None:
        if self._launcher_log is not None:
            self._launcher_log.close()
            self._launcher_log = None

    def log_tails(self, lines: int = 30) -> str:
        parts = []
        for path in sorted(self.logs_dir.glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {path.name} (last {len(tail)} lines)\n" + "\n".join(tail))
        return "\n".join(parts)

    # --- clients -------------------------------------------------------------------------------
    @property
    def gateway_url(self) -> str:
        return self.endpoints["gateway"]

    @property
    def nats_url(self) -> str:
        return self.endpoints["nats"]

    def client(self, token: str | None = None, **kwargs) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.gateway_url, headers=headers, timeout=kwargs.pop("timeout", 15), **kwargs)

    def async_client(self, token: str | None = None, **kwargs) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(base_url=self.gateway_url, headers=headers, timeout=kwargs.pop("timeout", 15),
                                 **kwargs)

    def login(self, email: str, password: str) -> str:
        rsp = httpx.post(f"{self.gateway_url}/login", json={"username": email, "password": password}, timeout=15)
        if rsp.status_code != 200:
            raise StackError(f"login of {email} answered {rsp.status_code}: {rsp.text}")
        token = rsp.json()
        assert isinstance(token, str) and token, rsp.text
        return token

    @property
    def admin_token(self) -> str:
        if self._admin_token is None:
            self._admin_token = self.login(ADMIN_EMAIL, ADMIN_PASSWORD)
        return self._admin_token

    def make_user(self, admin_token: str, email: str, *, password: str = USER_PASSWORD,
                  name: str | None = None) -> int:
        """Create an active account through ``POST /users/create``; returns its id."""
        name = name or email.split("@")[0]
        body = {"id": -1, "email": email, "name": name, "password": password, "organisation": "Copepod tests",
                "country": "France", "usercreationreason": "end-to-end tests"}
        with self.client(admin_token) as http:
            rsp = http.post("/users/create", json=body)
            if rsp.status_code != 200:
                raise StackError(f"POST /users/create answered {rsp.status_code}: {rsp.text}")
            created = rsp.json()
            if isinstance(created, dict):
                created = created.get("id")
            if isinstance(created, int) and not isinstance(created, bool):
                return created
            # EcoTaxa documents no response body for this route: find the account by name.
            found = http.get("/users/search", params={"by_name": name}).json()
        ids = [u["id"] for u in found if u.get("email") == email]
        if len(ids) != 1:
            raise StackError(f"created user {email} not found by /users/search: {found}")
        return ids[0]


def _kill(info: ProcessInfo) -> None:
    if still_running(info):
        try:
            os.kill(info.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
