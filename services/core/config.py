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
# Each service's number: the last digit of its job ids in base 8 (``local id × 8 + number``).
SERVICE_NUMBERS = {"users": 1, "projects": 2, "ontology": 3, "labels": 4, "models": 5}
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
    # Where media and files live: ``file:///path`` (default: ``<data dir>/blobs``).
    blob_url: str | None = None
    # Base URL clients reach the gateway at, for absolute media links (unset: the request's).
    public_url: str | None = None
    # How long a signed media link stays valid.
    media_link_seconds: int = 15 * 60
    # Largest single upload (one file, or one zip) accepted by any route.
    max_upload_bytes: int = 2 * 1024**3
    # Largest image accepted, in pixels (Pillow's decompression-bomb guard uses it too).
    max_image_pixels: int = 178_956_970
    # Images wider or taller than this get a thumbnail of that size.
    thumbnail_size: int = 512
    # Space each user may fill in their upload area (``/my_files/``).
    user_files_quota_bytes: int = 10 * 1024**3
    # The server's shared import area: EcoTaxa imports may name folders or zips under it by a
    # relative path. Unset: only the caller's own files (``/my_files/...``) can be imported.
    import_root: Path | None = None
    # Background jobs run at once per service, and how often idle runners look for work.
    job_workers: int = 2
    job_poll_seconds: float = 1.0
    # A running job's runner says it is alive this often; after five silent periods another
    # runner takes the job up (again, or failed with a message).
    job_heartbeat_seconds: float = 2.0
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

    def resolved_blob_url(self) -> str:
        return self.blob_url or (self.data_dir / "blobs").resolve().as_uri()

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
