"""The Alembic environment every service's ``migrations/env.py`` delegates to. The target
database comes from ``config.attributes["database"]`` (set by ``db.run_migrations``)."""

from __future__ import annotations


def run_env() -> None:
    from alembic import context

    database = context.config.attributes["database"]
    engine = database.sync_engine()
    try:
        with engine.connect() as conn:
            context.configure(connection=conn, render_as_batch=database.is_sqlite)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
