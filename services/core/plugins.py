"""Plugins are Python entry points. Each domain service is a ``ServicePlugin`` registered in the
``copepod.services`` group; the gateway's route sets live in ``copepod.gateway.routers``."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable

if TYPE_CHECKING:
    import grpc

    from services.core.auth import Principal
    from services.core.bus import Listener, Subscription
    from services.core.host import ServiceContext
    from services.core.jobs import JobKind

SERVICES_GROUP = "copepod.services"
GATEWAY_ROUTERS_GROUP = "copepod.gateway.routers"


@dataclass
class ServicePlugin:
    """What the service host needs from a domain service."""

    name: str
    # Small integer (1-7) unique per service; job ids are ``local id × 8 + number``.
    number: int
    # Adds the servicers to the server; returns the full names of the gRPC services added.
    register: Callable[["grpc.aio.Server", "ServiceContext"], list[str]]
    migrations: Path | None = None
    subscriptions: Callable[["ServiceContext"], list["Subscription"]] = lambda ctx: []
    listeners: Callable[["ServiceContext"], list["Listener"]] = lambda ctx: []
    on_start: Callable[["ServiceContext"], Awaitable[None]] | None = None
    # Background job kinds by type name (EcoTaxa's JobModel.type), run by the service's runners.
    job_kinds: Callable[["ServiceContext"], dict[str, "JobKind"]] = lambda ctx: {}
    # Resolves a token to a Principal locally (the users service); others ask the users service.
    local_resolver: Callable[["ServiceContext"], Callable[[str, dict | None], Awaitable["Principal"]]] | None = None
    # gRPC method names callable without a token, e.g. "/copepod.v1.UsersService/Login".
    public_methods: frozenset[str] = field(default_factory=frozenset)


def load_entry_points(group: str) -> dict[str, Any]:
    return {ep.name: ep.load() for ep in entry_points(group=group)}


def load_service(name: str) -> ServicePlugin:
    matches = [ep for ep in entry_points(group=SERVICES_GROUP) if ep.name == name]
    if not matches:
        known = sorted(ep.name for ep in entry_points(group=SERVICES_GROUP))
        raise SystemExit(f"unknown service {name!r}; installed: {', '.join(known)}")
    plugin = matches[0].load()
    if not isinstance(plugin, ServicePlugin):
        raise SystemExit(f"entry point {name!r} is not a ServicePlugin")
    return plugin


def service_names() -> list[str]:
    plugins = {ep.name: ep.load() for ep in entry_points(group=SERVICES_GROUP)}
    return [name for name, _ in sorted(plugins.items(), key=lambda kv: kv[1].number)]
