"""EcoTaxa benchmarks through the gateway of a running platform:

- **import**: a generated archive (``copepod demo ecotaxa-archive``: real PNG images, several
  samples, free columns, mixed statuses) uploaded to /my_files/ and imported by a FileImport job;
  objects per second from the import request to the finished job (the upload is timed apart), and
  the peak resident memory of the projects process (which runs the job) during the import;
- **taxo_stats**: ``GET /project_set/taxo_stats`` of a project of 1,000,000 classified objects
  (classification rows and their statistics written straight into the labels database, the way
  imports leave them), p50/p99 over many requests."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx

from services.projects.domain.ecotaxa.demo import write_archive
from tests.bench.cpu import CpuMeter
from tests.bench.data_units import _say, percentile

IMPORT_TARGET_PER_S = 2000
IMPORT_TARGET_PEAK_MB = 400
TAXO_STATS_TARGET_P99_MS = 20.0


def _memory_mb(pid: int) -> dict[str, float]:
    """Resident memory of a process in MB (Linux): VmRSS (all), RssAnon (its own memory),
    RssFile (pages of mapped files, e.g. a memory-mapped archive: page cache, reclaimable)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile"):
            values[key] = round(int(value.split()[0]) / 1024, 1)
    return values


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        out += [int(c) for c in text]
    return out


async def _project(http: httpx.AsyncClient, title: str) -> int:
    rsp = await http.post("/projects/create", json={"title": title, "instrument": "UVP5"})
    rsp.raise_for_status()
    return rsp.json()


async def import_archive(http: httpx.AsyncClient, *, work_dir: Path, pids: dict[str, int],
                         objects: int = 100_000) -> dict:
    archive = work_dir / f"ecotaxa_bench_{objects}.zip"
    _say(f"import: generating an archive of {objects} objects…")
    started = time.perf_counter()
    summary = await asyncio.to_thread(write_archive, archive, objects=objects, seed=11)
    generate_seconds = time.perf_counter() - started
    project_id = await _project(http, "bench import")
    _say(f"import: uploading {archive.stat().st_size / 1e6:.0f} MB to /my_files/…")
    started = time.perf_counter()
    with archive.open("rb") as f:
        rsp = await http.post("/my_files/", files={"file": (archive.name, f, "application/zip")},
                              data={"tag": "bench"}, timeout=600)
    rsp.raise_for_status()
    source = rsp.json()
    upload_seconds = time.perf_counter() - started
    projects_pid = pids["projects"]
    before = _memory_mb(projects_pid)
    meter = CpuMeter(pids)
    meter.start()
    _say("import: running the FileImport job…")
    started = time.perf_counter()
    rsp = await http.post(f"/file_import/{project_id}", json={"source_path": source})
    rsp.raise_for_status()
    peak = {"VmRSS": 0.0, "RssAnon": 0.0, "RssFile": 0.0, "with_workers": 0.0}
    job_id = rsp.json()["job_id"]
    deadline = time.monotonic() + 3600
    while True:
        job = (await http.get(f"/jobs/{job_id}/")).json()
        now = _memory_mb(projects_pid)
        workers = [_memory_mb(c) for c in _children(projects_pid)]
        now["with_workers"] = now["RssAnon"] + sum(w.get("RssAnon", 0) for w in workers)
        peak = {k: max(v, now.get(k, 0)) for k, v in peak.items()}
        if job["state"] in ("F", "E", "A") or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    seconds = time.perf_counter() - started
    cpu_ms = meter.per_request_ms(summary.objects)
    archive_mb = round(archive.stat().st_size / 1e6, 1)
    archive.unlink(missing_ok=True)
    if job["state"] != "F":
        raise RuntimeError(f"import job ended in {job['state']}: {job['errors'][:5]}")
    rate = summary.objects / seconds
    return {
        "objects": summary.objects, "images": summary.images, "samples": summary.samples,
        "archive_mb": archive_mb,
        "generate_s": round(generate_seconds, 2), "upload_s": round(upload_seconds, 2),
        "import_s": round(seconds, 2), "objects_per_s": round(rate, 1),
        "projects_memory_before_mb": before, "projects_peak_memory_mb": peak,
        "cpu_ms_per_object": cpu_ms,
        "project_id": project_id,
    }


