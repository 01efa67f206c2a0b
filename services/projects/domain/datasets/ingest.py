"""Uploads: spool each file (small ones in memory), probe every one, and only when all passed store
their blobs and insert their units in one transaction. Decoding and storing run in worker threads,
many files per thread call. Blobs this request created are removed again when the
transaction fails and nothing else points to them (content-addressed blobs are shared)."""

from __future__ import annotations

import asyncio
import json
import shutil
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from services.core.blobs import BlobStore
from services.core.errors import InvalidArgument, PayloadTooLarge
from services.core.media import MediaInfo, Source, Thumbnail, make_thumbnail, probe_file
from services.projects import datasets_events as ds_events
from services.projects import datasets_store as ds
from services.projects.datasets_store import DataImage, Dataset, DataUnit
from services.projects.domain.datasets.ports import DatasetDeps, Limits

MAX_FILES = 10_000
MAX_METADATA = 64 * 1024
MAX_FILE_NAME = 1024
SMALL_FILE = 4 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


def parse_metadata(text: str, *, what: str = "client_metadata") -> dict:
    if not text:
        return {}
    if len(text) > MAX_METADATA:
        raise InvalidArgument(f"{what}: at most {MAX_METADATA} bytes")
    try:
        value = json.loads(text)
    except ValueError:
        raise InvalidArgument(f"{what}: not valid JSON") from None
    if not isinstance(value, dict):
        raise InvalidArgument(f"{what}: must be a JSON object")
    return value


@dataclass
class SpooledFile:
    """One uploaded file: kept in memory while small, written to the spool directory once it
    grows past ``SMALL_FILE`` (so ten thousand thumbnails-sized images cost no file system work)."""

    file_name: str
    title: str
    client_metadata: dict
    size: int = 0
    data: bytearray | None = field(default_factory=bytearray)
    path: Path | None = None

    def source(self) -> Source:
        return self.path if self.data is None else bytes(self.data)

    def head(self, n: int) -> bytes:
        if self.data is not None:
            return bytes(self.data[:n])
        with open(self.path, "rb") as f:
            return f.read(n)


@dataclass
class Spool:
    """The files of one request; large ones under ``<data dir>/spool/<random>/``, which
    ``close`` removes."""

    limits: Limits
    files: list[SpooledFile] = field(default_factory=list)
    total: int = 0
    _dir: Path | None = None
    _handle: object = None

    def start(self, *, file_name: str, title: str = "", client_metadata: dict | None = None) -> None:
        self.end_file()
        name = Path(file_name.replace("\\", "/")).name
        if not name or len(name) > MAX_FILE_NAME:
            raise InvalidArgument("file_name: 1 to 1024 characters")
        if len(self.files) >= MAX_FILES:
            raise InvalidArgument(f"at most {MAX_FILES} files per upload")
        self.files.append(SpooledFile(file_name=name, title=title or name, client_metadata=client_metadata or {}))

    def write(self, data: bytes) -> None:
        if not self.files or (self.files[-1].data is None and self._handle is None):
            raise InvalidArgument("file data before its header")
        current = self.files[-1]
        current.size += len(data)
        self.total += len(data)
        if current.size > self.limits.max_upload_bytes or self.total > self.limits.max_upload_bytes:
            raise PayloadTooLarge(f"{current.file_name}: upload larger than {self.limits.max_upload_bytes} bytes")
        if current.data is not None and current.size <= SMALL_FILE:
            current.data += data
            return
        if current.data is not None:
            self._spill(current)
        self._handle.write(data)

    def _spill(self, spooled: SpooledFile) -> None:
        """Move a growing file from memory to disk; later chunks append to the open file."""
        if self._dir is None:
            self._dir = self.limits.spool_dir / uuid.uuid4().hex
            self._dir.mkdir(parents=True, exist_ok=True)
        spooled.path = self._dir / uuid.uuid4().hex
        self._handle = open(spooled.path, "wb")
        self._handle.write(spooled.data)
        spooled.data = None

    def on_disk(self, spooled: SpooledFile) -> Path:
        """The file's path, writing it out first when it is still in memory."""
        if spooled.data is not None:
            self._spill(spooled)
        self.end_file()
        return spooled.path

    def end_file(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def close(self) -> None:
        self.end_file()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)


def is_zip(spooled: SpooledFile) -> bool:
    return spooled.file_name.lower().endswith(".zip") or spooled.head(4) == ZIP_MAGIC


WORKERS = 4       # thread calls at once
FILES_PER_CALL = 25  # files handled per thread call: one hop for many small files


def prepare(source: Source, *, file_name: str, limits: Limits):
    """Probe a file and, when it is larger than a thumbnail, make one. Blocking."""
    info = probe_file(source, file_name=file_name, max_pixels=limits.max_image_pixels)
    thumb = None
    if info.kind == "image" and max(info.width, info.height) > limits.thumbnail_size:
        thumb = make_thumbnail(source, max_size=limits.thumbnail_size)
    return info, thumb


