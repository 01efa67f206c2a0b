"""OpenTelemetry for every process: a tracer provider named after the process, OTLP export
driven by the standard ``OTEL_*`` variables (http/protobuf or grpc), and W3C trace context
carried in gRPC metadata and NATS headers."""

from __future__ import annotations

import logging
import os

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

log = logging.getLogger(__name__)
_provider: TracerProvider | None = None


def _exporter():
    protocol = (
        os.environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
        or os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
        or "http/protobuf"
    ).strip().lower()
    if protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
    elif protocol == "http/protobuf":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    else:
        raise ValueError(f"unsupported OTLP protocol {protocol!r} (use http/protobuf or grpc)")
    return OTLPSpanExporter()


def setup_tracing(process_name: str) -> TracerProvider:
    """Install the tracer provider once per process; export only when an endpoint is set."""
    global _provider
    if _provider is not None:
        return _provider
    resource = Resource.create({"service.name": f"copepod-{process_name}", "service.namespace": "copepod"})
    endpoint_set = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    )
    if endpoint_set and os.environ.get("OTEL_TRACES_EXPORTER", "otlp") != "none":
        provider = TracerProvider(resource=resource)
        provider.add_span_processor(BatchSpanProcessor(_exporter()))
    else:
        # Nothing would receive the spans: do not record them (building one per request, gRPC call
        # and published event cost several percent of a busy service's CPU). Trace context still
        # flows through headers and metadata, with the same trace ids.
        provider = TracerProvider(resource=resource, sampler=ALWAYS_OFF)
    trace.set_tracer_provider(provider)
    _provider = provider
    return provider


def shutdown_tracing() -> None:
    if _provider is not None:
        _provider.shutdown()


def tracer(name: str = "copepod") -> trace.Tracer:
    return trace.get_tracer(name)


def inject_headers(carrier: dict[str, str]) -> dict[str, str]:
    """Add ``traceparent`` (and ``tracestate``) of the current span to ``carrier``."""
    propagate.inject(carrier)
    return carrier


def extract_context(headers: dict[str, str] | None):
    return propagate.extract(headers or {})


def grpc_server_interceptors() -> list:
    from opentelemetry.instrumentation.grpc import aio_server_interceptor

    return [aio_server_interceptor()]


def grpc_client_interceptors() -> list:
    from opentelemetry.instrumentation.grpc import aio_client_interceptors

    return list(aio_client_interceptors())
