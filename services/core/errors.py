"""Typed domain errors. One interceptor maps them to gRPC status codes; the gateway maps codes
to HTTP with EcoTaxa's messages (see docs/errors.md)."""

from __future__ import annotations

import json
from typing import Any

import grpc


class DomainError(Exception):
    code = grpc.StatusCode.UNKNOWN
    default_message = "Error."

    def __init__(self, message: str | None = None, *, detail: Any = None) -> None:
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        self.detail = detail

    def status_details(self) -> str:
        """The status message: plain text, or JSON when a structured detail is attached."""
        if self.detail is None:
            return self.message
        return json.dumps({"detail": self.detail})


class Unauthenticated(DomainError):
    code = grpc.StatusCode.UNAUTHENTICATED
    default_message = "Could not validate credentials"


class NotAuthenticated(DomainError):
    """No credentials where they are required."""

    code = grpc.StatusCode.UNAUTHENTICATED
    default_message = "Not authenticated"


class PermissionDenied(DomainError):
    code = grpc.StatusCode.PERMISSION_DENIED
    default_message = "You can't do this."


class NotFound(DomainError):
    code = grpc.StatusCode.NOT_FOUND
    default_message = "Not found."


class InvalidArgument(DomainError):
    code = grpc.StatusCode.INVALID_ARGUMENT
    default_message = "Invalid request."


class _InvalidWithStatus(InvalidArgument):
    """Invalid input that HTTP names more precisely than 422; the status travels in the details."""

    http_status = 422

    def status_details(self) -> str:
        return json.dumps({"detail": self.detail if self.detail is not None else self.message,
                           "http_status": self.http_status})


class PayloadTooLarge(_InvalidWithStatus):
    http_status = 413
    default_message = "The upload is too large."


class UnsupportedMediaType(_InvalidWithStatus):
    http_status = 415
    default_message = "Unsupported media type."


class RangeNotSatisfiable(_InvalidWithStatus):
    http_status = 416
    default_message = "The requested range is outside the file."


class Conflict(DomainError):
    code = grpc.StatusCode.ALREADY_EXISTS
    default_message = "Already exists."


class FailedPrecondition(DomainError):
    code = grpc.StatusCode.FAILED_PRECONDITION
    default_message = "Not possible in the current state."


class TooManyRequests(DomainError):
    code = grpc.StatusCode.RESOURCE_EXHAUSTED
    default_message = "Too many attempts, try again later."


class Unavailable(DomainError):
    code = grpc.StatusCode.UNAVAILABLE
    default_message = "A dependency is unavailable."
