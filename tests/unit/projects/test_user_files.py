"""Rules of the users' upload areas: where files go, which paths are refused, the quota, listings
and the resolution of server paths for imports. Real files in a temporary data dir."""

from __future__ import annotations

import os

import pytest

from services.core.config import Settings
from services.core.errors import (
    Conflict,
    InvalidArgument,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
)
from services.projects.domain.user_files import (
    TEMP_PREFIX,
    UserFiles,
    relative_parts,
    resolve_user_path,
    used_bytes,
    user_root,
)

TRAVERSALS = ["../x", "a/../../x", "..", "/etc/passwd", "a/./b", "a//b", "a\\..\\b", "..\\x", "a\x00b",
              "a/\n/b", "x" * 256, "/".join(["d"] * 40), "a/" + "b" * 1100]


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, user_files_quota_bytes=1000, max_upload_bytes=600)


@pytest.fixture
def files(settings) -> UserFiles:
    return UserFiles(settings)


async def pieces(*chunks: bytes):
    for chunk in chunks:
        yield chunk


def everything(settings: Settings) -> list[str]:
    root = settings.data_dir / "user_files"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_a_tagged_upload_goes_in_the_tag_directory(files, settings):
    stored = await files.put(user_id=7, path="", tag="run1", file_name="a.zip", chunks=pieces(b"ab", b"cd"))
    assert (stored.server_path, stored.size) == ("/my_files/run1/a.zip", 4)
    assert (user_root(settings=settings, user_id=7) / "run1" / "a.zip").read_bytes() == b"abcd"


async def test_the_path_keeps_its_sub_directories(files, settings):
    stored = await files.put(user_id=7, path="sample/img/1.png", tag="run1", file_name="1.png",
                             chunks=pieces(b"x"))
    assert stored.server_path == "/my_files/run1/sample/img/1.png"
    assert resolve_user_path(settings=settings, user_id=7, server_path=stored.server_path).read_bytes() == b"x"


async def test_without_a_tag_each_upload_gets_its_own_temp_directory(files):
    one = await files.put(user_id=7, path="", tag="", file_name="a.zip", chunks=pieces(b"1"))
    two = await files.put(user_id=7, path="", tag="", file_name="a.zip", chunks=pieces(b"2"))
    assert one.server_path != two.server_path
    for stored in (one, two):
        assert stored.server_path.startswith(f"/my_files/{TEMP_PREFIX}") and stored.server_path.endswith("/a.zip")


async def test_an_empty_file_is_allowed(files, settings):
    stored = await files.put(user_id=7, path="empty.txt", tag="t", file_name="x", chunks=pieces())
    assert stored.size == 0
    assert resolve_user_path(settings=settings, user_id=7, server_path=stored.server_path).stat().st_size == 0


async def test_the_same_name_again_replaces_the_file(files, settings):
    await files.put(user_id=7, path="", tag="t", file_name="a", chunks=pieces(b"old"))
    await files.put(user_id=7, path="", tag="t", file_name="a", chunks=pieces(b"newer"))
    assert resolve_user_path(settings=settings, user_id=7, server_path="/my_files/t/a").read_bytes() == b"newer"


@pytest.mark.parametrize("bad", TRAVERSALS)
async def test_bad_paths_are_refused_and_nothing_is_written(files, settings, bad):
    with pytest.raises(InvalidArgument):
        await files.put(user_id=7, path=bad, tag="t", file_name="f", chunks=pieces(b"x"))
    with pytest.raises(InvalidArgument):
        await files.put(user_id=7, path="", tag="", file_name=bad, chunks=pieces(b"x"))
    assert everything(settings) == []


@pytest.mark.parametrize("bad", ["..", ".", "a/b", "../x", "a\\b", "x\x00", "tmp-mine", ".hidden", "x" * 256])
async def test_bad_tags_are_refused(files, settings, bad):
    with pytest.raises(InvalidArgument):
        await files.put(user_id=7, path="", tag=bad, file_name="f", chunks=pieces(b"x"))
    assert everything(settings) == []


