"""Blob stores: where media and files live, content-addressed by SHA-256.

A store is chosen by URL (``COPEPOD_BLOB_URL``): the scheme names a plugin of the
``copepod.blob_stores`` entry-point group (``file`` is built in). Stores take and give streams,
never local paths, so an object store can stand in for the file system without callers changing.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class BlobInfo:
    key: str       # lower-case hex SHA-256 of the content
    size: int      # bytes
    created: bool  # False when identical content was already stored


class BlobNotFound(LookupError):
    pass


class BlobTooLarge(ValueError):
    """The stream went past the limit given to ``put``; nothing was stored."""


class BlobStore(Protocol):
    async def put(self, chunks: AsyncIterable[bytes], *, max_bytes: int | None = None) -> BlobInfo:
        """Store a stream atomically (readers never see a partial blob); identical content is
        stored once."""
        ...

    async def put_bytes(self, data: bytes) -> BlobInfo: ...

    def store_bytes(self, data: bytes) -> BlobInfo:
        """``put_bytes`` for callers already in a worker thread (blocking): bulk ingestion does
        its decoding and storing in one thread hop per file."""
        ...

    def store_file(self, path) -> BlobInfo:
        """Store a local file's content; blocking, for worker threads (large spooled uploads)."""
        ...

    async def stat(self, key: str) -> int:
        """The blob's size; raises ``BlobNotFound``."""
        ...

    async def exists(self, key: str) -> bool: ...

    def read(self, key: str, *, offset: int = 0, length: int | None = None,
             chunk_size: int = 256 * 1024) -> AsyncIterator[bytes]:
        """Stream a byte range; raises ``BlobNotFound`` on first iteration."""
        ...

    async def read_bytes(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None:
        """Remove a blob; no error when it is already gone."""
        ...


_STORES: dict[str, BlobStore] = {}


def open_blob_store(url: str) -> BlobStore:
    """The store for ``url``, one instance per URL in a process; the scheme names the plugin."""
    store = _STORES.get(url)
    if store is None:
        from importlib.metadata import entry_points
        from urllib.parse import urlsplit

        scheme = urlsplit(url).scheme
        found = [ep for ep in entry_points(group="copepod.blob_stores") if ep.name == scheme]
        if not found:
            known = sorted(ep.name for ep in entry_points(group="copepod.blob_stores"))
            raise ValueError(f"no blob store for {url!r}: the scheme must be one of {', '.join(known)}")
        store = _STORES[url] = found[0].load().from_url(url)
    return store


def is_key(key: str) -> bool:
    """A well-formed key: 64 lower-case hex digits (anything else names no blob)."""
    return len(key) == 64 and all(c in "0123456789abcdef" for c in key)
