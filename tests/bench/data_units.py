"""Data benchmarks through the gateway of a running platform:

- **ingest**: 10,000 small distinct PNG images uploaded as one zip (a job: extract, decode, store,
  insert) and as multipart batches of files (synchronous), images per second from the first byte
  sent to the last unit visible;
- **listing**: a dataset of 1,000,000 units (rows written straight into the projects database, the
  way a bulk import would leave them), walked page by page (100 units a page) with the cursor;
  latency of the first pages against pages around 9,000."""

from __future__ import annotations

import asyncio
import io
import sqlite3
import statistics
import time
import uuid
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import httpx

from tests.support.media import image_bytes

UPLOAD_FIELD = "files"
INGEST_TARGET_PER_S = 500
LISTING_TARGET_P99_MS = 20.0


def _say(message: str) -> None:
    import sys

    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def _images(count: int, *, first_seed: int) -> list[tuple[str, bytes]]:
    return [(f"img_{n:05d}.png", image_bytes(32, 24, seed=first_seed + n)) for n in range(count)]


async def _new_dataset(http: httpx.AsyncClient, title: str) -> str:
    rsp = await http.post("/datasets", json={"title": title, "description": "bench"})
    rsp.raise_for_status()
    return rsp.json()["dataset_hash"]


async def _wait_job(http: httpx.AsyncClient, job_id: int, timeout: float = 900) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = (await http.get(f"/jobs/{job_id}/")).json()
        if job["state"] in ("F", "E", "A"):
            return job
        await asyncio.sleep(0.05)
    raise TimeoutError(f"job {job_id} not done after {timeout} s")


