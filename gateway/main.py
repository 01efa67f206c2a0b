"""The REST gateway: authenticates, routes to the services over gRPC, composes answers, maps
errors, serves OpenAPI. It holds no domain logic."""

from __future__ import annotations

from contextlib import asynccontextmanager

import grpc
from fastapi import FastAPI

from gateway.errors import rpc_error_handler
from gateway.responses import JSONResponse
from gateway.routers import health
from services.core import heap, telemetry
from services.core.auth import Authenticator, TokenCodec
from services.core.clients import ServiceClients
from services.core.config import Settings, get_settings
from services.core.identity import remote_resolver
from services.core.plugins import GATEWAY_ROUTERS_GROUP, load_entry_points

DESCRIPTION = """Copepod's public REST surface. Where it mirrors EcoTaxa (projects, users, jobs…) paths,
parameters and JSON shapes follow EcoTaxa's API 0.0.37; Encord-style resources (memberships, groups,
datasets, label rows…) follow Copepod's own design. Authenticate with `POST /login`, then send
`Authorization: Bearer <token>` (or the `session` cookie)."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    telemetry.setup_tracing("gateway")
    codec = TokenCodec(settings.resolved_secret_key(), settings.token_ttl_seconds)
    clients = ServiceClients(settings, codec, me="gateway")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        heap.settle()
        yield
        await clients.close()

    app = FastAPI(title="Copepod", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                  default_response_class=JSONResponse)
    app.state.settings = settings
    app.state.clients = clients
    app.state.authenticator = Authenticator(codec, remote_resolver(clients), cache_seconds=settings.auth_cache_seconds)
    app.add_exception_handler(grpc.aio.AioRpcError, rpc_error_handler)
    app.include_router(health.router)
    for _name, router in sorted(load_entry_points(GATEWAY_ROUTERS_GROUP).items()):
        app.include_router(router)

    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz", exclude_spans=["receive", "send"])
    return app


def run_gateway() -> None:
    import uvicorn

    from services.core.logs import setup_logging

    settings = get_settings()
    setup_logging("gateway", settings.log_level)
    common = dict(host=settings.host, port=settings.port, loop="uvloop", http="httptools", access_log=False,
                  log_config=None, timeout_graceful_shutdown=5)
    if settings.gateway_workers > 1:
        # Worker processes share the port; each builds its own app (channels, identity cache).
        uvicorn.run("gateway.main:create_app", factory=True, workers=settings.gateway_workers, **common)
    else:
        uvicorn.run(create_app(settings), **common)
