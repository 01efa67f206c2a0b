"""Contract-test fixtures: real services started in the test's event loop (SQLite, and
PostgreSQL when reachable), a real NATS, and gRPC stubs to call them."""

from __future__ import annotations

from contextlib import ExitStack, asynccontextmanager

import grpc
import pytest

from tests.support.databases import TempPostgres, postgres_admin_url
from tests.support.inprocess import running_services, stack_env

DATABASE_LEGS = ["sqlite", "postgres"]


@pytest.fixture(scope="module", params=DATABASE_LEGS)
def database_leg(request):
    """The database URL for this leg (None = one SQLite file per service)."""
    with ExitStack() as cleanup:
        if request.param == "postgres":
            admin_url = postgres_admin_url()
            if admin_url is None:
                pytest.skip("PostgreSQL leg skipped: no server reachable")
            yield cleanup.enter_context(TempPostgres(admin_url)).url
        else:
            yield None


@pytest.fixture(scope="module")
def start_services(tmp_path_factory, nats_server, database_leg):
    """``async with start_services("users", ...) as settings:`` runs those services in-process;
    ``settings.service_addr(name)`` gives each one's address."""

    @asynccontextmanager
    async def start(*names: str):
        env = stack_env(tmp_path_factory.mktemp("services"), nats_server.url, list(names), database_leg)
        async with running_services(list(names), env) as settings:
            yield settings

    return start


@asynccontextmanager
async def channel_to(addr: str):
    channel = grpc.aio.insecure_channel(addr)
    try:
        yield channel
    finally:
        await channel.close()
