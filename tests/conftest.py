"""Shared fixtures: one real NATS server per test session; one running platform per database
leg (SQLite, PostgreSQL) shared by every end-to-end test; one OTLP collector those platforms
export their traces to."""

from __future__ import annotations

import os
from contextlib import ExitStack

import pytest

from tests.support.databases import TempPostgres, postgres_admin_url
from tests.support.nats import NatsServer
from tests.support.otlp import OtlpHttpReceiver
from tests.support.stack import Stack

DATABASE_LEGS = ["sqlite", "postgres"]
NO_POSTGRES = ("PostgreSQL leg skipped: no server reachable at COPEPOD_TEST_POSTGRES_URL "
               "(or postgresql://postgres@127.0.0.1:5432/postgres)")


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory) -> NatsServer:
    server = NatsServer(tmp_path_factory.mktemp("nats")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def otlp_collector() -> OtlpHttpReceiver:
    receiver = OtlpHttpReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session", params=DATABASE_LEGS)
def stack(request, tmp_path_factory, otlp_collector) -> Stack:
    """``copepod up`` on this leg's database, started once and shared by every test of the leg."""
    leg = request.param
    with ExitStack() as cleanup:
        database_url = None
        if leg == "postgres":
            admin_url = postgres_admin_url()
            if admin_url is None:
                if _in_ci() and os.environ.get("COPEPOD_TEST_POSTGRES_URL"):
                    pytest.fail("CI: COPEPOD_TEST_POSTGRES_URL is set but PostgreSQL does not answer there")
                pytest.skip(NO_POSTGRES)
            database_url = cleanup.enter_context(TempPostgres(admin_url)).url
        running = Stack(tmp_path_factory.mktemp(f"stack-{leg}"), database_url=database_url,
                        otlp_endpoint=otlp_collector.endpoint, label=leg).start()
        yield running
        running.stop()


# --- CI guard: in CI the PostgreSQL leg must run whenever PostgreSQL is there ---------------------
_skipped_postgres: list[str] = []


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def pytest_runtest_logreport(report):
    if report.skipped and report.when == "setup" and "[postgres" in report.nodeid:
        _skipped_postgres.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _in_ci() and _skipped_postgres and postgres_admin_url() is not None:
        session.config._copepod_postgres_guard = True  # read by the summary below
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if getattr(config, "_copepod_postgres_guard", False):
        terminalreporter.section("PostgreSQL leg skipped in CI", sep="!", red=True, bold=True)
        terminalreporter.line(f"CI=true and PostgreSQL is reachable, yet {len(_skipped_postgres)} PostgreSQL-leg "
                              f"test(s) were skipped, e.g. {_skipped_postgres[0]}", red=True)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def database_leg(request):
    """The database URL for this leg (None = one SQLite file per service); the PostgreSQL leg gets
    a database of its own, dropped afterwards."""
    with ExitStack() as cleanup:
        if request.param == "postgres":
            admin_url = postgres_admin_url()
            if admin_url is None:
                pytest.skip("PostgreSQL leg skipped: no server reachable")
            yield cleanup.enter_context(TempPostgres(admin_url)).url
        else:
            yield None
