"""Contract-test fixtures: real services started in the test's event loop (SQLite, and
PostgreSQL when reachable), a real NATS, and gRPC stubs to call them."""

from __future__ import annotations

from contextlib import asynccontextmanager

import grpc
import pytest

from tests.support.inprocess import running_services, stack_env

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
