"""The users service: accounts, sessions, API keys, groups, project memberships and roles."""

from pathlib import Path

from copepod.v1 import users_pb2, users_pb2_grpc
from services.core.config import SERVICE_NUMBERS
from services.core.plugins import ServicePlugin
from services.users.domain.accounts import bootstrap_admin
from services.users.domain.credentials import resolve_token
from services.users.events import project_deleted_subscription
from services.users.grpc_api import UsersServicer

SERVICE = users_pb2.DESCRIPTOR.services_by_name["UsersService"].full_name


def register(server, ctx) -> list[str]:
    users_pb2_grpc.add_UsersServiceServicer_to_server(UsersServicer(ctx), server)
    return [SERVICE]


def local_resolver(ctx):
    """Tokens are checked against this service's own database, not over gRPC."""

    async def resolve(token: str, claims: dict | None):
        return await resolve_token(ctx, token=token, claims=claims)

    return resolve


plugin = ServicePlugin(
    name="users",
    number=SERVICE_NUMBERS["users"],
    register=register,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=lambda ctx: [project_deleted_subscription(ctx)],
    on_start=bootstrap_admin,
    local_resolver=local_resolver,
    public_methods=frozenset({f"/{SERVICE}/Login", f"/{SERVICE}/Authenticate"}),
)
