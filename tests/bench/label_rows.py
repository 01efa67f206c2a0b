"""Label-row benchmarks through the gateway of a running platform:

- **listing**: a project of 1,000,000 label rows (written straight into the labels database, the
  way the SyncDataset job leaves them after a large attachment), statuses spread evenly over four
  values; the status-filtered listing walked from its first page to its last (100 rows a page),
  and the unfiltered listing's first and last 100 pages;
- **save**: rows of 50 bounding boxes saved again and again by 16 concurrent clients (each on its
  own row, naming the version it read), latency per save;
- **batch**: bundles of 1,000 creates and of 1,000 saves (5 boxes a row), sent by one client and
  by two at once, rows per second."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import uuid
from pathlib import Path

import httpx

from services.core import paging
from tests.bench.cpu import CpuMeter
from tests.bench.data_units import _say, _stats, cold_request_ms

LISTING_TARGET_P99_MS = 20.0
SAVE_TARGET_P99_MS = 30.0
BATCH_TARGET_ROWS_PER_S = 2_000
STATUSES = ("NOT_LABELLED", "LABEL_IN_PROGRESS", "LABELLED", "REVIEWED")
ONTOLOGY = {"objects": [{"name": "Box", "shape": "bounding_box"}], "classifications": []}


async def _project(http: httpx.AsyncClient, title: str) -> tuple[int, str]:
    rsp = await http.post("/projects/create", json={"title": title})
    rsp.raise_for_status()
    project_id = rsp.json()
    rsp = await http.post("/ontologies", json={"title": f"{title} ontology", "structure": ONTOLOGY})
    rsp.raise_for_status()
    ontology = rsp.json()
    (await http.put(f"/projects/{project_id}/ontology", json={"ontology_hash": ontology["ontology_hash"]})
     ).raise_for_status()
    return project_id, ontology["structure"]["objects"][0]["featureNodeHash"]


def seed_rows(db_path: Path, *, project_id: int, count: int, batch: int = 100_000) -> tuple[float, list[str]]:
    """``count`` main-branch rows of image units into the labels SQLite database; returns the
    seconds it took and the first 20,000 data hashes (for the save benchmarks)."""
    started = time.perf_counter()
    dataset_hash = str(uuid.uuid4())
    kept: list[str] = []
    con = sqlite3.connect(db_path, timeout=60)
    try:
        con.execute("PRAGMA busy_timeout=60000")
        for start in range(0, count, batch):
            rows = []
            for n in range(start, min(count, start + batch)):
                data_hash = str(uuid.uuid4())
                if len(kept) < 20_000:
                    kept.append(data_hash)
                units = json.dumps([{"hash": data_hash, "title": f"unit_{n:08d}.png", "mime": "image/png",
                                     "sequence": 0, "width": 640, "height": 480, "frames": 1, "fps": None,
                                     "duration": None}])
                rows.append((project_id, data_hash, "main", dataset_hash, "bench", f"unit_{n:08d}.png", "image",
                             units, "{}", STATUSES[n % len(STATUSES)], "QUEUED", 0, 0))
            con.executemany(
                "INSERT INTO label_row (project_id, data_hash, branch_name, dataset_hash, dataset_title, data_title,"
                " data_type, units, client_metadata, label_status, annotation_task_status, is_shadow_data, version)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            con.commit()
            _say(f"label rows: seeded {min(count, start + batch):,} rows…")
        con.execute("ANALYZE")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    return time.perf_counter() - started, kept


async def _walk(http: httpx.AsyncClient, url: str, params: dict, *, pages: int | None = None,
                token: str | None = None) -> tuple[list[float], int]:
    """Latency of each page from ``token`` on, until the end or ``pages`` pages; and the rows read."""
    timings: list[float] = []
    rows = 0
    while pages is None or len(timings) < pages:
        t0 = time.perf_counter()
        rsp = await http.get(url, params={**params, **({"page_token": token} if token else {})})
        timings.append((time.perf_counter() - t0) * 1000)
        rsp.raise_for_status()
        body = rsp.json()
        rows += len(body["results"])
        token = body["next_page_token"]
        if not token:
            break
    return timings, rows


async def listing(http: httpx.AsyncClient, *, data_dir: Path, rows: int = 1_000_000) -> tuple[dict, int, str, list]:
    project_id, feature = await _project(http, "bench label rows")
    _say(f"label rows: writing {rows:,} rows…")
    seed_seconds, hashes = seed_rows(data_dir / "labels.db", project_id=project_id, count=rows)
    url = f"/projects/{project_id}/label_rows"
    status = STATUSES[2]
    cold_ms = await cold_request_ms(http, url, {"page_size": 100, "label_statuses": status})
    _say(f"label rows: walking every page of label_statuses={status}…")
    filtered, read = await _walk(http, url, {"page_size": 100, "label_statuses": status})
    if read != rows // len(STATUSES):
        raise RuntimeError(f"the filtered walk read {read} rows, not {rows // len(STATUSES)}")
    _say("label rows: first and last 100 pages of the unfiltered listing…")
    first, _ = await _walk(http, url, {"page_size": 100}, pages=100)
    with sqlite3.connect(data_dir / "labels.db") as con:
        last_id = con.execute("SELECT MAX(id) FROM label_row WHERE project_id = ?", (project_id,)).fetchone()[0]
    last, _ = await _walk(http, url, {"page_size": 100}, token=paging.encode(last_id - 100 * 100))
    report = {
        "rows": rows, "page_size": 100, "seed_seconds": round(seed_seconds, 1),
        "cold_first_request_ms": round(cold_ms, 2),
        "filtered": {"label_statuses": status, "pages": len(filtered), "first_100_pages": _stats(filtered[:100]),
                     "last_100_pages": _stats(filtered[-100:]), "all_pages": _stats(filtered)},
        "unfiltered": {"first_100_pages": _stats(first), "last_100_pages": _stats(last)},
    }
    return report, project_id, feature, hashes


def _boxes(feature: str, count: int, shift: float) -> list[dict]:
    return [{"name": "Box", "color": "#D33115", "shape": "bounding_box", "value": "box",
             "createdAt": "Thu, 09 Feb 2023 14:12:03 UTC", "createdBy": "bench@example.org", "confidence": 1.0,
             "objectHash": f"{n:08x}", "featureHash": feature, "manualAnnotation": True,
             "boundingBox": {"x": (n % 10) / 20 + shift, "y": (n // 10) / 20, "w": 0.04, "h": 0.04}}
            for n in range(count)]


def _with_boxes(row: dict, feature: str, count: int, shift: float) -> dict:
    (unit,) = row["data_units"].values()
    unit["labels"]["objects"] = _boxes(feature, count, shift)
    row["object_answers"] = {o["objectHash"]: {"objectHash": o["objectHash"], "classifications": []}
                             for o in unit["labels"]["objects"]}
    return row


async def _create(http: httpx.AsyncClient, project_id: int, hashes: list[str]) -> list[dict]:
    out = []
    for start in range(0, len(hashes), 1000):
        rsp = await http.post(f"/projects/{project_id}/label_rows/batch", json={"operations": [
            {"op": "create", "data_hash": h} for h in hashes[start:start + 1000]]}, timeout=300)
        rsp.raise_for_status()
        out += [r["body"] for r in rsp.json()["results"]]
    return out


async def saves(http: httpx.AsyncClient, *, project_id: int, feature: str, hashes: list[str], clients: int = 16,
                seconds: float = 10.0, objects: int = 50, meter: CpuMeter | None = None) -> dict:
    rows = await _create(http, project_id, hashes[:clients])
    timings: list[float] = []
    conflicts = 0
    stop = time.monotonic() + seconds

    async def client(row: dict) -> None:
        nonlocal conflicts
        version, n = row["version"], 0
        while time.monotonic() < stop:
            n += 1
            body = _with_boxes(row, feature, objects, shift=(n % 2) * 0.01)
            body["version"] = version
            t0 = time.perf_counter()
            rsp = await http.put(f"/projects/{project_id}/label_rows/{row['label_hash']}", json=body)
            timings.append((time.perf_counter() - t0) * 1000)
            if rsp.status_code == 409:
                conflicts += 1
                version = rsp.json()["detail"]["current_version"]
                continue
            rsp.raise_for_status()
            version = rsp.json()["version"]

    _say(f"label rows: {clients} clients saving rows of {objects} boxes for {seconds:.0f} s…")
    if meter is not None:
        meter.start()
    await asyncio.gather(*(client(r) for r in rows))
    report = {"clients": clients, "objects_per_row": objects, "saves": len(timings), "conflicts": conflicts,
              "saves_per_s": round(len(timings) / seconds, 1), **_stats(timings)}
    if meter is not None:
        report["cpu_ms_per_save"] = meter.per_request_ms(len(timings))
    return report


async def batches(http: httpx.AsyncClient, *, project_id: int, feature: str, hashes: list[str],
                  rows: int = 10_000, objects: int = 5, clients: int = 2) -> dict:
    """Bundles of 1,000 creates, then of 1,000 saves, sent by ``clients`` clients at once (one
    client's figures too), rows per second from the first bundle sent to the last answered."""
    wanted = hashes[100:100 + rows]
    report: dict = {"rows": len(wanted), "objects_per_row": objects, "bundle": 1000}
    half = len(wanted) // 2
    for label, part, senders in (("one_client", wanted[:half], 1), (f"{clients}_clients", wanted[half:], clients)):
        _say(f"label rows: {len(part):,} rows created, then saved, in bundles of 1,000 by {senders} client(s)…")
        bundles = [part[i:i + 1000] for i in range(0, len(part), 1000)]
        started = time.perf_counter()
        created = [r for chunk in await _in_parallel(bundles, senders, lambda b: _create(http, project_id, b))
                   for r in chunk]
        create_seconds = time.perf_counter() - started
        bodies = [_with_boxes(r, feature, objects, shift=0.0) for r in created]

        async def save(chunk: list[dict]) -> None:
            rsp = await http.post(f"/projects/{project_id}/label_rows/batch", json={"operations": [
                {"op": "save", "label_hash": b["label_hash"], "version": b["version"], "label_row": b}
                for b in chunk]}, timeout=300)
            rsp.raise_for_status()
            statuses = {r["status"] for r in rsp.json()["results"]}
            if statuses != {200}:
                raise RuntimeError(f"batch save answered {statuses}")

        started = time.perf_counter()
        await _in_parallel([bodies[i:i + 1000] for i in range(0, len(bodies), 1000)], senders, save)
        save_seconds = time.perf_counter() - started
        report[label] = {
            "rows": len(part),
            "create": {"seconds": round(create_seconds, 2), "rows_per_s": round(len(part) / create_seconds, 1)},
            "save": {"seconds": round(save_seconds, 2), "rows_per_s": round(len(part) / save_seconds, 1)}}
    return report


async def _in_parallel(items: list, clients: int, work) -> list:
    """``work(item)`` for every item, ``clients`` at a time; the answers in order."""
    answers: list = [None] * len(items)
    queue = iter(range(len(items)))

    async def client() -> None:
        for i in queue:
            answers[i] = await work(items[i])

    await asyncio.gather(*(client() for _ in range(clients)))
    return answers


async def run(http: httpx.AsyncClient, *, data_dir: Path, rows: int = 1_000_000, meter: CpuMeter | None = None) -> dict:
    report, project_id, feature, hashes = await listing(http, data_dir=data_dir, rows=rows)
    report = {"listing": report}
    report["save"] = await saves(http, project_id=project_id, feature=feature, hashes=hashes, meter=meter)
    report["batch"] = await batches(http, project_id=project_id, feature=feature,
                                    hashes=hashes, rows=min(10_000, len(hashes) - 100))
    return report


def verdicts(report: dict) -> dict:
    found = {}
    if "listing" in report:
        pages = report["listing"]
        worst = max(pages["filtered"]["first_100_pages"]["p99_ms"], pages["filtered"]["last_100_pages"]["p99_ms"],
                    pages["unfiltered"]["first_100_pages"]["p99_ms"], pages["unfiltered"]["last_100_pages"]["p99_ms"])
        found["label_rows_listing_p99_ms"] = {"target": f"<= {LISTING_TARGET_P99_MS}", "value": worst,
                                              "met": worst <= LISTING_TARGET_P99_MS}
    if "save" in report:
        p99 = report["save"]["p99_ms"]
        found["label_row_save_p99_ms"] = {"target": f"<= {SAVE_TARGET_P99_MS}", "value": p99,
                                          "met": p99 <= SAVE_TARGET_P99_MS}
    if "batch" in report:
        rate = max(v["save"]["rows_per_s"] for k, v in report["batch"].items() if k.endswith(("client", "clients")))
        found["batch_save_rows_per_s"] = {"target": f">= {BATCH_TARGET_ROWS_PER_S}", "value": rate,
                                          "met": rate >= BATCH_TARGET_ROWS_PER_S}
    return found

