"""Each user's upload area (EcoTaxa's ``/my_files/``): working files that imports read later.

Files live on the local file system under ``<data dir>/user_files/<user id>/<directory>/<path>``,
where ``<directory>`` is the upload's tag, or a new ``tmp-<random>`` directory when there is none.
A stored file is named to clients by its server path ``/my_files/<directory>/<path>``;
``resolve_user_path`` turns such a path back into a file of the caller's own root, and nothing
else. See docs/user-files.md.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import stat
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from services.core.config import Settings
from services.core.errors import (
    Conflict,
    InvalidArgument,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
)

SERVER_PREFIX = "/my_files"
TEMP_PREFIX = "tmp-"
# Uploads in progress, outside every user's root but on the same file system (atomic rename).
INCOMING = ".incoming"
MAX_NAME_BYTES = 255
MAX_PATH_CHARS = 1024
MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    type: str  # "D" or "F"
    size: int
    mtime: str


@dataclass(frozen=True, slots=True)
class Listing:
    path: str
    entries: list[Entry]


@dataclass(frozen=True, slots=True)
class StoredFile:
    server_path: str
    size: int


def files_root(settings: Settings) -> Path:
    return (settings.data_dir / "user_files").resolve()


def user_root(*, settings: Settings, user_id: int) -> Path:
    if user_id <= 0:
        raise PermissionDenied()
    return files_root(settings) / str(user_id)


def _component(name: str, *, what: str) -> str:
    if name in ("", ".", ".."):
        raise InvalidArgument(f"{what}: empty, '.' and '..' parts are not allowed")
    if any(ord(c) < 32 or ord(c) == 127 for c in name) or "\\" in name or "/" in name:
        raise InvalidArgument(f"{what}: control characters, '/' and '\\' are not allowed in a name")
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        raise InvalidArgument(f"{what}: not valid text") from None
    if size > MAX_NAME_BYTES:
        raise InvalidArgument(f"{what}: a name is at most {MAX_NAME_BYTES} bytes")
    return name


def relative_parts(text: str, *, what: str) -> list[str]:
    """A relative ``/``-separated path as its parts, refusing anything that could leave the
    directory it is joined to: absolute paths, ``..``, backslashes, NUL and other control characters."""
    if len(text) > MAX_PATH_CHARS:
        raise InvalidArgument(f"{what}: at most {MAX_PATH_CHARS} characters")
    if text.startswith("/"):
        raise InvalidArgument(f"{what}: must be a relative path")
    parts = text.split("/")
    if len(parts) > MAX_DEPTH:
        raise InvalidArgument(f"{what}: at most {MAX_DEPTH} levels")
    return [_component(p, what=what) for p in parts]


def tag_directory(tag: str) -> str:
    name = _component(tag, what="tag")
    if name.startswith((TEMP_PREFIX, ".")):
        raise InvalidArgument(f"tag: may not start with '{TEMP_PREFIX}' or '.'")
    return name


def _contained(path: Path, root: Path) -> Path:
    """The real location of ``path``, which must be ``root`` or below it (symbolic links followed)."""
    real = path.resolve()
    if real != root.resolve() and not real.is_relative_to(root.resolve()):
        raise PermissionDenied()
    return real


def resolve_user_path(*, settings: Settings, user_id: int, server_path: str) -> Path:
    """The file or directory a server path (``/my_files/<directory>/<path>``, as returned by an
    upload or a listing) names in the caller's own root. InvalidArgument for a malformed path,
    PermissionDenied for one that leads outside the root, NotFound when nothing is there."""
    if not isinstance(server_path, str):
        raise InvalidArgument("source_path: a /my_files/ path is needed")
    if server_path.rstrip("/") == SERVER_PREFIX:
        parts: list[str] = []
    elif server_path.startswith(SERVER_PREFIX + "/"):
        parts = relative_parts(server_path[len(SERVER_PREFIX) + 1:].rstrip("/"), what="source_path")
    else:
        raise InvalidArgument("source_path: a /my_files/ path is needed")
    root = user_root(settings=settings, user_id=user_id)
    if not root.is_dir():
        raise NotFound()
    found = _contained(root.joinpath(*parts), root)
    if not found.exists():
        raise NotFound()
    return found


def _server_path(parts: list[str]) -> str:
    return "/".join([SERVER_PREFIX, *parts]) if parts else SERVER_PREFIX + "/"


def used_bytes(root: Path) -> int:
    """Bytes held by the regular files under ``root`` (links are not followed)."""
    total = 0
    pending = [root]
    while pending:
        try:
            with os.scandir(pending.pop()) as found:
                for entry in found:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(Path(entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        total += entry.stat(follow_symlinks=False).st_size
        except FileNotFoundError:
            continue
    return total


def _entry(entry: os.DirEntry) -> Entry | None:
    info = entry.stat(follow_symlinks=False)
    mtime = datetime.fromtimestamp(info.st_mtime, UTC).isoformat()
    if stat.S_ISDIR(info.st_mode):
        return Entry(name=entry.name, type="D", size=0, mtime=mtime)
    if stat.S_ISREG(info.st_mode):
        return Entry(name=entry.name, type="F", size=info.st_size, mtime=mtime)
    return None  # links and special files are never listed


class UserFiles:
    """The upload areas of every user, with one lock per user so that the quota check and the
    file's arrival happen together within this process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._locks: dict[int, asyncio.Lock] = {}

    def _lock(self, user_id: int) -> asyncio.Lock:
        return self._locks.setdefault(user_id, asyncio.Lock())

    def listing(self, *, user_id: int, sub_path: str) -> Listing:
        """One directory of the caller's root; directories first, then files, each by name."""
        text = sub_path.strip("/")
        parts = relative_parts(text, what="sub_path") if text else []
        root = user_root(settings=self.settings, user_id=user_id)
        if not parts and not root.exists():
            return Listing(path=_server_path([]), entries=[])
        where = root.joinpath(*parts)
        if not where.is_dir() or where.is_symlink():
            raise NotFound()
        _contained(where, root)
        with os.scandir(where) as found:
            entries = [e for e in (_entry(f) for f in found) if e is not None]
        entries.sort(key=lambda e: (e.type != "D", e.name))
        return Listing(path=_server_path(parts), entries=entries)

    async def put(self, *, user_id: int, path: str, tag: str, file_name: str,
                  chunks: AsyncIterator[bytes]) -> StoredFile:
        """Store one uploaded file, streamed; nothing is kept when any rule refuses it."""
        inner = relative_parts(path or file_name, what="path" if path else "file name")
        directory = tag_directory(tag) if tag else f"{TEMP_PREFIX}{secrets.token_hex(8)}"
        root = user_root(settings=self.settings, user_id=user_id)
        parts = [directory, *inner]
        target = root.joinpath(*parts)
        quota = self.settings.user_files_quota_bytes
        limit = self.settings.max_upload_bytes
        incoming = files_root(self.settings) / INCOMING
        incoming.mkdir(parents=True, exist_ok=True)
        partial = incoming / f"{user_id}-{uuid.uuid4().hex}"
        try:
            room = quota - used_bytes(root) + _replaced_size(target)
            size = 0
            out = await asyncio.to_thread(partial.open, "xb")
            try:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > limit:
                        raise PayloadTooLarge(f"A single upload is at most {limit} bytes.")
                    if size > room:
                        raise PayloadTooLarge("This upload would exceed your files quota.")
                    await asyncio.to_thread(out.write, chunk)
                await asyncio.to_thread(_sync, out)
            finally:
                out.close()
            async with self._lock(user_id):
                if size > quota - used_bytes(root) + _replaced_size(target):
                    raise PayloadTooLarge("This upload would exceed your files quota.")
                self._place(partial, target=target, root=root)
        finally:
            partial.unlink(missing_ok=True)
        return StoredFile(server_path=_server_path(parts), size=size)

    def _place(self, partial: Path, *, target: Path, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        real_root = root.resolve()
        parent = real_root.joinpath(*target.relative_to(root).parts[:-1])
        # Checked before anything is created, so a refusal leaves no directory behind.
        for step in [parent, *parent.parents]:
            if step == real_root:
                break
            if step.is_symlink() or (step.exists() and not step.is_dir()):
                raise Conflict(f"'{step.name}' is a file, not a directory.")
        final = parent / target.name
        if final.is_symlink() or final.is_dir():
            raise Conflict(f"'{target.name}' is a directory.")
        parent.mkdir(parents=True, exist_ok=True)
        _contained(parent, real_root)
        os.replace(partial, final)


def _sync(out) -> None:
    out.flush()
    os.fsync(out.fileno())


def _replaced_size(target: Path) -> int:
    """An upload to the name of an existing file replaces it, freeing its bytes."""
    try:
        info = target.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0
