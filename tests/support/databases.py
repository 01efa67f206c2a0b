"""Database legs for tests: SQLite always; PostgreSQL when ``COPEPOD_TEST_POSTGRES_URL`` (or the
local cluster on 127.0.0.1:5432) is reachable. Each test run gets a database of its own."""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_admin_url() -> str | None:
    url = os.environ.get("COPEPOD_TEST_POSTGRES_URL") or DEFAULT_PG
    try:
        eng = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1),
                               connect_args={"connect_timeout": 2})
        with eng.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        eng.dispose()
    except Exception:  # noqa: BLE001 - no PostgreSQL here: that leg is skipped
        return None
    return url


class TempPostgres:
    """``CREATE DATABASE copepod_test_<random>`` on enter, dropped on exit."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url.replace("postgresql://", "postgresql+psycopg://", 1)
        self.name = f"copepod_test_{uuid.uuid4().hex[:10]}"

    @property
    def url(self) -> str:
        base = sa.engine.make_url(self.admin_url)
        return str(base.set(database=self.name).render_as_string(hide_password=False))

    def __enter__(self) -> "TempPostgres":
        eng = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with eng.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
        eng.dispose()
        return self

    def __exit__(self, *exc) -> None:
        eng = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with eng.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        eng.dispose()


def table_sessions(*, tmp_path, database_leg: str | None, tables: list, prefix: str):
    """A SessionFactory on a fresh database holding only ``tables``: a SQLite file in ``tmp_path``,
    or a schema of its own on the PostgreSQL leg. The caller disposes of it."""
    from sqlmodel import SQLModel

    from services.core.db import Database, SessionFactory

    url = database_leg or f"sqlite:///{tmp_path / (prefix + '.db')}"
    database = Database(url=url, schema=f"{prefix}_{tmp_path.name.lower().replace('-', '_')[-40:]}")
    engine = database.sync_engine()
    SQLModel.metadata.create_all(engine, tables=tables)
    engine.dispose()
    return SessionFactory(database.async_engine())
