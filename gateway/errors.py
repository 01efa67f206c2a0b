"""gRPC status → HTTP, with EcoTaxa's messages (see docs/errors.md)."""

from __future__ import annotations

import json
from typing import Any

import grpc
from fastapi import Request

from gateway.responses import JSONResponse

NOT_AUTHENTICATED = "Not authenticated"
BAD_CREDENTIALS = "Could not validate credentials"
FORBIDDEN = "You can't do this."
NOT_FOUND = "Not found."
UNAVAILABLE = "A service is unavailable, try again later."

_STATUS = {
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.INVALID_ARGUMENT: 422,
    grpc.StatusCode.OUT_OF_RANGE: 422,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
    grpc.StatusCode.UNIMPLEMENTED: 501,
}


# Statuses a service may name in its details for invalid input (see services.core.errors).
_REFINED_STATUSES = frozenset({413, 415, 416})


def _parse_details(details: str | None, default: str) -> tuple[Any, int | None]:
    """A status message is plain text, or JSON ``{"detail": …}`` for structured problems,
    optionally with a more precise HTTP status for invalid input."""
    if not details:
        return default, None
    if details.startswith("{"):
        try:
            parsed = json.loads(details)
            refined = parsed.get("http_status")
            return parsed["detail"], refined if refined in _REFINED_STATUSES else None
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
    return details, None


def rpc_error_response(exc: grpc.aio.AioRpcError) -> JSONResponse:
    code, details = exc.code(), exc.details()
    if code == grpc.StatusCode.UNAUTHENTICATED:
        if details == NOT_AUTHENTICATED:
            return JSONResponse({"detail": NOT_AUTHENTICATED}, status_code=403)
        return JSONResponse({"detail": BAD_CREDENTIALS}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
    status = _STATUS.get(code, 500)
    if status == 500:
        return JSONResponse({"detail": "Internal error."}, status_code=500)
    if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
        # gRPC's own text for a transport failure names internal addresses.
        details = UNAVAILABLE
    defaults = {403: FORBIDDEN, 404: NOT_FOUND}
    headers = {"Retry-After": "60"} if status == 429 else None
    detail, refined = _parse_details(details, defaults.get(status, code.name))
    return JSONResponse({"detail": detail}, status_code=refined or status, headers=headers)


async def rpc_error_handler(_request: Request, exc: grpc.aio.AioRpcError) -> JSONResponse:
    return rpc_error_response(exc)
