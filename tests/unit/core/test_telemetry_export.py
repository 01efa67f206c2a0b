"""OTLP export driven by the standard OTEL_* variables, over both protocols, from a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.otlp import OtlpGrpcReceiver, OtlpHttpReceiver

REPO = Path(__file__).resolve().parents[3]

PROBE = textwrap.dedent("""
    from services.core import telemetry

    telemetry.setup_tracing("probe")
    with telemetry.tracer("probe").start_as_current_span("probe-span"):
        pass
    telemetry.shutdown_tracing()
""")


def _run_probe(endpoint: str, protocol: str, **otel: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update({"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "OTEL_EXPORTER_OTLP_PROTOCOL": protocol, **otel})
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("receiver_cls", [OtlpHttpReceiver, OtlpGrpcReceiver], ids=["http-protobuf", "grpc"])
def test_spans_reach_the_collector(receiver_cls):
    receiver = receiver_cls().start()
    try:
        _run_probe(receiver.endpoint, receiver.protocol)
        spans = receiver.store.wait_for(lambda got: any(s.name == "probe-span" for s in got), timeout=5)
    finally:
        receiver.stop()
    probe = [s for s in spans if s.name == "probe-span"]
    assert len(probe) == 1, spans
    assert probe[0].service == "copepod-probe"
    assert len(probe[0].trace_id) == 32 and probe[0].parent_span_id == ""


def test_http_receiver_accepts_gzip_bodies():
    receiver = OtlpHttpReceiver().start()
    try:
        _run_probe(receiver.endpoint, receiver.protocol, OTEL_EXPORTER_OTLP_COMPRESSION="gzip")
        spans = receiver.store.wait_for(lambda got: bool(got), timeout=5)
    finally:
        receiver.stop()
    assert [s.service for s in spans] == ["copepod-probe"]
