"""The CPU-heavy parts of an import, in worker processes: surveying TSV files (one file per call)
and decoding, hashing and storing images (a batch per call). One Python process cannot spread
that work over several cores, and it would starve the job's own event loop of the interpreter
lock. Workers read members straight from the archive's memory map (or files of a folder), given
where they are (``Member``), and answer small records.

Images are fully decoded (PNG, JPEG or GIF within the size limits); blobs a failed batch created
are reported back (``Batch.created``) so the caller removes them."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")
MAX_SIDE = 20_000
MAX_IMAGE_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Member:
    """Where an image is: a zip member's location in the archive, or a file of a folder."""

    number: int           # the TSV line it comes from
    name: str             # as the line names it
    path: str = ""        # a folder's file
    offset: int = -1      # a zip member: local header offset, compression, sizes and checksum
    compress_type: int = 0
    compress_size: int = 0
    size: int = 0
    crc: int = 0


@dataclass(frozen=True)
class Stored:
    number: int
    key: str
    size: int
    media_type: str
    width: int
    height: int
    thumb_key: str | None = None
    thumb_width: int | None = None
    thumb_height: int | None = None


@dataclass
class Batch:
    stored: list[Stored] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    error: str | None = None       # the first problem, naming the line's image
    error_line: int | None = None


@dataclass(frozen=True)
class Settings:
    archive: str            # the zip ("" for a folder)
    blob_url: str
    max_pixels: int
    thumbnail_size: int


_state: dict = {}


def _init(settings: Settings) -> None:
    from services.core.archives import MappedArchive
    from services.core.blobs import open_blob_store

    _state["settings"] = settings
    _state["blobs"] = open_blob_store(settings.blob_url)
    _state["archive"] = MappedArchive(Path(settings.archive)) if settings.archive else None


def _open(m: Member):
    if _state["archive"] is None:
        return open(m.path, "rb")
    return _state["archive"].open_at(offset=m.offset, compress_type=m.compress_type, compress_size=m.compress_size,
                                     size=m.size, crc=m.crc, name=m.name)


def survey_file(m: Member, taxo_mappings: dict, need_images: bool):
    """Runs in a worker: one TSV file's survey (bundle.survey_file)."""
    from services.projects.domain.ecotaxa.bundle import survey_file as survey

    return survey(lambda: _open(m), m.name, taxo_mappings=taxo_mappings, need_images=need_images)


def _read(m: Member) -> bytes:
    if m.size > MAX_IMAGE_BYTES:
        raise ValueError(f"is larger than {MAX_IMAGE_BYTES // 2**20} MB")
    if _state["archive"] is None:
        return Path(m.path).read_bytes()
    return _state["archive"].read_at(offset=m.offset, compress_type=m.compress_type,
                                     compress_size=m.compress_size, size=m.size, crc=m.crc, name=m.name)


def store_batch(members: list[Member]) -> Batch:
    """Runs in a worker: check and store each image; stops at the first bad one."""
    from services.core.errors import DomainError
    from services.core.media import make_thumbnail, probe_file

    settings: Settings = _state["settings"]
    blobs = _state["blobs"]
    out = Batch()
    for m in members:
        try:
            data = _read(m)
            info = probe_file(data, file_name=m.name, max_pixels=settings.max_pixels)
            if info.media_type not in IMAGE_TYPES:
                raise ValueError("is not a PNG, JPEG or GIF image")
            if max(info.width, info.height) > MAX_SIDE:
                raise ValueError(f"is larger than {MAX_SIDE} pixels")
            thumb = None
            if max(info.width, info.height) > settings.thumbnail_size:
                thumb = make_thumbnail(data, max_size=settings.thumbnail_size)
            blob = blobs.store_bytes(data)
            if blob.created:
                out.created.append(blob.key)
            thumb_key = None
            if thumb is not None:
                tblob = blobs.store_bytes(thumb.data)
                thumb_key = tblob.key
                if tblob.created:
                    out.created.append(tblob.key)
            out.stored.append(Stored(number=m.number, key=blob.key, size=blob.size, media_type=info.media_type,
                                     width=info.width, height=info.height, thumb_key=thumb_key,
                                     thumb_width=thumb.width if thumb else None,
                                     thumb_height=thumb.height if thumb else None))
        except (DomainError, ValueError, OSError) as exc:
            text = exc.message if isinstance(exc, DomainError) else str(exc)
            prefix = f"{m.name}: "
            out.error = f"Image '{m.name[:200]}' " + (text[len(prefix):] if text.startswith(prefix) else text)
            out.error_line = m.number
            return out
    return out


def pool(settings: Settings, workers: int | None = None) -> concurrent.futures.ProcessPoolExecutor:
    """Worker processes started fresh (spawn: the service's threads and sockets are not copied)."""
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers or max(1, os.cpu_count() or 1), mp_context=multiprocessing.get_context("spawn"),
        initializer=_init, initargs=(settings,))
