"""The platform as a whole: health, endpoints, OpenAPI."""

from __future__ import annotations

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.core.config import SERVICE_NAMES

pytestmark = pytest.mark.e2e


def test_healthz_reports_every_service_serving(stack):
    with stack.client() as http:
        rsp = http.get("/healthz")
    assert rsp.status_code == 200, rsp.text
    assert rsp.json() == {"status": "ok", "services": {name: "SERVING" for name in SERVICE_NAMES}}


def test_endpoints_file_names_every_process(stack):
    endpoints = stack.endpoints
    assert set(endpoints) == {"gateway", "nats", "services"}
    assert endpoints["gateway"] == f"http://127.0.0.1:{stack.port}"
    assert endpoints["nats"].startswith("nats://127.0.0.1:")
    assert set(endpoints["services"]) == set(SERVICE_NAMES)
    for name, addr in endpoints["services"].items():
        with grpc.insecure_channel(addr) as channel:
            rsp = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
        assert rsp.status == health_pb2.HealthCheckResponse.SERVING, name


def test_openapi_and_docs_are_served(stack):
    with stack.client() as http:
        spec = http.get("/openapi.json")
        docs = http.get("/docs")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    for path in ("/login", "/users/me", "/projects/create", "/projects/search", "/projects/{project_id}"):
        assert path in paths, path
    assert docs.status_code == 200
    assert docs.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in docs.text
