"""Typed dependencies so routes read like prose: ``caller: CurrentUser``, ``svc: Services``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

import orjson
from fastapi import Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import OAuth2PasswordBearer

from services.core.auth import ANONYMOUS, Authenticator, Principal
from services.core.clients import ServiceClients
from services.core.errors import NotAuthenticated, PermissionDenied, Unauthenticated, Unavailable

from gateway.errors import BAD_CREDENTIALS, FORBIDDEN, NOT_AUTHENTICATED, UNAVAILABLE

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


async def clients(request: Request) -> ServiceClients:
    # async: a plain function dependency would be run in a worker thread on every request.
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
    except Unavailable:
        raise HTTPException(503, UNAVAILABLE)
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
    """Anonymous when there is no token or a bad one (EcoTaxa's optional authentication); a
    valid token is never downgraded to anonymous because the users service is unreachable."""
    token = _token(request, header_token)
    if token:
        try:
            found = await _identify(request, token)
            return Caller(found, (("authorization", f"Bearer {token}"),))
        except HTTPException as exc:
            if exc.status_code == 503:
                raise
    return Caller(ANONYMOUS, request.app.state.clients.service_metadata())


CurrentUser = Annotated[Caller, Depends(require_user)]
OptionalUser = Annotated[Caller, Depends(optional_user)]
Services = Annotated[ServiceClients, Depends(clients)]


def _not_text_at(value: Any, loc: tuple) -> tuple | None:
    """Where a parsed JSON value holds a lone surrogate (no Unicode text), if anywhere. Keys are
    checked before values and located at their object, so no location carries a bad key."""
    if isinstance(value, str):
        return None if _encodes(value) else loc
    if isinstance(value, dict):
        children = [(key, loc) for key in value] + [(item, (*loc, key)) for key, item in value.items()]
    elif isinstance(value, list):
        children = [(item, (*loc, index)) for index, item in enumerate(value)]
    else:
        return None
    for child, where in children:
        found = _not_text_at(child, where)
        if found is not None:
            return found
    return None


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


async def text_only_body(request: Request) -> None:
    """Router dependency: refuse a JSON body carrying lone surrogates (raw, or escaped ``\\udcxx``)
    with a 422 that does not echo them. Python's JSON reader lets them through, but they cannot be
    encoded for gRPC, nor in FastAPI's own 422 answer, so they would otherwise end as a 500."""
    body = await request.body()
    if not body:
        return
    try:
        orjson.loads(body)
        return  # orjson reads only valid Unicode: there is no lone surrogate to find
    except orjson.JSONDecodeError:
        pass  # malformed, too deep, or holding a surrogate: find out below
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return  # FastAPI answers malformed JSON itself
    try:
        where = _not_text_at(parsed, ("body",))
    except RecursionError:
        raise RequestValidationError([{"type": "too_deep", "loc": ("body",), "input": None,
                                       "msg": "The JSON body is nested too deeply"}]) from None
    if where is not None:
        raise RequestValidationError([{"type": "string_unicode", "loc": where, "input": None,
                                       "msg": "Input should be a valid string (no lone surrogates)"}])


TextOnlyBody = Depends(text_only_body)


def body_limit(max_bytes: int):
    """Route dependency: 413 for a body over ``max_bytes``, judged by its declared length before
    anything is read when the client declares it."""
    async def check(request: Request) -> None:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            raise HTTPException(413, f"The request body is larger than {max_bytes} bytes.")
        if len(await request.body()) > max_bytes:
            raise HTTPException(413, f"The request body is larger than {max_bytes} bytes.")

    return Depends(check)
