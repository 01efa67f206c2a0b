"""Trace edges: one client request yields spans in the gateway, the owning service and an event
consumer in another service, all in the caller's trace."""

from __future__ import annotations

import secrets

import pytest

from tests.e2e.helpers import create_project, unique
from tests.support.otlp import SPAN_KIND_CONSUMER, SPAN_KIND_SERVER

pytestmark = pytest.mark.e2e

DELETED_PROCESS = "copepod.projects.project.deleted process"
CONSUMERS = {"copepod-users", "copepod-labels", "copepod-models", "copepod-ontology"}


def _complete(spans) -> bool:
    """Every span the test looks at has arrived. Spans are exported in batches as they end, so a
    service's inner spans can arrive before its server span: wait for the server spans themselves."""
    servers = {s.service for s in spans if s.kind == SPAN_KIND_SERVER}
    consumed = any(s.kind == SPAN_KIND_CONSUMER and s.name == DELETED_PROCESS and s.service in CONSUMERS
                   for s in spans)
    return {"copepod-gateway", "copepod-projects"} <= servers and consumed


def test_delete_trace_reaches_gateway_service_and_consumers(stack, otlp_collector, owner_http):
    project_id = create_project(owner_http, unique("traced"))
    trace_id, parent_id = secrets.token_hex(16), secrets.token_hex(8)
    rsp = owner_http.delete(f"/projects/{project_id}", headers={"traceparent": f"00-{trace_id}-{parent_id}-01"})
    assert rsp.status_code == 200, rsp.text

    spans = otlp_collector.store.wait_for(_complete, trace_id=trace_id, timeout=10)
    seen = sorted({(s.service, s.name) for s in spans})
    assert _complete(spans), f"spans of trace {trace_id}: {seen}"
    gateway_roots = [s for s in spans if s.service == "copepod-gateway" and s.kind == SPAN_KIND_SERVER]
    assert any(s.parent_span_id == parent_id for s in gateway_roots), seen
    assert any(s.service == "copepod-projects" and s.kind == SPAN_KIND_SERVER for s in spans), seen
