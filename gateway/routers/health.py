"""``GET /healthz``: 200 only when every service answers SERVING."""

from __future__ import annotations

import asyncio

import grpc
from fastapi import APIRouter
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gateway.deps import Services
from gateway.responses import JSONResponse
from services.core.config import SERVICE_NAMES

router = APIRouter(tags=["health"])


async def _check(channel: grpc.aio.Channel) -> str:
    try:
        rsp = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=1.0)
    except grpc.aio.AioRpcError as exc:
        return "UNREACHABLE" if exc.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED) \
            else exc.code().name
    return health_pb2.HealthCheckResponse.ServingStatus.Name(rsp.status)


@router.get("/healthz", summary="Platform health")
async def healthz(svc: Services) -> JSONResponse:
    states = await asyncio.gather(*(_check(svc.channel(name)) for name in SERVICE_NAMES))
    services = dict(zip(SERVICE_NAMES, states))
    ok = all(state == "SERVING" for state in states)
    return JSONResponse({"status": "ok" if ok else "degraded", "services": services}, status_code=200 if ok else 503)
