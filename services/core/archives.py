"""Zip archives from outside, read safely. ``inspect_zip`` reads only the central directory and
refuses, before anything is extracted, what could escape or explode: paths out of the archive
(zip slip), links and other non-regular entries, encrypted entries, duplicate names, too many
members, and zip bombs (a member inflating more than ``max_ratio`` times, or more bytes in all than
allowed). ``open_member`` then streams a member without ever yielding more than it declared."""

from __future__ import annotations

import io
import mmap
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from services.core.errors import InvalidArgument, PayloadTooLarge

# Members of archives made on a Mac or by explorers, never data.
IGNORED_PARTS = ("__MACOSX",)
IGNORED_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")
CHUNK = 1024 * 1024
# A small member may compress very well without being a bomb: ratios count above this size only.
RATIO_FLOOR_BYTES = 1024 * 1024


class ArchiveRejected(InvalidArgument):
    """The archive cannot be taken (422); nothing was extracted."""


class ArchiveTooLarge(PayloadTooLarge):
    """The archive would inflate past the limits (413)."""


@dataclass(frozen=True)
class ZipMember:
    name: str            # normalised relative POSIX path
    size: int            # declared uncompressed size
    compressed_size: int
    info: zipfile.ZipInfo


def _safe_name(raw: str, archive: str) -> str:
    if "\\" in raw or "\0" in raw or any(ord(c) < 32 for c in raw):
        raise ArchiveRejected(f"{archive}: the member name {raw!r} holds a backslash or a control character")
    path = PurePosixPath(raw)
    if path.is_absolute() or (path.parts and ":" in path.parts[0]):
        raise ArchiveRejected(f"{archive}: the member {raw!r} has an absolute path")
    parts = [p for p in path.parts if p not in ("", ".")]
    if ".." in parts:
        raise ArchiveRejected(f"{archive}: the member {raw!r} points outside the archive")
    return "/".join(parts)


def _ignored(name: str) -> bool:
    parts = name.split("/")
    return any(p in IGNORED_PARTS for p in parts) or parts[-1] in IGNORED_NAMES or parts[-1].startswith("._")


def inspect_zip(path: Path, *, max_members: int, max_total_bytes: int, max_ratio: float = 200,
                archive_name: str | None = None) -> list[ZipMember]:
    """The archive's data members (directories and system files left out). Blocking."""
    label = archive_name or path.name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveRejected(f"{label}: not a readable zip archive ({exc})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > max_members:
            raise ArchiveRejected(f"{label}: {len(infos)} members, more than the limit of {max_members}")
        members: list[ZipMember] = []
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = _safe_name(info.filename, label)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise ArchiveRejected(f"{label}: the member {info.filename!r} is a symbolic link")
            if info.is_dir() or not name:
                continue
            if stat.S_IFMT(mode) and not stat.S_ISREG(mode):  # many tools leave the type bits unset
                raise ArchiveRejected(f"{label}: the member {info.filename!r} is not a regular file")
            if info.flag_bits & 0x1:
                raise ArchiveRejected(f"{label}: the member {info.filename!r} is encrypted")
            if name.lower() in seen:
                raise ArchiveRejected(f"{label}: the member {name!r} appears twice")
            seen.add(name.lower())
            if _ignored(name):
                continue
            if info.file_size > RATIO_FLOOR_BYTES and info.file_size > max_ratio * max(1, info.compress_size):
                raise ArchiveTooLarge(f"{label}: the member {name!r} would inflate {info.file_size} bytes from "
                                      f"{info.compress_size} (a zip bomb?)")
            total += info.file_size
            if total > max_total_bytes:
                raise ArchiveTooLarge(f"{label}: the members hold more than {max_total_bytes} bytes in all")
            members.append(ZipMember(name=name, size=info.file_size, compressed_size=info.compress_size,
                                     info=info))
        return members


def open_member(zf: zipfile.ZipFile, member: ZipMember, *, archive_name: str = "archive") -> Iterator[bytes]:
    """The member's bytes in chunks; an archive whose data disagrees with its directory (more bytes
    than declared, a bad checksum) is refused part way. Blocking."""
    produced = 0
    try:
        with zf.open(member.info) as src:
            while block := src.read(CHUNK):
                produced += len(block)
                if produced > member.size:
                    raise ArchiveRejected(f"{archive_name}: the member {member.name!r} holds more than it declares")
                yield block
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError) as exc:
        raise ArchiveRejected(f"{archive_name}: the member {member.name!r} cannot be read ({exc})") from None


_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # signature ... file name length, extra field length


