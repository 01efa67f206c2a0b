"""Shared fixtures: one real NATS server per test session."""

from __future__ import annotations

import pytest

from tests.support.nats import NatsServer


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory) -> NatsServer:
    server = NatsServer(tmp_path_factory.mktemp("nats")).start()
    yield server
    server.stop()
