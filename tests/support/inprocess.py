"""Real gRPC services run in the test's own event loop (contract tests): each on a free port,
SQLite files in a temporary directory, a real NATS server."""

from __future__ import annotations

import asyncio
import os
from contextlib import asynccontextmanager
from pathlib import Path

from services.core.config import Settings
from services.core.host import serve
from services.core.launcher import free_port
from services.core.plugins import load_service

ADMIN_EMAIL = "admin@example.org"
ADMIN_PASSWORD = "admin-pass-123"
SECRET = "test-secret-key-0123456789-abcdefghijklmnop"


def stack_env(data_dir: Path, nats_url: str, names: list[str], database_url: str | None = None) -> dict[str, str]:
    env = {
        "COPEPOD_DATA_DIR": str(data_dir),
        "COPEPOD_SECRET_KEY": SECRET,
        "COPEPOD_ADMIN_EMAIL": ADMIN_EMAIL,
        "COPEPOD_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "COPEPOD_AUTH_CACHE_SECONDS": "0.5",
        "COPEPOD_OUTBOX_POLL_SECONDS": "0.1",
        "NATS_URL": nats_url,
    }
    for name in names:
        env[f"COPEPOD_{name.upper()}_ADDR"] = f"127.0.0.1:{free_port()}"
    if database_url:
        env["COPEPOD_DATABASE_URL"] = database_url
    return env


@asynccontextmanager
async def running_services(names: list[str], env: dict[str, str]):
    """Start the named services in this loop; yields their Settings."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    settings = Settings()
    stop = asyncio.Event()
    tasks = []
    try:
        for name in names:
            ready = asyncio.Event()
            task = asyncio.create_task(serve(load_service(name), settings, stop=stop, ready=ready))
            tasks.append(task)
            waiter = asyncio.create_task(ready.wait())
            done, _ = await asyncio.wait({task, waiter}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
            if task in done:
                task.result()  # raises the start-up error
            if waiter not in done:
                raise RuntimeError(f"{name} did not start")
        yield settings
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
