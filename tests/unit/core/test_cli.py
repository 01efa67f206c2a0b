"""The ``copepod`` command: migrations and the admin account command, as real processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys


def _copepod(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COPEPOD_DATA_DIR": str(tmp_path), "COPEPOD_SECRET_KEY": "cli-test-secret-0123456789abcdef"}
    env.pop("COPEPOD_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "services.core.cli", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_migrate_creates_one_database_per_service(tmp_path):
    run = _copepod(tmp_path, "migrate")
    assert run.returncode == 0, run.stderr
    for name in ("users", "projects", "ontology", "labels", "models"):
        assert f"{name}: migrated" in run.stdout
        with sqlite3.connect(tmp_path / f"{name}.db") as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"alembic_version", "outbox_event", "processed_event"} <= tables
    assert _copepod(tmp_path, "migrate").returncode == 0  # idempotent


def test_users_create_writes_an_admin_and_its_event(tmp_path):
    run = _copepod(tmp_path, "users", "create", "--email", "Root@Example.org", "--password", "a-long-password",
                   "--name", "Root", "--admin")
    assert run.returncode == 0, run.stderr
    assert "<root@example.org> created (administrator)" in run.stdout
    with sqlite3.connect(tmp_path / "users.db") as db:
        assert db.execute("SELECT count(*) FROM outbox_event WHERE subject = 'copepod.users.user.created'"
                          ).fetchone()[0] == 1
    again = _copepod(tmp_path, "users", "create", "--email", "root@example.org", "--password", "a-long-password")
    assert again.returncode != 0
    assert "error:" in again.stderr


def test_unknown_service_is_refused(tmp_path):
    run = _copepod(tmp_path, "serve", "nosuch")
    assert run.returncode != 0
    assert "unknown service 'nosuch'" in run.stderr
