"""Resolving tokens through the users service, for every process but the users service."""

from __future__ import annotations

import grpc

from copepod.v1 import users_pb2
from services.core.auth import Principal
from services.core.clients import ServiceClients
from services.core.errors import PermissionDenied, Unauthenticated, Unavailable


def remote_resolver(clients: ServiceClients):
    async def resolve(token: str, _claims: dict | None) -> Principal:
        try:
            rsp = await clients.users.Authenticate(
                users_pb2.AuthenticateRequest(), metadata=(("authorization", f"Bearer {token}"),), timeout=5
            )
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.UNAUTHENTICATED:
                raise Unauthenticated() from exc
            if exc.code() == grpc.StatusCode.PERMISSION_DENIED:
                raise PermissionDenied() from exc
            raise Unavailable("The users service is unavailable.") from exc
        return Principal(user_id=rsp.user_id, is_admin=rsp.is_admin, email=rsp.email, name=rsp.name)

    return resolve