class MappedArchive:
    """Members read straight from a memory map of the archive: no file object, no seek, no lock,
    so many threads (or processes, given a member's directory values) read at once. Stored and
    deflated members, whole (``read_at``) or streamed (``open_at``); sizes and checksums are
    checked as zipfile checks them."""

    def __init__(self, path: Path, *, archive_name: str = "archive") -> None:
        self._file = open(path, "rb")
        self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        self._label = archive_name

    def _raw(self, *, offset: int, compress_type: int, compress_size: int, name: str) -> bytes:
        if compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveRejected(f"{self._label}: the member {name!r} uses an unsupported compression "
                                  f"(stored and deflated members are read)")
        header = self._map[offset:offset + _LOCAL_HEADER.size]
        if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise ArchiveRejected(f"{self._label}: the member {name!r} cannot be read (bad local header)")
        fields = _LOCAL_HEADER.unpack(header)
        begin = offset + _LOCAL_HEADER.size + fields[-2] + fields[-1]
        if begin + compress_size > len(self._map):
            raise ArchiveRejected(f"{self._label}: the member {name!r} is cut short")
        return self._map[begin:begin + compress_size]  # a copy: no view may outlive the map

    def read_at(self, *, offset: int, compress_type: int, compress_size: int, size: int, crc: int,
                name: str) -> bytes:
        """A whole member from its directory entry's values."""
        raw = self._raw(offset=offset, compress_type=compress_type, compress_size=compress_size, name=name)
        if compress_type == zipfile.ZIP_STORED:
            data = raw
        else:
            try:
                data = zlib.decompressobj(-15).decompress(raw, size + 1)
            except zlib.error as exc:
                raise ArchiveRejected(f"{self._label}: the member {name!r} cannot be read ({exc})") from None
        if len(data) != size or zlib.crc32(data) != crc:
            raise ArchiveRejected(f"{self._label}: the member {name!r} does not match its directory entry")
        return data

    def open_at(self, *, offset: int, compress_type: int, compress_size: int, size: int, crc: int,
                name: str) -> io.BufferedReader:
        """A member as a binary stream, inflated as it is read."""
        raw = self._raw(offset=offset, compress_type=compress_type, compress_size=compress_size, name=name)
        return io.BufferedReader(_MemberStream(raw, deflated=compress_type == zipfile.ZIP_DEFLATED, size=size,
                                               crc=crc, what=f"{self._label}: the member {name!r}"),
                                 buffer_size=CHUNK)

    def close(self) -> None:
        self._map.close()
        self._file.close()


class _MemberStream(io.RawIOBase):
    """Bytes of one member: never more than its declared size, checked against its CRC at the end."""

    def __init__(self, raw: bytes, *, deflated: bool, size: int, crc: int, what: str) -> None:
        self._raw, self._pos = raw, 0
        self._inflater = zlib.decompressobj(-15) if deflated else None
        self._size, self._crc, self._what = size, crc, what
        self._produced, self._sum, self._pending = 0, 0, b""

    def readable(self) -> bool:
        return True

    def _next(self, n: int) -> bytes:
        if self._inflater is None:
            block = self._raw[self._pos:self._pos + n]
            self._pos += len(block)
            return block
        while not self._pending and (self._pos < len(self._raw) or not self._inflater.eof):
            src = self._raw[self._pos:self._pos + CHUNK]
            self._pos += len(src)
            try:
                self._pending = self._inflater.decompress(self._inflater.unconsumed_tail + src,
                                                          self._size + 1 - self._produced)
            except zlib.error as exc:
                raise ArchiveRejected(f"{self._what} cannot be read ({exc})") from None
            if not src and not self._pending:
                break
        block, self._pending = self._pending[:n], self._pending[n:]
        return block

    def readinto(self, buffer) -> int:
        block = self._next(len(buffer))
        self._produced += len(block)
        if self._produced > self._size:
            raise ArchiveRejected(f"{self._what} holds more than it declares")
        self._sum = zlib.crc32(block, self._sum)
        if not block and (self._produced != self._size or self._sum != self._crc):
            raise ArchiveRejected(f"{self._what} does not match its directory entry")
        buffer[:len(block)] = block
        return len(block)


def extract_member(zf: zipfile.ZipFile, member: ZipMember, target: Path, *, archive_name: str = "archive") -> int:
    """Write one member to ``target`` (a path the caller chose, never one from the archive);
    returns its size. Blocking."""
    size = 0
    with open(target, "wb") as out:
        for block in open_member(zf, member, archive_name=archive_name):
            out.write(block)
            size += len(block)
    return size
