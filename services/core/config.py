"""One settings class per process, read once from the environment at start-up."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE_NAMES = ("users", "projects", "ontology", "labels", "models")
# Default gRPC ports when a service runs on its own (``copepod up`` picks free ones).
DEFAULT_PORTS = {"users": 50051, "projects": 50052, "ontology": 50053, "labels": 50054, "models": 50055}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COPEPOD_", extra="ignore")

    data_dir: Path = Path("./var")
    port: int = 8000
    # Gateway processes sharing the port (the gateway is the busiest process on a request's path).
    gateway_workers: int = 1
    host: str = "127.0.0.1"
    database_url: str | None = None
    secret_key: str | None = None
    admin_email: str = "admin@copepod.local"
    admin_password: str | None = None
    admin_name: str = "Application Administrator"
    token_ttl_seconds: int = 31 * 24 * 3600
    # How long a service trusts a looked-up identity before asking the users service again.
    auth_cache_seconds: float = 2.0
    # Longest age of a project row or membership kept in memory by the projects service
    # (events empty it sooner).
    read_cache_seconds: float = 10.0
    login_max_attempts: int = 5
    # Per client address: higher, since many people may share one address (a lab behind NAT).
    login_max_attempts_per_address: int = 50
    login_window_seconds: int = 300
    outbox_poll_seconds: float = 0.5
    nats_url: str = Field(default="nats://127.0.0.1:4222", validation_alias="NATS_URL")
    log_level: str = "INFO"

    def service_addr(self, name: str) -> str:
        return os.environ.get(f"COPEPOD_{name.upper()}_ADDR") or f"127.0.0.1:{DEFAULT_PORTS[name]}"

    def service_database_url(self, name: str) -> str:
        """Own database per service: ``COPEPOD_<SERVICE>_DATABASE_URL``, else the shared URL
        (one PostgreSQL schema per service), else one SQLite file per service in the data dir."""
        url = os.environ.get(f"COPEPOD_{name.upper()}_DATABASE_URL") or self.database_url
        if url:
            return url
        return f"sqlite:///{(self.data_dir / f'{name}.db').resolve()}"

    def resolved_secret_key(self) -> str:
        """The signing key: ``COPEPOD_SECRET_KEY``, else one generated once and kept in the data dir."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret.key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(secrets.token_urlsafe(48))
            os.chmod(tmp, 0o600)
            try:
                os.link(tmp, path)  # atomic: the first writer wins
            except FileExistsError:
                pass
            tmp.unlink(missing_ok=True)
        return path.read_text().strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
