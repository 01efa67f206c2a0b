"""One database per service: SQLite by default (WAL, busy timeout), PostgreSQL by URL (one
schema per service). Alembic migrations are applied at start; the service then uses an
async engine on the same database."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator

import orjson
import sqlalchemy as sa
from sqlalchemy import create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

log = logging.getLogger(__name__)

SQLITE_CACHE_KIB = 32 * 1024  # per connection
SQLITE_MMAP_BYTES = 512 << 20
SQLITE_BUSY_TIMEOUT_MS = 10_000


def dialect_insert(session: AsyncSession, table: sa.Table):
    """INSERT with the dialect's ON CONFLICT clauses (SQLite and PostgreSQL share their shape)."""
    if session.bind.dialect.name == "sqlite":
        return sqlite.insert(table)
    return postgresql.insert(table)


class JsonText(sa.TypeDecorator):
    """A JSON value kept as text, the same on SQLite and PostgreSQL; ``sort_keys`` stores objects
    with their keys sorted (stable text), else in their own order."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, *, sort_keys: bool = False) -> None:
        super().__init__()
        self.sort_keys = sort_keys

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        options = orjson.OPT_NON_STR_KEYS | (orjson.OPT_SORT_KEYS if self.sort_keys else 0)
        return orjson.dumps(value, option=options).decode()

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:  # text written by the standard library (NaN, Infinity)
            return json.loads(value)


@dataclass(frozen=True)
class Database:
    """Where a service keeps its data."""

    url: str
    schema: str  # PostgreSQL schema (the service name); unused on SQLite

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.url).get_backend_name() == "sqlite"

    def sync_url(self) -> str:
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite":
            return str(url.set(drivername="sqlite"))
        return str(url.set(drivername="postgresql+psycopg"))

    def async_url(self) -> str:
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite":
            return str(url.set(drivername="sqlite+aiosqlite"))
        return str(url.set(drivername="postgresql+psycopg"))

    def _connect_args(self) -> dict:
        if self.is_sqlite:
            return {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", self.schema):
            raise ValueError(f"bad schema name {self.schema!r}")
        return {"options": f"-csearch_path={self.schema}"}

    def _ensure_location(self) -> None:
        if self.is_sqlite:
            path = make_url(self.url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            return
        # The schema must exist before search_path can point at it. Look first, so a role
        # without CREATE on the database can run once an operator has made the schema.
        eng = create_engine(self.sync_url(), isolation_level="AUTOCOMMIT")
        try:
            with eng.connect() as conn:
                found = conn.execute(text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :s"),
                                     {"s": self.schema}).first()
                if found is None:
                    conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"'))
        finally:
            eng.dispose()

    def sync_engine(self) -> Engine:
        self._ensure_location()
        eng = create_engine(self.sync_url(), connect_args=self._connect_args())
        if self.is_sqlite:
            event.listen(eng, "connect", _sqlite_pragmas)
        return eng

    def async_engine(self) -> AsyncEngine:
        self._ensure_location()
        kwargs: dict = {"connect_args": self._connect_args()}
        if not self.is_sqlite:
            kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
        eng = create_async_engine(self.async_url(), **kwargs)
        if self.is_sqlite:
            event.listen(eng.sync_engine, "connect", _sqlite_pragmas)
        return eng


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    # SQLite's defaults (a 2 MB page cache, reads through read()) suit small files; a service's
    # file of a million rows is read much faster from a larger cache and a memory map.
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


# The SessionFactories whose SQLite write lock the current task holds (nested transactions of one
# task do not wait for themselves).
_WRITING: ContextVar[frozenset[int]] = ContextVar("copepod_sqlite_writing", default=frozenset())


class SessionFactory:
    """``async with db.session() as s`` gives a session; ``async with db.transaction() as s``
    also commits on success and rolls back on error.

    On SQLite, transactions of one process take turns (first come, first served): SQLite lets one
    writer in at a time and makes the others poll with growing sleeps, which under load left some
    requests waiting for seconds while others went through."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._maker = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
        self.after_commit_hooks: list = []
        self._take_turns = engine.dialect.name == "sqlite"
        self._turn_lock: asyncio.Lock | None = None

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._maker() as s:
            yield s

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        async with self._turn():
            async with self._maker() as s:
                async with s.begin():
                    yield s
        for hook in self.after_commit_hooks:
            hook()

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """This process's turn to write (SQLite only; nested transactions of a task already have it)."""
        if not self._take_turns or id(self) in _WRITING.get():
            yield
            return
        if self._turn_lock is None:
            self._turn_lock = asyncio.Lock()
        async with self._turn_lock:
            token = _WRITING.set(_WRITING.get() | {id(self)})
            try:
                yield
            finally:
                _WRITING.reset(token)

    async def dispose(self) -> None:
        await self.engine.dispose()


def run_migrations(db: Database, migrations_dir: Path) -> None:
    """Apply every Alembic revision of one service (``upgrade head``)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.attributes["database"] = db
    command.upgrade(cfg, "head")
    log.info("migrations applied", extra={"dir": str(migrations_dir)})