async def test_a_symbolic_link_out_of_the_root_is_not_followed(files, settings, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = user_root(settings=settings, user_id=7)
    root.mkdir(parents=True)
    os.symlink(outside, root / "escape")
    with pytest.raises((Conflict, PermissionDenied)):
        await files.put(user_id=7, path="", tag="escape", file_name="f", chunks=pieces(b"x"))
    assert list(outside.iterdir()) == []
    with pytest.raises(PermissionDenied):
        resolve_user_path(settings=settings, user_id=7, server_path="/my_files/escape")
    with pytest.raises(NotFound):
        files.listing(user_id=7, sub_path="escape")
    assert [e.name for e in files.listing(user_id=7, sub_path="").entries] == []


async def test_an_upload_past_the_quota_is_refused_and_not_kept(files, settings):
    await files.put(user_id=7, path="", tag="t", file_name="a", chunks=pieces(b"x" * 500))
    with pytest.raises(PayloadTooLarge):
        await files.put(user_id=7, path="", tag="t", file_name="b", chunks=pieces(b"x" * 300, b"x" * 201))
    assert everything(settings) == ["7/t/a"]
    # Exactly to the quota is fine, and other users have their own.
    await files.put(user_id=7, path="", tag="t", file_name="c", chunks=pieces(b"x" * 500))
    await files.put(user_id=8, path="", tag="t", file_name="a", chunks=pieces(b"x" * 500))
    assert used_bytes(user_root(settings=settings, user_id=7)) == 1000


async def test_replacing_a_file_counts_only_the_new_size(files, settings):
    await files.put(user_id=7, path="", tag="t", file_name="a", chunks=pieces(b"x" * 600))
    await files.put(user_id=7, path="", tag="t", file_name="b", chunks=pieces(b"x" * 400))
    await files.put(user_id=7, path="", tag="t", file_name="a", chunks=pieces(b"y" * 600))
    assert used_bytes(user_root(settings=settings, user_id=7)) == 1000


async def test_a_single_upload_past_the_upload_limit_is_refused(files, settings):
    with pytest.raises(PayloadTooLarge):
        await files.put(user_id=7, path="", tag="t", file_name="a", chunks=pieces(b"x" * 601))
    assert everything(settings) == []


async def test_a_file_cannot_become_a_directory_or_the_reverse(files, settings):
    await files.put(user_id=7, path="a", tag="t", file_name="a", chunks=pieces(b"x"))
    with pytest.raises(Conflict):
        await files.put(user_id=7, path="a/b", tag="t", file_name="b", chunks=pieces(b"x"))
    await files.put(user_id=7, path="d/e", tag="t", file_name="e", chunks=pieces(b"x"))
    with pytest.raises(Conflict):
        await files.put(user_id=7, path="d", tag="t", file_name="d", chunks=pieces(b"x"))
    assert everything(settings) == ["7/t/a", "7/t/d/e"]


async def test_listing_puts_directories_first_then_names(files):
    for name in ("b.zip", "a.zip", "z/1", "c/1"):
        await files.put(user_id=7, path=name, tag="t", file_name="x", chunks=pieces(b"12"))
    root = files.listing(user_id=7, sub_path="/")
    assert root.path == "/my_files/" and [(e.name, e.type) for e in root.entries] == [("t", "D")]
    inner = files.listing(user_id=7, sub_path="/t")
    assert inner.path == "/my_files/t"
    assert [(e.name, e.type, e.size) for e in inner.entries] == [
        ("c", "D", 0), ("z", "D", 0), ("a.zip", "F", 2), ("b.zip", "F", 2)]
    assert all("T" in e.mtime and e.mtime.endswith("+00:00") for e in inner.entries)
    assert files.listing(user_id=7, sub_path="t/c/").path == "/my_files/t/c"


async def test_listing_an_empty_root_unknown_or_bad_paths(files):
    assert files.listing(user_id=9, sub_path="").entries == []
    with pytest.raises(NotFound):
        files.listing(user_id=9, sub_path="nothing")
    await files.put(user_id=9, path="", tag="t", file_name="f", chunks=pieces(b"x"))
    with pytest.raises(NotFound):
        files.listing(user_id=9, sub_path="t/f")
    for bad in ("../8", "t/../..", "t\\..", "a\x00"):
        with pytest.raises(InvalidArgument):
            files.listing(user_id=9, sub_path=bad)


async def test_users_only_see_their_own_files(files):
    await files.put(user_id=7, path="", tag="mine", file_name="f", chunks=pieces(b"x"))
    assert files.listing(user_id=8, sub_path="").entries == []
    with pytest.raises(NotFound):
        files.listing(user_id=8, sub_path="mine")


async def test_resolving_server_paths(files, settings):
    stored = await files.put(user_id=7, path="", tag="t", file_name="f.zip", chunks=pieces(b"x"))
    root = user_root(settings=settings, user_id=7)
    assert resolve_user_path(settings=settings, user_id=7, server_path=stored.server_path) == root / "t" / "f.zip"
    assert resolve_user_path(settings=settings, user_id=7, server_path="/my_files/t/") == root / "t"
    assert resolve_user_path(settings=settings, user_id=7, server_path="/my_files/") == root
    with pytest.raises(NotFound):
        resolve_user_path(settings=settings, user_id=8, server_path=stored.server_path)
    with pytest.raises(NotFound):
        resolve_user_path(settings=settings, user_id=7, server_path="/my_files/t/nothing.zip")
    for bad in ("/my_files/../8/t/f.zip", "/my_files/t/../../8", str(root / "t" / "f.zip"), "t/f.zip",
                "/my_filesX/t", "/my_files/t\\..\\..", "/my_files/t/\x00"):
        with pytest.raises(InvalidArgument):
            resolve_user_path(settings=settings, user_id=7, server_path=bad)
    with pytest.raises(PermissionDenied):
        resolve_user_path(settings=settings, user_id=0, server_path=stored.server_path)


def test_relative_parts():
    assert relative_parts("a/b c/d.zip", what="path") == ["a", "b c", "d.zip"]
    assert relative_parts("été/ü.png", what="path") == ["été", "ü.png"]
    for bad in TRAVERSALS:
        with pytest.raises(InvalidArgument):
            relative_parts(bad, what="path")
