"""Typed dependencies so routes read like prose: ``caller: CurrentUser``, ``svc: Services``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordBearer

from services.core.auth import ANONYMOUS, Authenticator, Principal
from services.core.clients import ServiceClients
from services.core.errors import NotAuthenticated, PermissionDenied, Unauthenticated, Unavailable

from gateway.errors import BAD_CREDENTIALS, FORBIDDEN, NOT_AUTHENTICATED

# Documents EcoTaxa's security scheme in OpenAPI; the token is read by `_token` below.
bearer_or_cookie = OAuth2PasswordBearer(tokenUrl="/token", scheme_name="BearerOrCookieAuth", auto_error=False)
SESSION_COOKIE = "session"


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated (or anonymous) caller and the gRPC metadata that speaks for them."""

    principal: Principal
    metadata: tuple[tuple[str, str], ...]

    @property
    def user_id(self) -> int | None:
        return self.principal.user_id


def _token(request: Request, header_token: str | None) -> str | None:
    return header_token or request.cookies.get(SESSION_COOKIE) or None


def clients(request: Request) -> ServiceClients:
    return request.app.state.clients


def _authenticator(request: Request) -> Authenticator:
    return request.app.state.authenticator


async def _identify(request: Request, token: str) -> Principal:
    try:
        found = await _authenticator(request).authenticate(token)
    except (Unauthenticated, NotAuthenticated):
        raise HTTPException(401, BAD_CREDENTIALS, headers={"WWW-Authenticate": "Bearer"})
    except PermissionDenied:
        raise HTTPException(403, FORBIDDEN)
    except Unavailable as exc:
        raise HTTPException(503, exc.message)
    if found.user_id is None:  # service tokens are not for REST clients
        raise HTTPException(401, BAD_CREDENTIALS, headers={"WWW-Authenticate": "Bearer"})
    return found


async def require_user(request: Request, header_token: Annotated[str | None, Depends(bearer_or_cookie)]) -> Caller:
    token = _token(request, header_token)
    if not token:
        raise HTTPException(403, NOT_AUTHENTICATED)
    found = await _identify(request, token)
    return Caller(found, (("authorization", f"Bearer {token}"),))


async def optional_user(request: Request, header_token: Annotated[str | None, Depends(bearer_or_cookie)]) -> Caller:
    """Anonymous when there is no token or a bad one (EcoTaxa's optional authentication)."""
    token = _token(request, header_token)
    if token:
        try:
            found = await _identify(request, token)
            return Caller(found, (("authorization", f"Bearer {token}"),))
        except HTTPException:
            pass
    return Caller(ANONYMOUS, clients(request).service_metadata())


CurrentUser = Annotated[Caller, Depends(require_user)]
OptionalUser = Annotated[Caller, Depends(optional_user)]
Services = Annotated[ServiceClients, Depends(clients)]
