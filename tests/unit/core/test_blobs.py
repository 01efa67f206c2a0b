"""The file blob store: content addressing, atomic writes, ranges, limits, hostile keys."""

from __future__ import annotations

import asyncio
import hashlib

import pytest

from services.core.blobs import BlobNotFound, BlobTooLarge, open_blob_store
from services.core.blobs.files import FileBlobStore


@pytest.fixture
def store(tmp_path) -> FileBlobStore:
    return FileBlobStore(tmp_path / "blobs")


async def _chunks(*parts: bytes):
    for part in parts:
        yield part


async def test_blobs_are_named_by_their_content_and_stored_once(store):
    first = await store.put_bytes(b"plankton")
    again = await store.put(_chunks(b"plank", b"ton"))
    assert first.key == again.key == hashlib.sha256(b"plankton").hexdigest()
    assert (first.created, again.created) == (True, False)
    assert first.size == 8 and await store.stat(first.key) == 8
    assert await store.read_bytes(first.key) == b"plankton"
    assert store.count() == 1
    assert not any((store.root / ".incoming").iterdir()), "no temporary file is left"


async def test_ranges_stream_in_chunks(store):
    data = bytes(range(256)) * 4096
    info = await store.put_bytes(data)
    got = [c async for c in store.read(info.key, offset=1000, length=300_000, chunk_size=65_536)]
    assert b"".join(got) == data[1000:301_000] and len(got) == 5
    assert b"".join([c async for c in store.read(info.key, offset=len(data) - 3)]) == data[-3:]


async def test_a_stream_past_its_limit_stores_nothing(store):
    with pytest.raises(BlobTooLarge):
        await store.put(_chunks(b"x" * 600, b"y" * 600), max_bytes=1000)
    assert store.count() == 0 and not any((store.root / ".incoming").iterdir())


@pytest.mark.parametrize("key", ["../../etc/passwd", "abc", "A" * 64, "g" * 64, "0" * 63 + "/"])
async def test_keys_never_reach_the_file_system(store, key):
    with pytest.raises(BlobNotFound):
        await store.stat(key)
    with pytest.raises(BlobNotFound):
        [c async for c in store.read(key)]
    assert not await store.exists(key)
    await store.delete(key)  # no error, nothing touched


async def test_delete_is_idempotent(store):
    info = await store.put_bytes(b"gone soon")
    await store.delete(info.key)
    await store.delete(info.key)
    assert not await store.exists(info.key)


async def test_concurrent_writers_of_the_same_content_agree(store):
    results = await asyncio.gather(*(store.put_bytes(b"same") for _ in range(20)))
    assert len({r.key for r in results}) == 1 and store.count() == 1


def test_stores_are_chosen_by_url_scheme(tmp_path):
    store = open_blob_store((tmp_path / "b").as_uri())
    assert isinstance(store, FileBlobStore) and store.root == tmp_path / "b"
    assert open_blob_store((tmp_path / "b").as_uri()) is store
    with pytest.raises(ValueError, match="scheme"):
        open_blob_store("s4://bucket/x")


def test_blocking_writes_from_worker_threads_match_the_async_ones(store, tmp_path):
    source = tmp_path / "photo.bin"
    source.write_bytes(b"copepod" * 1000)
    from_file = store.store_file(source)
    from_bytes = store.store_bytes(b"copepod" * 1000)
    assert from_file.key == from_bytes.key == hashlib.sha256(b"copepod" * 1000).hexdigest()
    assert (from_file.created, from_bytes.created, from_file.size) == (True, False, 7000)
    assert not any((store.root / ".incoming").iterdir())


async def test_a_fan_out_directory_removed_behind_the_store_is_made_again(store):
    import shutil

    first = store.store_bytes(b"a")
    shutil.rmtree(store.root / first.key[:2])
    assert store.store_bytes(b"a").created and await store.read_bytes(first.key) == b"a"
