"""Blobs as files under one directory: ``<root>/ab/cd/abcd…`` named by the SHA-256 of their
content. A write goes to a temporary file in the same file system, then is renamed into place, so
readers never see part of a blob; a second write of the same content keeps the first file."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import os
import threading
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from services.core.blobs import BlobInfo, BlobNotFound, BlobTooLarge, is_key

READ_CHUNK = 256 * 1024
_TEMP_NUMBERS = itertools.count()


class FileBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._incoming = self.root / ".incoming"
        self._incoming.mkdir(parents=True, exist_ok=True)
        self._made_dirs: set[str] = set()  # fan-out directories known to exist (one mkdir each)

    @classmethod
    def from_url(cls, url: str) -> FileBlobStore:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"file blob URLs name a local directory, not a host: {url!r}")
        return cls(Path(unquote(parts.path)))

    def _temp_file(self) -> tuple[int, str]:
        """A new temporary file in the incoming directory: (descriptor, path). Names are unique per
        process and thread (tempfile.mkstemp costs four times as much for small blobs)."""
        while True:
            name = str(self._incoming / f"{os.getpid()}-{threading.get_ident()}-{next(_TEMP_NUMBERS)}.tmp")
            try:
                return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), name
            except FileExistsError:  # left by an earlier process with the same pid
                continue

    def _path(self, key: str) -> Path:
        if not is_key(key):
            raise BlobNotFound(key)
        return self.root / key[:2] / key[2:4] / key

    # ---- writes --------------------------------------------------------------------------

    def _place(self, tmp: Path, key: str) -> bool:
        """Move a finished temporary file to its key; False when the content was there already."""
        final = self._path(key)
        if final.exists():
            tmp.unlink(missing_ok=True)
            return False
        if key[:4] not in self._made_dirs:
            final.parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(key[:4])
        try:
            os.replace(tmp, final)
        except FileNotFoundError:  # the directory was removed behind our back
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
        return True

    def store_bytes(self, data: bytes) -> BlobInfo:
        key = hashlib.sha256(data).hexdigest()
        if self._path(key).exists():
            return BlobInfo(key=key, size=len(data), created=False)
        fd, name = self._temp_file()
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            created = self._place(Path(name), key)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return BlobInfo(key=key, size=len(data), created=created)

    async def put_bytes(self, data: bytes) -> BlobInfo:
        return await asyncio.to_thread(self.store_bytes, data)

    def store_file(self, path: Path) -> BlobInfo:
        digest = hashlib.sha256()
        fd, name = self._temp_file()
        size = 0
        try:
            with open(path, "rb") as src, os.fdopen(fd, "wb") as dst:
                while block := src.read(1024 * 1024):
                    digest.update(block)
                    dst.write(block)
                    size += len(block)
            key = digest.hexdigest()
            created = self._place(Path(name), key)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return BlobInfo(key=key, size=size, created=created)

    async def put(self, chunks: AsyncIterable[bytes], *, max_bytes: int | None = None) -> BlobInfo:
        digest = hashlib.sha256()
        fd, name = self._temp_file()
        tmp = Path(name)
        size = 0
        try:
            with os.fdopen(fd, "wb") as f:
                async for chunk in chunks:
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise BlobTooLarge(f"more than {max_bytes} bytes")
                    digest.update(chunk)
                    await asyncio.to_thread(f.write, chunk)
            key = digest.hexdigest()
            created = await asyncio.to_thread(self._place, tmp, key)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return BlobInfo(key=key, size=size, created=created)

    # ---- reads ---------------------------------------------------------------------------

    async def stat(self, key: str) -> int:
        try:
            return (await asyncio.to_thread(self._path(key).stat)).st_size
        except FileNotFoundError:
            raise BlobNotFound(key) from None

    async def exists(self, key: str) -> bool:
        try:
            await self.stat(key)
        except BlobNotFound:
            return False
        return True

    async def read(self, key: str, *, offset: int = 0, length: int | None = None,
                   chunk_size: int = READ_CHUNK) -> AsyncIterator[bytes]:
        path = self._path(key)
        try:
            f = await asyncio.to_thread(open, path, "rb")
        except FileNotFoundError:
            raise BlobNotFound(key) from None
        try:
            await asyncio.to_thread(f.seek, offset)
            left = length
            while left is None or left > 0:
                data = await asyncio.to_thread(f.read, chunk_size if left is None else min(chunk_size, left))
                if not data:
                    return
                if left is not None:
                    left -= len(data)
                yield data
        finally:
            f.close()

    async def read_bytes(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except FileNotFoundError:
            raise BlobNotFound(key) from None

    async def delete(self, key: str) -> None:
        try:
            await asyncio.to_thread(self._path(key).unlink, True)
        except BlobNotFound:
            return

    def count(self) -> int:
        """How many blobs are stored (for operations and tests; walks the tree)."""
        return sum(1 for p in self.root.glob("??/??/*") if p.is_file())
