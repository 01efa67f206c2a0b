"""Where an import reads its files: a zip archive, read in place (no extraction: a member is read
straight from the archive, which spares the file system tens of thousands of small files), or a
folder. Both name files by their POSIX path relative to the source, refuse names that leave it,
and skip ``__MACOSX`` and links. Reads are blocking and safe from several threads at once."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol

from services.core.archives import MappedArchive, inspect_zip
from services.projects.domain.ecotaxa.workers import Member

IGNORED_DIRS = ("__MACOSX",)
# An archive holds a TSV file per sample and one image or more per object.
MAX_MEMBERS = 2_000_000


def is_tsv(name: str) -> bool:
    base = name.rsplit("/", 1)[-1].lower()
    return base.startswith("ecotaxa") and base.endswith((".tsv", ".txt"))


def resolve(tsv: str, name: str) -> str | None:
    """The path of ``name`` (as a TSV line gives it, relative to the TSV's folder) from the
    source's root; None when it would leave the source or is malformed."""
    if not name or "\\" in name or "\x00" in name or PurePosixPath(name).is_absolute():
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(tsv), name))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    return joined


class Source(Protocol):
    def files(self) -> list[str]:
        """Every regular file, as relative POSIX paths."""
        ...

    def has(self, name: str) -> bool: ...

    def size(self, name: str) -> int: ...

    def read(self, name: str) -> bytes: ...

    def locate(self, name: str, number: int) -> Member:
        """Where a worker process finds the file (line ``number`` names it)."""
        ...

    archive: str  # the zip's path, "" for a folder

    def open(self, name: str) -> contextmanager: ...  # a binary stream

    def close(self) -> None: ...


class ZipSource:
    """A checked archive (``inspect_zip``: no zip slip, links, encrypted members or bombs), read
    from a memory map (``MappedArchive``: threads and worker processes read at once). Only each
    member's location is kept: an archive of a million images costs tens of megabytes, not the
    hundreds zipfile's directory objects would."""

    def __init__(self, path: Path, *, max_total_bytes: int) -> None:
        self.path = path
        self._entries: dict[str, tuple[int, int, int, int, int]] = {
            m.name: (m.info.header_offset, m.info.compress_type, m.info.compress_size, m.size, m.info.CRC)
            for m in inspect_zip(path, max_members=MAX_MEMBERS, max_total_bytes=max_total_bytes,
                                 archive_name=path.name)}
        self._mapped = MappedArchive(path, archive_name=path.name)

    def _where(self, name: str) -> dict:
        offset, compress_type, compress_size, size, crc = self._entries[name]
        return {"offset": offset, "compress_type": compress_type, "compress_size": compress_size, "size": size,
                "crc": crc, "name": name}

    def files(self) -> list[str]:
        return sorted(self._entries)

    def has(self, name: str) -> bool:
        return name in self._entries

    def size(self, name: str) -> int:
        return self._entries[name][3]

    def read(self, name: str) -> bytes:
        return self._mapped.read_at(**self._where(name))

    def locate(self, name: str, number: int) -> Member:
        where = self._where(name)
        del where["name"]
        return Member(number=number, name=name, **where)

    @property
    def archive(self) -> str:
        return str(self.path)

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        with self._mapped.open_at(**self._where(name)) as stream:
            yield stream

    def close(self) -> None:
        self._mapped.close()


class FolderSource:
    """A folder on the server; links are neither listed nor followed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def files(self) -> list[str]:
        found: list[str] = []
        pending = [self.root]
        while pending:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.name in IGNORED_DIRS or entry.is_symlink():
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(Path(entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        found.append(Path(entry.path).relative_to(self.root).as_posix())
        return sorted(found)

    def _path(self, name: str) -> Path | None:
        path = self.root.joinpath(*name.split("/"))
        probe = path
        while probe != self.root:
            if probe.is_symlink():
                return None
            probe = probe.parent
        return path

    def has(self, name: str) -> bool:
        path = self._path(name)
        return path is not None and path.is_file()

    def size(self, name: str) -> int:
        return self._path(name).stat().st_size

    def read(self, name: str) -> bytes:
        return self._path(name).read_bytes()

    def locate(self, name: str, number: int) -> Member:
        path = self._path(name)
        return Member(number=number, name=name, path=str(path), size=path.stat().st_size)

    archive = ""

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        with self._path(name).open("rb") as stream:
            yield stream

    def close(self) -> None:
        pass


def open_source(path: Path, *, max_total_bytes: int) -> Source:
    """Blocking: a zip's directory is read and checked here."""
    return FolderSource(path) if path.is_dir() else ZipSource(path, max_total_bytes=max_total_bytes)


class OverlaySource:
    """A source with files of the server laid over it: each name of ``extra`` (a relative POSIX
    name) reads the file it maps to, and the source's own files for which ``hidden`` holds are
    left out. The simple import lays the TSV it writes for the images over their source."""

    def __init__(self, inner: Source, extra: dict[str, Path], *, hidden=lambda name: False) -> None:
        self.inner = inner
        self.extra = dict(extra)
        self._hidden = hidden

    def _own(self, name: str) -> bool:
        return name not in self.extra and not self._hidden(name)

    def files(self) -> list[str]:
        return sorted({*self.extra, *(n for n in self.inner.files() if self._own(n))})

    def has(self, name: str) -> bool:
        return name in self.extra or (self._own(name) and self.inner.has(name))

    def size(self, name: str) -> int:
        return self.extra[name].stat().st_size if name in self.extra else self.inner.size(name)

    def read(self, name: str) -> bytes:
        return self.extra[name].read_bytes() if name in self.extra else self.inner.read(name)

    def locate(self, name: str, number: int) -> Member:
        """A laid-over file is a plain file: only a worker reading a folder finds it by itself."""
        if name in self.extra:
            path = self.extra[name]
            return Member(number=number, name=name, path=str(path), size=path.stat().st_size)
        return self.inner.locate(name, number)

    @property
    def archive(self) -> str:
        return self.inner.archive

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        if name in self.extra:
            with self.extra[name].open("rb") as stream:
                yield stream
        else:
            with self.inner.open(name) as stream:
                yield stream

    def close(self) -> None:
        self.inner.close()
