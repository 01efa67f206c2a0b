"""``make bench``: start a platform (SQLite), seed projects, measure throughput and latency through
the gateway and directly over gRPC; print one JSON report (also written to var/bench/report.json).
HTTP load comes from wrk when it is on PATH, else from the Python client; gRPC load always comes from
the Python client. Never a CI gate: the figures depend on the machine."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Awaitable, Callable, Iterator

import httpx

from copepod.v1 import ontology_pb2_grpc, projects_pb2_grpc
from services.core.config import Settings
from tests.bench.cpu import CpuMeter
from tests.bench.load import Call, measure
from tests.bench import data_units, ecotaxa, label_rows, taxon_search
from tests.bench.scenarios import BENCH_ONTOLOGY, SCENARIOS, Target, grpc_channel
from tests.bench.wrk import RequestPlan, Wrk, make_wrk
from tests.support.stack import REPO, USER_PASSWORD, Stack

# The end-to-end stack shortens these for quick tests; measure with the shipped defaults.
PRODUCTION_DEFAULTS = {
    f"COPEPOD_{name.upper()}": str(Settings.model_fields[name].default)
    for name in ("auth_cache_seconds", "outbox_poll_seconds", "job_heartbeat_seconds", "job_poll_seconds")
}
TARGETS = {"get_project_min_rps": 1500, "get_project_max_p99_ms": 20.0, "gateway_hop_max_p50_ms": 1.0}
ONE_CLIENT_WARMUP_SECONDS = 1.0

# Runs load for (clients, seconds) and returns a report entry (requests, errors, rps, p50_ms…).
Driver = Callable[[int, float], Awaitable[dict]]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    p.add_argument("--projects", type=int, default=1000, help="projects seeded before measuring")
    p.add_argument("--clients", type=int, default=16, help="concurrent clients")
    p.add_argument("--duration", type=float, default=10.0, help="seconds measured per scenario and path")
    p.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured load first")
    p.add_argument("--search-window", type=int, default=100,
                   help="window_size for GET /projects/search; 0 asks for the full list")
    p.add_argument("--hop-seconds", type=float, default=5.0,
                   help="seconds per path of GET /projects/{id} with one client (unloaded gateway hop); 0 skips")
    p.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma list of " + ", ".join(SCENARIOS))
    p.add_argument("--wrk-threads", type=int, choices=(1, 2), default=2,
                   help="wrk threads (never more than --clients)")
    p.add_argument("--no-wrk", action="store_true", help="load HTTP with the Python client even if wrk is installed")
    p.add_argument("--ingest-images", type=int, default=10_000,
                   help="images uploaded by the ingest benchmark (zip job and multipart); 0 skips it")
    p.add_argument("--listing-units", type=int, default=1_000_000,
                   help="units of the dataset walked by the listing benchmark; 0 skips it")
    p.add_argument("--label-rows", type=int, default=1_000_000,
                   help="label rows of the project walked by the label-row benchmarks (then saves and bundles); "
                        "0 skips them")
    p.add_argument("--import-objects", type=int, default=100_000,
                   help="objects of the generated EcoTaxa archive imported by the import benchmark; 0 skips it")
    p.add_argument("--taxo-stats-objects", type=int, default=1_000_000,
                   help="classified objects of the project read by the taxo_stats benchmark; 0 skips it")
    p.add_argument("--output", type=Path, default=REPO / "var" / "bench" / "report.json")
    return p.parse_args(argv)


async def _seed(http: httpx.AsyncClient, count: int, clients: int) -> tuple[list[int], float]:
    ids: list[int] = []
    numbers = iter(range(count))
    started = time.perf_counter()

    async def worker() -> None:
        for n in numbers:
            rsp = await http.post("/projects/create", json={"title": f"seed {n:05d}", "instrument": "UVP5"})
            rsp.raise_for_status()
            ids.append(rsp.json())

    await asyncio.gather(*(worker() for _ in range(clients)))
    return sorted(ids), time.perf_counter() - started


def _python_driver(call: Call) -> Driver:
    async def drive(clients: int, seconds: float) -> dict:
        return (await measure(call, clients=clients, seconds=seconds, warmup=0)).as_dict()

    return drive


def _wrk_driver(wrk: Wrk, scenario: str, plan: RequestPlan) -> Driver:
    async def drive(clients: int, seconds: float) -> dict:
        return await wrk.run(scenario, plan, connections=clients, seconds=seconds)

    return drive


def _drivers(name: str, target: Target, wrk: Wrk | None, plan: RequestPlan) -> dict[str, Driver]:
    _label, build = SCENARIOS[name]
    drivers = {path: _python_driver(call) for path, call in build(target).items()}
    if wrk is not None:
        drivers["gateway"] = _wrk_driver(wrk, name, plan)
    return drivers


async def _measure_with_cpu(drive: Driver, meter: CpuMeter, *, clients: int, seconds: float, warmup: float) -> dict:
    if warmup > 0:
        await drive(clients, warmup)
    meter.start()
    result = await drive(clients, seconds)
    result["cpu_ms_per_request"] = meter.per_request_ms(result["requests"])
    return result


async def _measure_one_client(drivers: dict[str, Driver], seconds: float) -> dict:
    alone = {}
    for path, drive in drivers.items():
        await drive(1, ONE_CLIENT_WARMUP_SECONDS)
        alone[path] = await drive(1, seconds)
    return {**alone, "gateway_hop_p50_ms": round(alone["gateway"]["p50_ms"] - alone["grpc"]["p50_ms"], 3)}


async def run(args: argparse.Namespace, stack: Stack, wrk: Wrk | None) -> dict:
    email = "bench@example.org"
    user_id = stack.make_user(stack.admin_token, email, name="Bench user")
    token = stack.login(email, USER_PASSWORD)
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=stack.gateway_url, headers={"Authorization": f"Bearer {token}"},
                                 limits=limits, timeout=30) as http:
        _say(f"seeding {args.projects} projects…")
        ids, seed_seconds = await _seed(http, args.projects, args.clients)
        rsp = await http.post("/ontologies", json={"title": "bench ontology", "description": "",
                                                   "structure": BENCH_ONTOLOGY})
        rsp.raise_for_status()
        ontology_hash = rsp.json()["ontology_hash"]
        channel = grpc_channel(stack.endpoints["services"]["projects"])
        ontology_channel = grpc_channel(stack.endpoints["services"]["ontology"])
        search_window = args.search_window or None
        target = Target(http=http, projects=projects_pb2_grpc.ProjectsServiceStub(channel),
                        metadata=(("authorization", f"Bearer {token}"),), project_ids=ids,
                        search_window=search_window,
                        ontology=ontology_pb2_grpc.OntologyServiceStub(ontology_channel), ontology_hash=ontology_hash)
        plan = RequestPlan(token=token, project_ids=ids, search_window=search_window, ontology_hash=ontology_hash)
        meter = CpuMeter({name: info.pid for name, info in stack.processes().items()})
        results: dict = {}
        try:
            for name in [s.strip() for s in args.scenarios.split(",") if s.strip()]:
                drivers = _drivers(name, target, wrk, plan)
                entry: dict = {"request": SCENARIOS[name][0]}
                for path, drive in drivers.items():
                    _say(f"{name} via {path}: {args.warmup:.0f} s warm-up, {args.duration:.0f} s measured…")
                    entry[path] = await _measure_with_cpu(drive, meter, clients=args.clients,
                                                          seconds=args.duration, warmup=args.warmup)
                entry["gateway_hop_p50_ms"] = round(entry["gateway"]["p50_ms"] - entry["grpc"]["p50_ms"], 3)
                if name == "get_project" and args.hop_seconds > 0:
                    _say(f"{name}, one client at a time: {args.hop_seconds:.0f} s per path…")
                    entry["one_client"] = await _measure_one_client(drivers, args.hop_seconds)
                results[name] = entry
        finally:
            await channel.close()
            await ontology_channel.close()
        data: dict = {}
        if args.ingest_images > 0:
            data["ingest"] = await data_units.ingest(http, images=args.ingest_images)
        if args.listing_units > 0:
            probe = min(9_000, max(100, args.listing_units // 100 - 100))
            data["listing"] = await data_units.listing(http, data_dir=stack.data_dir, creator_id=user_id,
                                                       units=args.listing_units, probe_page=probe)
        if args.label_rows > 0:
            data["label_rows"] = await label_rows.run(http, data_dir=stack.data_dir, rows=args.label_rows,
                                                      meter=CpuMeter({n: i.pid for n, i in stack.processes().items()}))
        if args.import_objects > 0:
            data["import"] = await ecotaxa.import_archive(http, work_dir=stack.data_dir.parent,
                                                          pids={n: i.pid for n, i in stack.processes().items()},
                                                          objects=args.import_objects)
        if args.taxo_stats_objects > 0:
            data["taxo_stats"] = await ecotaxa.taxo_stats(http, data_dir=stack.data_dir,
                                                          objects=args.taxo_stats_objects)
    return {"seeded_projects": len(ids), "seed_seconds": round(seed_seconds, 2), "results": results, "data": data}


def _measurements(results: dict) -> Iterator[tuple[str, dict]]:
    for name, entry in results.items():
        for path in ("gateway", "grpc"):
            yield f"{name} via {path}", entry[path]
            if path in entry.get("one_client", {}):
                yield f"{name} via {path}, one client", entry["one_client"][path]


def _wrk_error_detail(m: dict) -> str:
    sockets = ", ".join(f"{kind} {count}" for kind, count in m["socket_errors"].items())
    return f"non-2xx {m['non_2xx']}; socket errors: {sockets}"


def errors_found(results: dict) -> list[str]:
    """One line per measurement that had failed requests; empty when every request succeeded."""
    found = []
    for where, m in _measurements(results):
        if m["errors"]:
            detail = f" ({_wrk_error_detail(m)})" if "non_2xx" in m else ""
            found.append(f"{where}: {m['errors']} errors in {m['requests']} requests{detail}")
    return found


def verdicts(results: dict) -> dict:
    get = results.get("get_project")
    if not get:
        return {}
    # Under saturation the p50 difference is mostly queueing for the CPUs; one client shows the hop.
    if "one_client" in get:
        hop, hop_from = get["one_client"]["gateway_hop_p50_ms"], "one client"
    else:
        hop, hop_from = get["gateway_hop_p50_ms"], "loaded"
    return {
        "get_project_rps": {"target": f">= {TARGETS['get_project_min_rps']}", "value": get["gateway"]["rps"],
                            "met": get["gateway"]["rps"] >= TARGETS["get_project_min_rps"]},
        "get_project_p99_ms": {"target": f"<= {TARGETS['get_project_max_p99_ms']}", "value": get["gateway"]["p99_ms"],
                               "met": get["gateway"]["p99_ms"] <= TARGETS["get_project_max_p99_ms"]},
        "gateway_hop_p50_ms": {"target": f"<= {TARGETS['gateway_hop_max_p50_ms']}", "value": hop,
                               "measured_with": hop_from,
                               "met": hop <= TARGETS["gateway_hop_max_p50_ms"]},
    }


def _load_note(wrk: Wrk | None, loop_name: str) -> str:
    python = f"one Python process, {loop_name}"
    if wrk is None:
        return (f"the load generator ({python}) runs on the same machine as the platform "
                "and competes with it for the CPUs")
    return (f"the load generators (wrk for HTTP; {python}, for gRPC) run on the same machine as the platform "
            "and compete with it for the CPUs")


def _http_setup(wrk: Wrk | None, clients: int) -> str:
    if wrk is None:
        return "httpx.AsyncClient, HTTP/1.1 keep-alive, one connection per client"
    return (f"{wrk.version}, -t{wrk.threads_for(clients)} -c{clients}, HTTP/1.1 keep-alive, requests built by a "
            "generated Lua script; one-client runs use -t1 -c1, so a gateway_hop_p50_ms also holds the "
            "difference between the wrk and grpc.aio clients' own latencies")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import uvloop

        uvloop.install()
        loop_name = "uvloop"
    except ImportError:
        loop_name = "asyncio"
    with tempfile.TemporaryDirectory(prefix="copepod-bench-") as tmp:
        _say("starting the platform (copepod up, SQLite)…")
        stack = Stack(Path(tmp) / "data", settings=PRODUCTION_DEFAULTS).start()
        try:
            wrk = None if args.no_wrk else make_wrk(stack.gateway_url, Path(tmp) / "wrk",
                                                     max_threads=args.wrk_threads)
            _say(f"HTTP load from {wrk.version if wrk else 'httpx'}")
            measured = asyncio.run(run(args, stack, wrk))
        finally:
            stack.stop()
    _say("taxon search on a generated 100,000-taxon tree (in process, the service's own index)…")
    measured["taxon_search"] = taxon_search.main()
    errors = errors_found(measured["results"])
    for line in errors:
        _say(f"ERRORS: {line}")
    report = {
        "benchmark": "copepod projects, ontology, taxonomy, data and label-row APIs",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(),
            "note": _load_note(wrk, loop_name),
        },
        "setup": {
            "database": "sqlite", "settings": PRODUCTION_DEFAULTS, "clients": args.clients, "duration_s": args.duration, "warmup_s": args.warmup,
            "http_client": wrk.version if wrk else "httpx",
            "http": _http_setup(wrk, args.clients),
            "grpc": "grpc.aio, one channel shared by the clients, same token in metadata",
            "search": (f"window_size={args.search_window} of the caller's {args.projects} projects"
                       if args.search_window else f"full list of the caller's {args.projects} projects"),
            "get_project": f"random id among the {args.projects} seeded projects",
        },
        **measured,
        "errors": errors,
        "targets": {**verdicts(measured["results"]), **data_units.verdicts(measured["data"]),
                    **label_rows.verdicts(measured["data"].get("label_rows", {})),
                    **ecotaxa.verdicts(measured["data"])},
    }
    text = json.dumps(report, indent=2)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n")
    print(text, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
