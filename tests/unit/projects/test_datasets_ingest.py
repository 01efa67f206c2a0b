"""Synchronous uploads inside the projects service, with the real blob store and media probe:
units and blobs appear together, a refused upload leaves nothing (no unit, no blob, no spooled
file), and a hostile archive is refused before any job exists."""

from __future__ import annotations

import io
import zipfile

import pytest

from services.core.errors import DomainError, InvalidArgument, PayloadTooLarge
from services.projects import datasets_store as ds
from services.projects.domain.datasets import manage
from services.projects.domain.datasets.ingest import Spool, discard_blobs
from services.projects.domain.datasets.upload import begin_upload, finish_upload
from tests.unit.projects.conftest import user
from tests.unit.projects.datasets_support import dataset_world

OWNER = user(2)


def image(fmt: str = "PNG", size=(20, 10)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (1, 2, 3)).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
async def dw(world, tmp_path):
    from services.core.blobs import open_blob_store

    return dataset_world(world, tmp_path, max_upload_bytes=512 * 1024,
                         blobs=open_blob_store((tmp_path / "blobs").as_uri()))


def blob_files(dw) -> set:
    root = dw.limits.spool_dir.parent / "blobs"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


async def _upload(dw, files, **kwargs):
    d = await begin_upload(deps=dw, caller=OWNER, dataset_hash=kwargs.pop("dataset_hash"))
    spool = Spool(dw.limits)
    try:
        for name, data in files:
            spool.start(file_name=name)
            spool.write(data)
        return await finish_upload(deps=dw, caller=OWNER, dataset=d, spool=spool, **kwargs)
    finally:
        spool.close()


def spool_is_empty(dw) -> bool:
    root = dw.limits.spool_dir
    return not root.exists() or not any(p.is_file() for p in root.rglob("*"))


async def test_files_become_units_with_their_blobs_and_one_event(dw, world):
    d = await manage.create_dataset(deps=dw, caller=OWNER, title="d")
    result = await _upload(dw, [("a.png", image()), ("b.jpg", image("JPEG", (8, 6)))], dataset_hash=d.dataset_hash,
                           client_metadata={"k": 1})
    assert [(u.title, u.data_type, u.media_type, u.width, u.height) for u in result.units] == [
        ("a.png", "image", "image/png", 20, 10), ("b.jpg", "image", "image/jpeg", 8, 6)]
    async with dw.db.session() as s:
        images = await ds.images_of(s, unit_id=result.units[0].id)
        assert (await ds.get_dataset(s, dataset_hash=d.dataset_hash)).unit_count == 2
    assert await dw.blobs.read_bytes(images[0].blob_key) == image()
    created = [e for e in await world.events() if e.subject == "copepod.projects.data_unit.created"]
    assert len(created) == 1
    assert spool_is_empty(dw)


async def test_a_group_is_one_unit_of_ranked_images(dw):
    d = await manage.create_dataset(deps=dw, caller=OWNER, title="d")
    result = await _upload(dw, [("a.png", image()), ("b.png", image(size=(4, 4)))], dataset_hash=d.dataset_hash,
                           group=True, group_title="pair")
    (unit,) = result.units
    assert (unit.title, unit.data_type) == ("pair", "img_group")
    async with dw.db.session() as s:
        assert [(i.rank, i.width) for i in await ds.images_of(s, unit_id=unit.id)] == [(0, 20), (1, 4)]


@pytest.mark.parametrize("files", [
    [("ok.png", b"")],
    [("ok.png", image()), ("cut.png", image(size=(200, 200))[:80])],
    [("notes.txt", b"plain text")],
])
async def test_a_bad_file_refuses_the_whole_upload_and_keeps_nothing(dw, files):
    d = await manage.create_dataset(deps=dw, caller=OWNER, title="d")
    before = blob_files(dw)
    with pytest.raises(InvalidArgument):  # 422, 413 or 415, naming the file
        await _upload(dw, files, dataset_hash=d.dataset_hash)
    async with dw.db.session() as s:
        assert await ds.list_units(s, dataset_id=d.id, after_id=0, limit=10) == []
    assert blob_files(dw) == before and spool_is_empty(dw)


async def test_uploads_past_the_limit_are_refused(dw):
    d = await manage.create_dataset(deps=dw, caller=OWNER, title="d")
    with pytest.raises(PayloadTooLarge):
        await _upload(dw, [("big.png", b"\0" * (600 * 1024))], dataset_hash=d.dataset_hash)
    assert spool_is_empty(dw)


async def test_hostile_archives_are_refused_before_any_job(dw):
    d = await manage.create_dataset(deps=dw, caller=OWNER, title="d")
    slip = io.BytesIO()
    with zipfile.ZipFile(slip, "w") as z:
        z.writestr("../evil.png", image())
    with pytest.raises(DomainError):
        await _upload(dw, [("slip.zip", slip.getvalue())], dataset_hash=d.dataset_hash)
    with pytest.raises(InvalidArgument):
        await _upload(dw, [("a.zip", slip.getvalue()), ("b.png", image())], dataset_hash=d.dataset_hash)
    assert spool_is_empty(dw)


async def test_discarding_keeps_blobs_that_rows_still_use(dw):
    d = await manage.create_dataset(deps=dw, caller=OWNER, title="d")
    result = await _upload(dw, [("a.png", image())], dataset_hash=d.dataset_hash)
    async with dw.db.session() as s:
        used = (await ds.images_of(s, unit_id=result.units[0].id))[0].blob_key
    spare = (await dw.blobs.put_bytes(b"spare")).key
    await discard_blobs(deps=dw, keys=[used, spare])
    assert await dw.blobs.exists(used) and not await dw.blobs.exists(spare)


async def test_files_past_the_memory_threshold_are_spooled_to_disk_then_removed(dw, monkeypatch):
    from services.projects.domain.datasets import ingest

    monkeypatch.setattr(ingest, "SMALL_FILE", 100)
    d = await begin_upload(deps=dw, caller=OWNER, dataset_hash=(
        await manage.create_dataset(deps=dw, caller=OWNER, title="d")).dataset_hash)
    small, large = image(size=(1, 1)), image(size=(64, 48))
    assert len(small) <= 100 < len(large)
    spool = Spool(dw.limits)
    try:
        for name, data in (("small.png", small), ("large.png", large)):
            spool.start(file_name=name)
            for i in range(0, len(data), 60):  # chunks, as the stream brings them
                spool.write(data[i:i + 60])
        spool.end_file()
        kept_in_memory, on_disk = spool.files
        assert kept_in_memory.path is None and bytes(kept_in_memory.data) == small
        assert on_disk.data is None and on_disk.path.read_bytes() == large
        result = await finish_upload(deps=dw, caller=OWNER, dataset=d, spool=spool)
    finally:
        spool.close()
    assert spool_is_empty(dw)
    async with dw.db.session() as s:
        keys = [(await ds.images_of(s, unit_id=u.id))[0].blob_key for u in result.units]
    assert [await dw.blobs.read_bytes(k) for k in keys] == [small, large]