async def ingest(http: httpx.AsyncClient, *, images: int = 10_000, batch: int = 500) -> dict:
    _say(f"ingest: generating {images} distinct PNG images…")
    files = _images(images, first_seed=1_000_000)
    payload = io.BytesIO()
    with zipfile.ZipFile(payload, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in files:
            zf.writestr(name, data)
    archive = payload.getvalue()

    _say(f"ingest: one zip of {len(archive) / 1e6:.1f} MB through a job…")
    dataset = await _new_dataset(http, "bench ingest zip")
    started = time.perf_counter()
    rsp = await http.post(f"/datasets/{dataset}/data", files={UPLOAD_FIELD: ("images.zip", archive,
                                                                              "application/zip")})
    rsp.raise_for_status()
    job = await _wait_job(http, rsp.json()["job_id"])
    zip_seconds = time.perf_counter() - started
    if job["state"] != "F":
        raise RuntimeError(f"ingest job ended in {job['state']}: {job['errors'][:5]}")

    # The same kind of images again, as synchronous multipart requests of `batch` files.
    files = _images(images, first_seed=2_000_000)
    _say(f"ingest: {images} files as multipart requests of {batch}…")
    dataset_b = await _new_dataset(http, "bench ingest multipart")
    started = time.perf_counter()
    for i in range(0, images, batch):
        part = [(UPLOAD_FIELD, (name, data, "image/png")) for name, data in files[i:i + batch]]
        (await http.post(f"/datasets/{dataset_b}/data", files=part)).raise_for_status()
    multipart_seconds = time.perf_counter() - started

    counted = (await http.get(f"/datasets/{dataset}")).json()
    return {
        "images": images, "image": "32x24 RGB PNG of noise, distinct", "zip_mb": round(len(archive) / 1e6, 1),
        "zip_job": {"seconds": round(zip_seconds, 2), "images_per_s": round(images / zip_seconds, 1)},
        "multipart": {"batch": batch, "seconds": round(multipart_seconds, 2),
                      "images_per_s": round(images / multipart_seconds, 1)},
        "dataset_after_zip": {k: counted.get(k) for k in ("unit_count", "title")},
    }


def seed_units(db_path: Path, *, dataset_hash: str, count: int, creator_id: int, batch: int = 100_000) -> float:
    """Write ``count`` image units into a dataset straight into the projects SQLite database (as a
    bulk import leaves them: visible, one image each); returns the seconds it took."""
    import sqlalchemy as sa

    from services.projects.datasets_store import DataUnit

    dialect = sa.create_engine("sqlite://").dialect
    as_stored = DataUnit.__table__.c.created_at.type.bind_processor(dialect)
    now = as_stored(datetime.now(timezone.utc)) if as_stored else datetime.now(timezone.utc).isoformat()
    started = time.perf_counter()
    con = sqlite3.connect(db_path, timeout=60)
    try:
        con.execute("PRAGMA busy_timeout=60000")
        dataset_id = con.execute("SELECT id FROM dataset WHERE dataset_hash = ?", (dataset_hash,)).fetchone()[0]
        blob = "0" * 64
        next_id = (con.execute("SELECT COALESCE(MAX(id), 0) FROM data_unit").fetchone()[0] or 0) + 1
        for start in range(0, count, batch):
            ids = range(next_id + start, next_id + min(count, start + batch))
            con.executemany(
                "INSERT INTO data_unit (id, data_hash, dataset_id, title, data_type, media_type, size_bytes, width,"
                " height, client_metadata, creator_id, created_at) VALUES (?, ?, ?, ?, 'image', 'image/png', 2500,"
                " 32, 24, '{}', ?, ?)",
                ((i, str(uuid.uuid4()), dataset_id, f"unit_{i:08d}.png", creator_id, now) for i in ids))
            con.executemany(
                "INSERT INTO data_image (data_unit_id, rank, blob_key, media_type, orig_file_name, width, height,"
                " size_bytes) VALUES (?, 0, ?, 'image/png', ?, 32, 24, 2500)",
                ((i, blob, f"unit_{i:08d}.png") for i in ids))
            con.commit()
            _say(f"listing: seeded {min(count, start + batch):,} units…")
        con.execute("UPDATE dataset SET unit_count = unit_count + ? WHERE id = ?", (count, dataset_id))
        con.commit()
        # A real import finished long before anyone lists; do not charge its write-ahead log to
        # the first pages.
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    return time.perf_counter() - started


async def listing(http: httpx.AsyncClient, *, data_dir: Path, creator_id: int, units: int = 1_000_000,
                  page_size: int = 100, probe_page: int = 9_000) -> dict:
    dataset = await _new_dataset(http, "bench listing")
    _say(f"listing: writing {units:,} units…")
    seed_seconds = seed_units(data_dir / "projects.db", dataset_hash=dataset, count=units, creator_id=creator_id)
    cold_ms = await cold_request_ms(http, f"/datasets/{dataset}/data", {"page_size": page_size})
    _say(f"listing: walking pages 1 to {probe_page + 100} with the cursor…")
    timings: list[float] = []
    token = None
    for _ in range(probe_page + 100):
        params = {"page_size": page_size}
        if token:
            params["page_token"] = token
        t0 = time.perf_counter()
        rsp = await http.get(f"/datasets/{dataset}/data", params=params)
        timings.append((time.perf_counter() - t0) * 1000)
        rsp.raise_for_status()
        body = rsp.json()
        assert len(body["items"]) == page_size, "a full page"
        token = body["next_page_token"]
    first, around = timings[:100], timings[probe_page - 50:probe_page + 50]
    # Page 1 was read first, right after a million rows were written: walk pages 1-100 once more,
    # with the database as warm as it is around page 9,000.
    again: list[float] = []
    token = None
    for _ in range(100):
        t0 = time.perf_counter()
        rsp = await http.get(f"/datasets/{dataset}/data",
                             params={"page_size": page_size, **({"page_token": token} if token else {})})
        again.append((time.perf_counter() - t0) * 1000)
        token = rsp.json()["next_page_token"]
    return {
        "units": units, "page_size": page_size, "seed_seconds": round(seed_seconds, 1),
        "cold_first_request_ms": round(cold_ms, 2),
        "walked_pages": len(timings),
        "pages_1_to_100": _stats(first),
        "pages_1_to_100_again": _stats(again),
        f"pages_{probe_page - 49}_to_{probe_page + 50}": _stats(around),
        "all_pages": _stats(timings),
        "slowest_pages": [{"page": i + 1, "ms": round(ms, 2)}
                          for i, ms in sorted(enumerate(timings), key=lambda p: -p[1])[:5]],
    }


async def cold_request_ms(http: httpx.AsyncClient, url: str, params: dict) -> float:
    """The first request after a million rows were written reads them from disk into SQLite's
    cache; it is reported on its own, as a server that has been up a while never pays it again."""
    t0 = time.perf_counter()
    (await http.get(url, params=params)).raise_for_status()
    return (time.perf_counter() - t0) * 1000


def _stats(values: list[float]) -> dict:
    return {"p50_ms": round(statistics.median(values), 2), "p99_ms": round(percentile(values, 0.99), 2),
            "max_ms": round(max(values), 2)}


def verdicts(report: dict) -> dict:
    found = {}
    if "ingest" in report:
        rate = report["ingest"]["zip_job"]["images_per_s"]
        found["ingest_images_per_s"] = {"target": f">= {INGEST_TARGET_PER_S}", "value": rate,
                                        "met": rate >= INGEST_TARGET_PER_S}
    if "listing" in report:
        worst = max(v["p99_ms"] for k, v in report["listing"].items() if k.startswith("pages_"))
        found["listing_p99_ms"] = {"target": f"<= {LISTING_TARGET_P99_MS}", "value": worst,
                                   "met": worst <= LISTING_TARGET_P99_MS}
    return found