def seed_classifications(db_path: Path, *, project_id: int, count: int, taxa: int = 500,
                         batch: int = 100_000) -> float:
    """``count`` classification rows of a project and their taxo stats, written directly."""
    rng = random.Random(5)
    states = ("P", "V", "D", None)
    now = datetime.now(timezone.utc).isoformat(sep=" ")
    stats: dict[int, list[int]] = {}
    started = time.perf_counter()
    con = sqlite3.connect(db_path, timeout=60)
    try:
        base = 10_000_000_000
        for start in range(0, count, batch):
            rows = []
            for objid in range(base + start, base + min(count, start + batch)):
                qual = states[rng.randrange(4)]
                taxon = rng.randrange(1, taxa + 1) if qual else None
                rows.append((objid, project_id, taxon, qual, 1 if qual in ("V", "D") else None,
                             now if qual else None))
                st = stats.setdefault(taxon or -1, [0, 0, 0, 0])
                st[0] += 1
                if qual:
                    st[{"V": 1, "D": 2, "P": 3}[qual]] += 1
            con.executemany("INSERT INTO object_classif (objid, project_id, classif_id, classif_qual, classif_who, "
                            "classif_date) VALUES (?, ?, ?, ?, ?, ?)", rows)
        con.executemany("INSERT INTO taxo_stat (project_id, classif_id, nbr, nbr_v, nbr_d, nbr_p) "
                        "VALUES (?, ?, ?, ?, ?, ?)", [(project_id, t, *v) for t, v in stats.items()])
        con.commit()
    finally:
        con.close()
    return time.perf_counter() - started


async def taxo_stats(http: httpx.AsyncClient, *, data_dir: Path, objects: int = 1_000_000,
                     requests: int = 2000) -> dict:
    project_id = await _project(http, "bench taxo stats")
    _say(f"taxo_stats: writing {objects} classifications…")
    seed_seconds = seed_classifications(data_dir / "labels.db", project_id=project_id, count=objects)
    result = {"objects": objects, "seed_s": round(seed_seconds, 2)}
    for taxa_ids in ("", "all"):
        latencies = []
        for _ in range(requests):
            started = time.perf_counter()
            rsp = await http.get("/project_set/taxo_stats", params={"ids": str(project_id), "taxa_ids": taxa_ids})
            latencies.append((time.perf_counter() - started) * 1000)
            rsp.raise_for_status()
        body = rsp.json()
        total = sum(s["nb_validated"] + s["nb_dubious"] + s["nb_predicted"] + s["nb_unclassified"] for s in body)
        if total != objects:
            raise RuntimeError(f"taxo_stats counted {total} objects, {objects} were written")
        result["per_project" if not taxa_ids else "per_taxon"] = {
            "requests": requests, "records": len(body), "p50_ms": round(percentile(latencies, 0.5), 2),
            "p99_ms": round(percentile(latencies, 0.99), 2), "max_ms": round(max(latencies), 2)}
    return result


def verdicts(data: dict) -> dict:
    out = {}
    imp = data.get("import")
    if imp:
        out["ecotaxa_import_objects_per_s"] = {"target": f">= {IMPORT_TARGET_PER_S}", "value": imp["objects_per_s"],
                                               "met": imp["objects_per_s"] >= IMPORT_TARGET_PER_S}
        # The importing process's own memory, its image workers included; mapped archive pages are
        # page cache (reported as RssFile) and are left out.
        peak = imp["projects_peak_memory_mb"]["with_workers"]
        out["ecotaxa_import_peak_memory_mb"] = {"target": f"< {IMPORT_TARGET_PEAK_MB}", "value": peak,
                                                "met": peak < IMPORT_TARGET_PEAK_MB}
    stats = data.get("taxo_stats")
    if stats:
        worst = max(stats["per_project"]["p99_ms"], stats["per_taxon"]["p99_ms"])
        out["taxo_stats_p99_ms"] = {"target": f"<= {TAXO_STATS_TARGET_P99_MS}", "value": worst,
                                    "met": worst <= TAXO_STATS_TARGET_P99_MS}
    return out
