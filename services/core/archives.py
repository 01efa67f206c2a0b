"""Zip archives from outside, read safely. ``inspect_zip`` reads only the central directory and
refuses, before anything is extracted, what could escape or explode: paths out of the archive
(zip slip), links and other non-regular entries, encrypted entries, duplicate names, too many
members, and zip bombs (a member inflating more than ``max_ratio`` times, or more bytes in all than
allowed). ``open_member`` then streams a member without ever yielding more than it declared."""

from __future__ import annotations

import stat
import zipfile
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


def extract_member(zf: zipfile.ZipFile, member: ZipMember, target: Path, *, archive_name: str = "archive") -> int:
    """Write one member to ``target`` (a path the caller chose, never one from the archive);
    returns its size. Blocking."""
    size = 0
    with open(target, "wb") as out:
        for block in open_member(zf, member, archive_name=archive_name):
            out.write(block)
            size += len(block)
    return size
