"""Tiny OTLP trace receivers for tests: OTLP/HTTP (``POST /v1/traces``, protobuf, gzip-aware)
and OTLP/gRPC (``TraceService/Export``). Both keep every received span with the
``service.name`` of its resource, so a test can assert which processes took part in a trace."""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from concurrent import futures
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import grpc
from opentelemetry.proto.collector.trace.v1 import (
    trace_service_pb2,
    trace_service_pb2_grpc,
)
from opentelemetry.proto.trace.v1 import trace_pb2

from services.core.launcher import free_port

SPAN_KIND_CONSUMER = trace_pb2.Span.SPAN_KIND_CONSUMER
SPAN_KIND_SERVER = trace_pb2.Span.SPAN_KIND_SERVER


@dataclass(frozen=True)
class ReceivedSpan:
    service: str
    name: str
    kind: int
    trace_id: str  # 32 lowercase hex digits
    span_id: str
    parent_span_id: str  # "" for a root span


class SpanStore:
    """Thread-safe list of received spans."""

    def __init__(self) -> None:
        self._spans: list[ReceivedSpan] = []
        self._changed = threading.Condition()

    def add(self, request: trace_service_pb2.ExportTraceServiceRequest) -> None:
        received = []
        for resource_spans in request.resource_spans:
            service = next((a.value.string_value for a in resource_spans.resource.attributes
                            if a.key == "service.name"), "")
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    received.append(ReceivedSpan(service=service, name=span.name, kind=span.kind,
                                                 trace_id=span.trace_id.hex(), span_id=span.span_id.hex(),
                                                 parent_span_id=span.parent_span_id.hex()))
        with self._changed:
            self._spans.extend(received)
            self._changed.notify_all()

    def spans(self, trace_id: str | None = None) -> list[ReceivedSpan]:
        with self._changed:
            return [s for s in self._spans if trace_id is None or s.trace_id == trace_id]

    def wait_for(self, predicate: Callable[[list[ReceivedSpan]], bool], *, trace_id: str | None = None,
                 timeout: float = 10.0) -> list[ReceivedSpan]:
        """Block until ``predicate(spans)`` holds (spans of ``trace_id`` if given); return those spans.
        On timeout return what arrived, so the caller's assertion shows it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                spans = [s for s in self._spans if trace_id is None or s.trace_id == trace_id]
                left = deadline - time.monotonic()
                if predicate(spans) or left <= 0:
                    return spans
                self._changed.wait(left)


def _decode_body(body: bytes, encoding: str) -> bytes:
    encoding = encoding.strip().lower()
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


class OtlpHttpReceiver:
    """OTLP/HTTP with protobuf bodies; point ``OTEL_EXPORTER_OTLP_ENDPOINT`` at ``endpoint``."""

    protocol = "http/protobuf"

    def __init__(self) -> None:
        self.store = SpanStore()
        self.port = free_port()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "OtlpHttpReceiver":
        store = self.store

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                if self.path.rstrip("/") != "/v1/traces":
                    self.send_error(404)
                    return
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = trace_service_pb2.ExportTraceServiceRequest()
                try:
                    request.ParseFromString(_decode_body(body, self.headers.get("Content-Encoding", "")))
                except Exception:
                    self.send_error(400)
                    return
                store.add(request)
                reply = trace_service_pb2.ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *_args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="otlp-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class _TraceService(trace_service_pb2_grpc.TraceServiceServicer):
    def __init__(self, store: SpanStore) -> None:
        self._store = store

    def Export(self, request, context):
        self._store.add(request)
        return trace_service_pb2.ExportTraceServiceResponse()


class OtlpGrpcReceiver:
    """OTLP/gRPC; point ``OTEL_EXPORTER_OTLP_ENDPOINT`` at ``endpoint`` (plain text)."""

    protocol = "grpc"

    def __init__(self) -> None:
        self.store = SpanStore()
        self.port = free_port()
        self._server: grpc.Server | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "OtlpGrpcReceiver":
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        trace_service_pb2_grpc.add_TraceServiceServicer_to_server(_TraceService(self.store), self._server)
        if self._server.add_insecure_port(f"127.0.0.1:{self.port}") == 0:
            raise RuntimeError(f"cannot listen on 127.0.0.1:{self.port}")
        self._server.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop(grace=None)
            self._server = None
