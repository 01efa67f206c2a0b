"""Server interceptors: token verification and the exception → status mapping."""

from __future__ import annotations

import logging
from typing import Awaitable, Callable

import grpc

from services.core.auth import Authenticator, bearer_from_metadata, current_principal, current_token
from services.core.errors import DomainError

log = logging.getLogger(__name__)

ALWAYS_PUBLIC_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


def _wrap(handler: grpc.RpcMethodHandler | None, wrapper) -> grpc.RpcMethodHandler | None:
    """Re-create ``handler`` with its behaviour wrapped, for every kind of RPC. ``wrapper`` gets
    ``streaming=True`` when the response is a stream; the request (message or iterator) is passed
    through untouched."""
    if handler is None:
        return None
    kinds = (
        ("unary_unary", grpc.unary_unary_rpc_method_handler, False),
        ("unary_stream", grpc.unary_stream_rpc_method_handler, True),
        ("stream_unary", grpc.stream_unary_rpc_method_handler, False),
        ("stream_stream", grpc.stream_stream_rpc_method_handler, True),
    )
    for attribute, make, streaming in kinds:
        behavior = getattr(handler, attribute)
        if behavior:
            return make(wrapper(behavior, streaming=streaming),
                        request_deserializer=handler.request_deserializer,
                        response_serializer=handler.response_serializer)
    return handler


class ErrorInterceptor(grpc.aio.ServerInterceptor):
    """Domain errors become their status code; anything else is logged and becomes INTERNAL."""

    async def intercept_service(self, continuation, details):
        handler = await continuation(details)

        def wrapper(behavior, *, streaming: bool):
            async def abort_for(exc: Exception, context):
                if isinstance(exc, DomainError):
                    await context.abort(exc.code, exc.status_details())
                log.exception("unhandled error in %s", details.method)
                await context.abort(grpc.StatusCode.INTERNAL, "Internal error.")

            if streaming:
                async def run_stream(request, context):
                    try:
                        async for item in behavior(request, context):
                            yield item
                    except grpc.aio.AbortError:
                        raise
                    except Exception as exc:  # noqa: BLE001
                        await abort_for(exc, context)
                return run_stream

            async def run(request, context):
                try:
                    return await behavior(request, context)
                except grpc.aio.AbortError:
                    raise
                except Exception as exc:  # noqa: BLE001
                    await abort_for(exc, context)
            return run

        return _wrap(handler, wrapper)


class AuthInterceptor(grpc.aio.ServerInterceptor):
    """Every call carries a token (``authorization: Bearer …``) unless its method is public;
    the caller's Principal is then available to the servicer through ``auth.principal()``."""

    def __init__(self, authenticator: Authenticator, public_methods: frozenset[str]) -> None:
        self._auth = authenticator
        self._public = public_methods

    async def intercept_service(self, continuation, details):
        handler = await continuation(details)
        method = details.method
        if method.startswith(ALWAYS_PUBLIC_PREFIXES):
            return handler
        token = bearer_from_metadata(details.invocation_metadata)
        public = method in self._public
        auth = self._auth

        def wrapper(behavior: Callable[..., Awaitable], *, streaming: bool):
            async def identify():
                current_token.set(token)
                if public and not token:
                    return
                current_principal.set(await auth.authenticate(token))

            if streaming:
                async def run_stream(request, context):
                    await identify()
                    async for item in behavior(request, context):
                        yield item
                return run_stream

            async def run(request, context):
                await identify()
                return await behavior(request, context)
            return run

        return _wrap(handler, wrapper)
