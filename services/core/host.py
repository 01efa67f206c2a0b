"""The service host: runs one domain service plugin as a gRPC server with health, reflection,
token verification, error mapping, tracing, its own database (migrated at start) and the event
bus; stops gracefully on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass, field

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from copepod.v1 import jobs_pb2, jobs_pb2_grpc
from services.core import heap, telemetry
from services.core.auth import Authenticator, TokenCodec
from services.core.bus import EventBus
from services.core.clients import ServiceClients
from services.core.config import Settings, get_settings
from services.core.db import Database, SessionFactory, run_migrations
from services.core.identity import remote_resolver
from services.core.jobs import JobQueue
from services.core.jobs.api import JobsServicer
from services.core.interceptors import AuthInterceptor, ErrorInterceptor
from services.core.logs import setup_logging
from services.core.plugins import ServicePlugin, load_service

log = logging.getLogger(__name__)

GRACE_SECONDS = 5.0


@dataclass
class ServiceContext:
    """Everything a domain service gets from the host."""

    name: str
    settings: Settings
    database: Database
    db: SessionFactory
    bus: EventBus
    clients: ServiceClients
    codec: TokenCodec
    jobs: JobQueue | None = None
    authenticator: Authenticator | None = None
    # Objects a plugin builds once and shares between its hooks (register, listeners, …).
    state: dict = field(default_factory=dict)


def build_context(plugin: ServicePlugin, settings: Settings) -> ServiceContext:
    database = Database(url=settings.service_database_url(plugin.name), schema=plugin.name)
    if plugin.migrations is not None:
        run_migrations(database, plugin.migrations)
    sessions = SessionFactory(database.async_engine())
    codec = TokenCodec(settings.resolved_secret_key(), settings.token_ttl_seconds)
    clients = ServiceClients(settings, codec, me=plugin.name)
    bus = EventBus(service=plugin.name, nats_url=settings.nats_url, sessions=sessions,
                   poll_seconds=settings.outbox_poll_seconds)
    jobs = JobQueue(service=plugin.name, number=plugin.number, sessions=sessions, bus=bus,
                    data_dir=settings.data_dir, workers=settings.job_workers, poll_seconds=settings.job_poll_seconds,
                    heartbeat_seconds=settings.job_heartbeat_seconds)
    ctx = ServiceContext(name=plugin.name, settings=settings, database=database, db=sessions, bus=bus,
                         clients=clients, codec=codec, jobs=jobs)
    jobs.kinds.update(plugin.job_kinds(ctx))
    resolver = plugin.local_resolver(ctx) if plugin.local_resolver else remote_resolver(clients)
    ctx.authenticator = Authenticator(codec, resolver, cache_seconds=settings.auth_cache_seconds)
    bus.subscriptions.extend(plugin.subscriptions(ctx))
    bus.listeners.extend(plugin.listeners(ctx))
    return ctx


async def serve(plugin: ServicePlugin, settings: Settings | None = None, *, stop: asyncio.Event | None = None,
                ready: asyncio.Event | None = None) -> None:
    """Serve until SIGTERM/SIGINT, or until ``stop`` is set when the caller owns the loop."""
    settings = settings or get_settings()
    telemetry.setup_tracing(plugin.name)
    ctx = build_context(plugin, settings)
    server = grpc.aio.server(
        interceptors=[*telemetry.grpc_server_interceptors(), ErrorInterceptor(),
                      AuthInterceptor(ctx.authenticator, plugin.public_methods)],
        options=[("grpc.so_reuseport", 0)],
    )
    names = plugin.register(server, ctx)
    jobs_pb2_grpc.add_JobsServiceServicer_to_server(JobsServicer(ctx.jobs), server)
    names.append(jobs_pb2.DESCRIPTOR.services_by_name["JobsService"].full_name)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection([*names, health.SERVICE_NAME, reflection.SERVICE_NAME], server)
    addr = settings.service_addr(plugin.name)
    if server.add_insecure_port(addr) == 0:
        raise SystemExit(f"cannot listen on {addr}")
    await server.start()
    await ctx.bus.start()
    await ctx.jobs.start()
    if plugin.on_start is not None:
        await plugin.on_start(ctx)
    heap.settle()
    for name in ["", *names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    log.info("%s serving on %s", plugin.name, addr)

    if ready is not None:
        ready.set()
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()

    log.info("%s stopping", plugin.name)
    for name in ["", *names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)
    await server.stop(GRACE_SECONDS)
    await ctx.jobs.stop(GRACE_SECONDS)
    await ctx.bus.stop()
    await ctx.clients.close()
    await ctx.db.dispose()
    telemetry.shutdown_tracing()
    log.info("%s stopped", plugin.name)


def run_service(name: str) -> None:
    settings = get_settings()
    setup_logging(name, settings.log_level)
    plugin = load_service(name)
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvloop is a pinned dependency
        pass
    asyncio.run(serve(plugin, settings))