async def bounded(items: Sequence, work, *, workers: int = WORKERS) -> list:
    """``work(item)`` for each item, ``workers`` at a time, results in order; the first error wins
    once the running ones have ended."""
    gate = asyncio.Semaphore(workers)

    async def one(item):
        async with gate:
            return await work(item)

    tasks = [asyncio.ensure_future(one(i)) for i in items]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def in_threads(items: Sequence, work, *, run=None, workers: int = WORKERS) -> list:
    """Blocking ``work(item)`` for each item in worker threads, ``FILES_PER_CALL`` items per
    thread call; results in order. ``run(fn, chunk)`` overrides how a chunk reaches a thread: it
    may pass extra arguments, ``fn(chunk, *extra)``, which reach ``work(item, *extra)``."""
    chunks = [items[i:i + FILES_PER_CALL] for i in range(0, len(items), FILES_PER_CALL)]

    def many(chunk, *extra):
        return [work(item, *extra) for item in chunk]

    hop = run or (lambda fn, chunk: asyncio.to_thread(fn, chunk))
    return [r for part in await bounded(chunks, lambda c: hop(many, c), workers=workers) for r in part]


@dataclass
class Stored:
    """A probed file whose blobs are stored, ready to become rows."""

    spooled: SpooledFile
    info: MediaInfo
    key: str
    size: int
    thumb: Thumbnail | None = None
    thumb_key: str | None = None


def store_prepared(*, blobs: BlobStore, spooled: SpooledFile, info: MediaInfo, thumb: Thumbnail | None,
                   created: list[str]) -> Stored:
    """Put the file (and its thumbnail); keys of blobs new to the store go to ``created``. Blocking."""
    blob = blobs.store_file(spooled.path) if spooled.data is None else blobs.store_bytes(bytes(spooled.data))
    if blob.created:
        created.append(blob.key)
    stored = Stored(spooled=spooled, info=info, key=blob.key, size=blob.size)
    if thumb is not None:
        tblob = blobs.store_bytes(thumb.data)
        if tblob.created:
            created.append(tblob.key)
        stored.thumb, stored.thumb_key = thumb, tblob.key
    return stored


def _image(stored: Stored, rank: int) -> DataImage:
    info, thumb = stored.info, stored.thumb
    return DataImage(data_unit_id=0, rank=rank, blob_key=stored.key, media_type=info.media_type,
                     orig_file_name=stored.spooled.file_name, width=info.width, height=info.height,
                     size_bytes=stored.size, thumb_key=stored.thumb_key,
                     thumb_width=thumb.width if thumb else None, thumb_height=thumb.height if thumb else None)


def unit_of(*, dataset: Dataset, stored: Stored, creator_id: int, staging_job_id: int | None = None
            ) -> tuple[DataUnit, list[DataImage]]:
    info = stored.info
    unit = DataUnit(dataset_id=dataset.id, title=stored.spooled.title[:1024], data_type=info.kind,
                    media_type=info.media_type, size_bytes=stored.size, width=info.width, height=info.height,
                    client_metadata=stored.spooled.client_metadata, creator_id=creator_id,
                    staging_job_id=staging_job_id)
    if info.kind == "video":
        unit.blob_key, unit.frames, unit.fps, unit.duration = stored.key, info.frames, info.fps, info.duration
        return unit, []
    return unit, [_image(stored, 0)]


def group_of(*, dataset: Dataset, stored: Sequence[Stored], title: str, client_metadata: dict,
             creator_id: int) -> tuple[DataUnit, list[DataImage]]:
    first = stored[0].info
    unit = DataUnit(dataset_id=dataset.id, title=(title or stored[0].spooled.file_name)[:1024], data_type="img_group",
                    media_type=first.media_type, size_bytes=sum(s.size for s in stored), width=first.width,
                    height=first.height, client_metadata=client_metadata, creator_id=creator_id)
    return unit, [_image(s, rank) for rank, s in enumerate(stored)]


async def discard_blobs(*, deps: DatasetDeps, keys: Iterable[str]) -> None:
    """Delete the blobs no row points to (after a failed or undone write)."""
    keys = set(keys)
    if not keys:
        return
    async with deps.db.session() as s:
        kept = await ds.referenced_keys(s, keys=keys)
    for key in keys - kept:
        await deps.blobs.delete(key)


async def ingest_files(*, deps: DatasetDeps, dataset: Dataset, files: Sequence[SpooledFile], creator_id: int,
                       group: bool = False, group_title: str = "", group_metadata: dict | None = None
                       ) -> list[DataUnit]:
    """Probe all, then store all, then one transaction; nothing is kept when any step fails."""
    if not files:
        raise InvalidArgument("no file in the upload")
    prepared = await in_threads(files, lambda f: prepare(f.source(), file_name=f.file_name, limits=deps.limits))
    if group and any(info.kind != "image" for info, _ in prepared):
        raise InvalidArgument("group: an image group holds images only")
    created: list[str] = []
    try:
        stored = await in_threads(list(zip(files, prepared)), lambda fp: store_prepared(
            blobs=deps.blobs, spooled=fp[0], info=fp[1][0], thumb=fp[1][1], created=created))
        if group:
            units = [group_of(dataset=dataset, stored=stored, title=group_title, client_metadata=group_metadata or {},
                              creator_id=creator_id)]
        else:
            units = [unit_of(dataset=dataset, stored=s, creator_id=creator_id) for s in stored]
        async with deps.db.transaction() as s:
            await ds.insert_units(s, units=units)
            await ds.add_unit_count(s, dataset_id=dataset.id, delta=len(units))
            projects = await ds.attached_project_ids(s, dataset_id=dataset.id)
            deps.events.units(s, ds_events.UNITS_CREATED, dataset=dataset, data_hashes=[u.data_hash for u, _ in units],
                              project_ids=projects, actor_id=creator_id)
    except BaseException:
        await asyncio.shield(discard_blobs(deps=deps, keys=created))
        raise
    return [u for u, _ in units]

